import DataAccess
import Foundation
import HTTPTypes
import PluginKit
import Yams

/// An HTTP API document (a feature's `openapi.yaml`, or the host's own), read once at start-up:
/// the operations and the permission each needs, for ``APIOperationMiddleware``, and the document
/// itself, for `/openapi.json`.
package struct APIDocument: Sendable {
    /// One operation: where it is, what the caller must hold, and its parameters.
    struct Operation: Sendable, Hashable {
        /// The operation's id in the document, e.g. `listAssignments`.
        var id: String
        var method: HTTPRequest.Method
        /// The path under the feature's prefix as the document writes it, e.g. `/assignments/{id}`.
        var path: String
        /// What the caller must hold; `nil` for an operation the document opens to everyone
        /// (`security: []`, as `/health`).
        var permission: Permission?
        var parameters: [Parameter] = []
        /// The schema of its JSON request body, if it takes one.
        var body: JSONValue?
        /// The feature setting that limits the body (`x-kooperator-body-limit`, e.g.
        /// `partnerships.maxAttachmentBytes`), when the handler reads the body itself within it;
        /// `nil`: the host reads it within `http.maxBodyBytes`.
        var bodyLimit: String? = nil
        /// Whether the operation only reads and may read data a moment old
        /// (`x-kooperator-lag-tolerant: true`, on a `GET`): it is served from `database.readUrl`
        /// when one is set.
        var lagTolerant = false
    }

    /// A path or query parameter and what its value must meet.
    struct Parameter: Sendable, Hashable {
        let name: String
        /// Whether it is a path parameter (else a query parameter).
        let isInPath: Bool
        /// What its schema asks of a value, for ``check(_:)``.
        let rule: Rule

        /// The parameter `name` in `location` (`path` or `query`), held to `schema` (its `$ref`
        /// resolved), which is read here, once.
        init(name: String, location: String, schema: JSONValue) {
            (self.name, isInPath, rule) = (name, location == "path", Rule(schema: schema))
        }
    }

    /// Why a document cannot be used; the host does not start then.
    struct Problem: Error, CustomStringConvertible {
        var feature: String
        var message: String
        var description: String { "the API document of '\(feature)': \(message)" }
    }

    /// The feature whose document it is (`kernel` for the host's own).
    let featureID: String
    /// Where its paths are mounted: `/api/v1/<id>` for a feature, empty for the host's own.
    let pathPrefix: String
    /// The document as JSON values.
    let root: [String: JSONValue]
    /// Its components, for resolving `$ref`s.
    var components: [String: JSONValue] { root["components"]?.objectValue ?? [:] }
    /// Every operation, by method and path.
    let operations: [Operation]
    /// The operations by the endpoint path a request is routed to (`/api/v1/<id>/assignments/{id}`),
    /// so finding a request's operation costs one lookup, not a scan and a new string.
    let operationsByEndpoint: [String: [Operation]]
    /// The permissions the feature declares, by id (for a form's `restricted` fields).
    let permissions: [String: Permission]

    /// The extension each operation names its permission in.
    static let permissionKey = "x-kooperator-permission"
    /// The extension an operation names the feature setting that limits its body in.
    static let bodyLimitKey = "x-kooperator-body-limit"
    /// The extension that declares a `GET` lag-tolerant (a report or an export).
    static let lagTolerantKey = "x-kooperator-lag-tolerant"
    /// The order of a schema's properties as the document writes them (added on reading, for the
    /// page forms; not served).
    static let propertyOrderKey = "x-kooperator-property-order"

    /// Reads and checks `url`: every operation has an id and names a permission the feature
    /// declares, or opens itself with `security: []`.
    ///
    /// - Parameters:
    ///   - url: The document.
    ///   - featureID: The feature whose document it is; components are prefixed with it in `/openapi.json`.
    ///   - pathPrefix: Where its paths are mounted; `/api/v1/<featureID>` unless given.
    ///   - permissions: The permissions the feature declares.
    /// - Throws: ``Problem``.
    init(url: URL, featureID: String, pathPrefix: String? = nil, permissions: [Permission]) throws {
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
                let permission: Permission?
                if case .string(let name)? = operation[Self.permissionKey], let declared = byID[name] {
                    permission = declared
                } else if operation["security"] == .array([]) {
                    permission = nil
                } else {
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
                let content = Self.resolved(operation["requestBody"] ?? [:], in: root).objectValue?["content"]?.objectValue
                let body = content?["application/json"]?.objectValue?["schema"]
                var bodyLimit: String?
                if case .string(let setting)? = operation[Self.bodyLimitKey] { bodyLimit = setting }
                let lagTolerant = operation[Self.lagTolerantKey] == .bool(true)
                if lagTolerant, method != .get {
                    throw Problem(feature: featureID, message: "\(id) is a \(method), and only a GET may be \(Self.lagTolerantKey)")
                }
                operations.append(
                    Operation(
                        id: id,
                        method: method,
                        path: path,
                        permission: permission,
                        parameters: parameters,
                        body: body,
                        bodyLimit: bodyLimit,
                        lagTolerant: lagTolerant
                    )
                )
            }
        }
        self.featureID = featureID
        self.pathPrefix = pathPrefix ?? "/api/v1/\(featureID)"
        self.root = root
        self.operations = operations.sorted { ($0.path, $0.method.rawValue) < ($1.path, $1.method.rawValue) }
        self.operationsByEndpoint = Dictionary(grouping: self.operations) { (pathPrefix ?? "/api/v1/\(featureID)") + $0.path }
        self.permissions = byID
    }

    /// The operation a routed request reached: `endpoint` is Hummingbird's endpoint path,
    /// `/api/v1/<id>/assignments/{id}`.
    func operation(method: HTTPRequest.Method, endpoint: String) -> Operation? {
        operationsByEndpoint[endpoint]?.first { $0.method == method }
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

    /// Whether its component names are prefixed with the feature's id in `/openapi.json`: a
    /// feature's are, so that two features' `Assignment` never collide; the host's own are not.
    var prefixesComponents: Bool { !pathPrefix.isEmpty }

    /// The document's paths as `/openapi.json` serves them: under the mount point, component
    /// references prefixed, and the host's conventions written out (``APIDocument/served(_:)``).
    var servedPaths: [String: JSONValue] {
        var paths: [String: JSONValue] = [:]
        for (path, item) in root["paths"]?.objectValue ?? [:] {
            var operations = Self.served(prefixed(item)).objectValue ?? [:]
            // Operation ids are unique in the merged document only with the feature's id in front.
            for (method, operation) in operations where prefixesComponents {
                if case .object(var fields) = operation, case .string(let id)? = fields["operationId"] {
                    fields["operationId"] = .string("\(featureID).\(id)")
                    operations[method] = .object(fields)
                }
            }
            paths[pathPrefix + path] = .object(operations)
        }
        return paths
    }

    /// The document's components by kind (`schemas`, `parameters`, …) as `/openapi.json` serves
    /// them, names prefixed; security schemes stay as they are, since every document shares the
    /// host's bearer scheme.
    var servedComponents: [String: [String: JSONValue]] {
        var components: [String: [String: JSONValue]] = [:]
        for (kind, entries) in root["components"]?.objectValue ?? [:] {
            for (name, value) in entries.objectValue ?? [:] {
                let key = kind == "securitySchemes" || !prefixesComponents ? name : "\(featureID).\(name)"
                components[kind, default: [:]][key] = Self.served(prefixed(value))
            }
        }
        return components
    }

    /// `value` with each `$ref` to `#/components/<kind>/<name>` pointing to the prefixed name.
    func prefixed(_ value: JSONValue) -> JSONValue {
        guard prefixesComponents else { return value }
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
            // JSON objects forget their order; a schema's properties keep theirs for its page form.
            if case .mapping(let properties)? = mapping["properties"] {
                members[propertyOrderKey] = .array(properties.keys.map { .string($0.string ?? "") })
            }
            return .object(members)
        case .sequence(let sequence):
            return .array(sequence.map(json))
        case .alias:
            return .null
        }
    }
}
