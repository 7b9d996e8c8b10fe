import Foundation
import HTTPTypes
import PluginKit
import Yams

/// A feature's HTTP API document (its `openapi.yaml`), read once at start-up: the operations and
/// the permission each needs, for ``APIOperationMiddleware``, and the document itself, for
/// `/openapi.json`.
struct APIDocument: Sendable {
    /// One operation: where it is, what the caller must hold, and its parameters.
    struct Operation: Sendable, Hashable {
        /// The operation's id in the document, e.g. `listAssignments`.
        var id: String
        var method: HTTPRequest.Method
        /// The path under the feature's prefix as the document writes it, e.g. `/assignments/{id}`.
        var path: String
        var permission: Permission
        var parameters: [Parameter] = []
        /// The feature setting that limits the body (`x-kooperator-body-limit`, e.g.
        /// `partnerships.maxAttachmentBytes`), when the handler reads the body itself within it;
        /// `nil`: the host reads it within `http.maxBodyBytes`.
        var bodyLimit: String? = nil
    }

    /// A path or query parameter and the schema its value must meet.
    struct Parameter: Sendable, Hashable {
        var name: String
        /// `path` or `query`.
        var location: String
        /// The schema, its `$ref` resolved.
        var schema: JSONValue
    }

    /// Why a document cannot be used; the host does not start then.
    struct Problem: Error, CustomStringConvertible {
        var feature: String
        var message: String
        var description: String { "the API document of '\(feature)': \(message)" }
    }

    /// The feature whose document it is.
    let featureID: String
    /// The document as JSON values.
    let root: [String: JSONValue]
    /// Every operation, by method and path.
    let operations: [Operation]

    /// The extension each operation names its permission in.
    static let permissionKey = "x-kooperator-permission"
    /// The extension an operation names the feature setting that limits its body in.
    static let bodyLimitKey = "x-kooperator-body-limit"

    /// Reads and checks `url`: every operation has an id and names a permission the feature declares.
    ///
    /// - Throws: ``Problem``.
    init(url: URL, featureID: String, permissions: [Permission]) throws {
        let text: String
        let node: Node?
        do {
            text = try String(contentsOf: url, encoding: .utf8)
            node = try Yams.compose(yaml: text)
        } catch {
            throw Problem(feature: featureID, message: "cannot be read: \(error)")
        }
        guard let node, case .object(let root) = Self.json(node) else { throw Problem(feature: featureID, message: "is not a mapping") }
        let byID = Dictionary(permissions.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        var operations: [Operation] = []
        for (path, item) in root["paths"]?.objectValue ?? [:] {
            for (method, operation) in item.objectValue ?? [:] {
                guard let method = HTTPRequest.Method(method.uppercased()), let operation = operation.objectValue else { continue }
                guard case .string(let id)? = operation["operationId"] else {
                    throw Problem(feature: featureID, message: "\(method) \(path) has no operationId")
                }
                guard case .string(let name)? = operation[Self.permissionKey], let permission = byID[name] else {
                    throw Problem(feature: featureID, message: "\(id) names no permission the feature declares in \(Self.permissionKey)")
                }
                var parameters: [Parameter] = []
                if case .array(let list)? = operation["parameters"] {
                    for parameter in list.map({ Self.resolved($0, in: root) }) {
                        guard let fields = parameter.objectValue, case .string(let name)? = fields["name"], case .string(let location)? = fields["in"]
                        else { throw Problem(feature: featureID, message: "\(id) has a parameter without a name or place") }
                        parameters.append(Parameter(name: name, location: location, schema: Self.resolved(fields["schema"] ?? [:], in: root)))
                    }
                }
                var bodyLimit: String?
                if case .string(let setting)? = operation[Self.bodyLimitKey] { bodyLimit = setting }
                operations.append(Operation(id: id, method: method, path: path, permission: permission, parameters: parameters, bodyLimit: bodyLimit))
            }
        }
        self.featureID = featureID
        self.root = root
        self.operations = operations.sorted { ($0.path, $0.method.rawValue) < ($1.path, $1.method.rawValue) }
    }

    /// The operation a routed request reached: `endpoint` is Hummingbird's endpoint path,
    /// `/api/v1/<id>/assignments/{id}`.
    func operation(method: HTTPRequest.Method, endpoint: String) -> Operation? {
        let prefix = "/api/v1/\(featureID)"
        guard endpoint.hasPrefix(prefix) else { return nil }
        let path = String(endpoint.dropFirst(prefix.count))
        return operations.first { $0.method == method && $0.path == path }
    }

    /// `value`, or what its `$ref` (`#/components/<kind>/<name>`) points to, followed to the end.
    static func resolved(_ value: JSONValue, in root: [String: JSONValue]) -> JSONValue {
        var value = value
        for _ in 0..<8 {
            guard case .string(let ref)? = value.objectValue?["$ref"] else { return value }
            let parts = ref.split(separator: "/")
            guard parts.count == 4, parts[0] == "#", parts[1] == "components",
                let target = root["components"]?.objectValue?[String(parts[2])]?.objectValue?[String(parts[3])]
            else { return value }
            value = target
        }
        return value
    }

    // MARK: - Merging into /openapi.json

    /// The document's paths under `/api/v1/<id>`, with every component reference prefixed by the
    /// feature's id, so that two features' `Assignment` never collide.
    var prefixedPaths: [String: JSONValue] {
        var paths: [String: JSONValue] = [:]
        for (path, item) in root["paths"]?.objectValue ?? [:] { paths["/api/v1/\(featureID)" + path] = prefixed(item) }
        return paths
    }

    /// The document's components by kind (`schemas`, `parameters`, …), their names prefixed;
    /// security schemes stay as they are, since every document shares the host's bearer scheme.
    var prefixedComponents: [String: [String: JSONValue]] {
        var components: [String: [String: JSONValue]] = [:]
        for (kind, entries) in root["components"]?.objectValue ?? [:] {
            for (name, value) in entries.objectValue ?? [:] {
                components[kind, default: [:]][kind == "securitySchemes" ? name : "\(featureID).\(name)"] = prefixed(value)
            }
        }
        return components
    }

    /// `value` with each `$ref` to `#/components/<kind>/<name>` pointing to the prefixed name.
    func prefixed(_ value: JSONValue) -> JSONValue {
        switch value {
        case .object(let members):
            var result: [String: JSONValue] = [:]
            for (key, member) in members {
                if key == "$ref", case .string(let ref) = member {
                    let parts = ref.split(separator: "/", omittingEmptySubsequences: false)
                    result[key] =
                        parts.count == 4 && ref.hasPrefix("#/components/") ? .string("#/components/\(parts[2])/\(featureID).\(parts[3])") : member
                } else {
                    result[key] = prefixed(member)
                }
            }
            return .object(result)
        case .array(let items):
            return .array(items.map(prefixed))
        default:
            return value
        }
    }

    /// A YAML node as JSON: a plain scalar as null, a boolean or a number where it reads as one,
    /// a quoted one always as a string (`'on'`).
    static func json(_ node: Node) -> JSONValue {
        switch node {
        case .scalar(let scalar):
            guard scalar.style == .plain else { return .string(scalar.string) }
            if node.null != nil { return .null }
            if let flag = node.bool { return .bool(flag) }
            if let number = node.int { return .int(number) }
            if let number = node.float, number.isFinite { return .double(number) }
            return .string(scalar.string)
        case .mapping(let mapping):
            var members: [String: JSONValue] = [:]
            for (key, value) in mapping { members[key.string ?? ""] = json(value) }
            return .object(members)
        case .sequence(let sequence):
            return .array(sequence.map(json))
        case .alias:
            return .null
        }
    }
}
