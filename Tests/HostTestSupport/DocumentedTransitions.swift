import DataAccess
package import Foundation
package import PluginKit

@testable package import Host

/// The state machine an API document states on an enumeration (`x-kooperator-transitions`), for
/// a feature's test to hold against its model: the forms offer what the document says, the store
/// allows what the model says, and the two must agree.
package enum DocumentedTransitions {
    /// Each state of the schema `name` and the states it may move to, sorted.
    ///
    /// - Parameters:
    ///   - name: The schema under `components/schemas` (`AssignmentState`).
    ///   - url: The feature's `openapi.yaml`.
    ///   - permissions: The permissions the feature declares (the document names them).
    package static func of(_ name: String, in url: URL, permissions: [Permission]) throws -> [String: [String]] {
        let document = try APIDocument(url: url, featureID: "test", permissions: permissions)
        let schema = document.root["components"]?.objectValue?["schemas"]?.objectValue?[name]?.objectValue
        let map = schema?[OperationForm.transitionsKey]?.objectValue ?? [:]
        return map.mapValues { ($0.arrayValue ?? []).compactMap(\.stringValue).sorted() }
    }
}
