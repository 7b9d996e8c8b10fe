import DataAccess
import Foundation
import HTTPTypes
import PageKit
import PluginKit

/// The page form of one write operation of a feature's API document, derived from its request
/// schema: one field per property with the control its type asks for (a date input for
/// `format: date`, a select for an `enum`, a number with `min`/`max`/`step`, an amount in kronor
/// for a number in steps of 0.01, a textarea past 200 characters, a fieldset for an object,
/// checkboxes for a list of values, a record chosen by name for `x-kooperator-reference`), its
/// labels, hints and value names from the feature's text catalogue.
///
/// The operation's `x-kooperator-form` says what the schema cannot:
///
/// ```yaml
/// x-kooperator-form:
///   then: /supervision/cooperatives/{cooperativeId}   # where a success leads; {name} from the answer, the body or the path
///   confirm: true                                      # a destructive step: a page of its own asks first,
///                                                      # always, or for some values only: { state: [ended] }
///   prefill: getAssignment                              # an edit starts from the record's current values,
///   fresh: [identityNumber]                             # except these (the read shows them masked)
///   hide: [id]                                          # properties the page leaves out
///   references:                                         # properties that name a record, chosen by name
///     cooperativeId: registry.cooperative               # <feature>.<kind>: that feature's pages list them
///   page: /supervision/handover                         # the operation's form is this page of the feature's own
///   shows: [token]                                      # a page shows these fields of the answer once, instead of leading on
///   restricted:                                         # fields shown and sent only to a user holding a permission
///     specialCategories: esf.participation.specialCategories   # (dotted path: a permission the feature declares)
/// ```
///
/// A `restricted` field is left out of the form, and out of the body, for a user without its
/// permission (a name the feature does not declare is held by no one). Such a user posting the
/// field anyway sends it on, so the handler refuses it as the API does.
///
/// A property whose schema is a `oneOf` gets the control of its first alternative that has one
/// (`entryStatus`: a value, or a list holding one, is a select of the values).
///
/// Texts, in the feature's `strings.json` (sv and en):
/// `form.<operationId>.title`, `.intro`, `.submit`, `.confirm`, `.done`; a property's label
/// `form.<operationId>.<path>` or, shared by the feature's forms, `field.<path>` (`path` is dotted
/// for a property inside an object: `contact.email`); its hint the same key with `.hint`; an enum
/// value's name `value.<property>.<value>`.
struct OperationForm: Sendable {
    let featureID: String
    /// Where the form's pages are: `/<pagesID>/forms/<operationId>`; the feature's id, `admin`
    /// for the host's own operations.
    let pagesID: String
    /// Where the document's paths are mounted (`/api/v1/<feature>`, empty for the host's).
    let apiPrefix: String
    let operation: APIDocument.Operation
    /// The JSON body's schema with every `$ref` resolved; `nil` for an operation without a body.
    let schema: JSONValue?
    private(set) var options: Options
    /// The path's parameters, in order (`id` of `/assignments/{id}/state`).
    let pathParameters: [String]

    /// What `x-kooperator-form` says.
    struct Options: Sendable {
        var then: String?
        /// When a page of its own asks first: never (empty), always (`*`), or when a property has
        /// one of some values.
        var confirm: [String: Set<String>] = [:]
        var prefill: String?
        /// Properties an edit does not prefill.
        var fresh: Set<String> = []
        var hide: Set<String> = []
        /// The kind of record each reference property names, by dotted path.
        var references: [String: String] = [:]
        /// The feature's own page that holds the operation's form, instead of the generic one.
        var page: String?
        /// Fields of the answer a page shows once, instead of leading on (an issued token).
        var shows: [String] = []
        /// The permission each restricted property (dotted path) needs to be shown and sent.
        var restricted: [String: Permission] = [:]
        /// The operation that reads the record as it stands (`getAssignment`): a state field whose
        /// enumeration documents its `x-kooperator-transitions` offers only the states the record
        /// may move to from its own.
        var current: String?
    }

    /// The extension on a state's enumeration that names, for each state, the states it may move to.
    static let transitionsKey = "x-kooperator-transitions"

    /// The extension an operation states its form's options in.
    static let optionsKey = "x-kooperator-form"

    init(document: APIDocument, operation: APIDocument.Operation, pagesID: String? = nil) {
        featureID = document.featureID
        self.pagesID = pagesID ?? document.featureID
        apiPrefix = document.pathPrefix
        self.operation = operation
        schema = operation.body.map { Self.deeplyResolved($0, in: document.root) }
        pathParameters = operation.path.matches(of: /\{([A-Za-z0-9_]+)\}/).map { String($0.1) }
        let raw = document.root["paths"]?.objectValue?[operation.path]?.objectValue?[operation.method.rawValue.lowercased()]?.objectValue
        var options = Options()
        if let fields = raw?[Self.optionsKey]?.objectValue {
            if case .string(let then)? = fields["then"] { options.then = then }
            switch fields["confirm"] {
            case .bool(true)?: options.confirm = ["*": []]
            case .object(let when)?:
                for (path, values) in when { options.confirm[path] = Set(values.arrayValue?.compactMap(\.stringValue) ?? []) }
            default: break
            }
            if case .string(let prefill)? = fields["prefill"] { options.prefill = prefill }
            if case .array(let hidden)? = fields["hide"] { options.hide = Set(hidden.compactMap(\.stringValue)) }
            if case .string(let page)? = fields["page"] { options.page = page }
            if case .string(let current)? = fields["current"] { options.current = current }
            if case .array(let fresh)? = fields["fresh"] { options.fresh = Set(fresh.compactMap(\.stringValue)) }
            if case .array(let shown)? = fields["shows"] { options.shows = shown.compactMap(\.stringValue) }
            for (path, kind) in fields["references"]?.objectValue ?? [:] { options.references[path] = kind.stringValue }
            for (path, name) in fields["restricted"]?.objectValue ?? [:] {
                guard let name = name.stringValue else { continue }
                // A permission the feature does not declare is held by no one: the field stays hidden.
                options.restricted[path] = document.permissions[name] ?? Permission(name, summary: "not declared", onlyTo: [])
            }
        }
        self.options = options
    }

    /// Whether posting `values` is a destructive step that a page of its own confirms first.
    func needsConfirmation(_ values: FormValues) -> Bool {
        options.confirm.contains { path, chosen in path == "*" || values.raw(path).map(chosen.contains) == true }
    }

    /// The restricted properties `principal` may not see or send.
    func withheld(from principal: Principal) -> Set<String> {
        Set(options.restricted.filter { !principal.holds($0.value) }.keys)
    }

    /// The form as `principal` sees it: the restricted properties it lacks the permission for
    /// left out of its fields and its body.
    func shown(to principal: Principal) -> OperationForm {
        var form = self
        form.options.hide.formUnion(withheld(from: principal))
        return form
    }

    /// Whether `values` fill in a property withheld from `principal` (posted by hand).
    func fillsWithheld(_ values: FormValues, principal: Principal) -> Bool {
        let withheld = withheld(from: principal)
        return values.pairs.contains { pair in
            !pair.value.isEmpty && withheld.contains { pair.name == $0 || pair.name.hasPrefix($0 + ".") }
        }
    }

    /// Whether `operation` changes something: a form's candidate.
    static func isWrite(_ operation: APIDocument.Operation) -> Bool {
        [.post, .put, .patch, .delete].contains(operation.method)
    }

    /// The form's page: `/<feature>/forms/<operationId>` (`/admin/forms/…` for the host's own).
    var pagePath: String { "/\(pagesID)/forms/\(operation.id)" }

    /// The operation's path with `values` in its parameters, percent-encoded.
    ///
    /// - Throws: ``FeatureError`` naming a parameter that is missing.
    func apiPath(_ values: [String: String]) throws(FeatureError) -> String {
        var path = operation.path
        for name in pathParameters {
            guard let value = values[name], !value.isEmpty else {
                throw FeatureError(.invalidInput, "the form needs \(name) in its address", field: name)
            }
            let encoded = value.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(["/"])) ?? value
            path = path.replacingOccurrences(of: "{\(name)}", with: encoded)
        }
        return apiPrefix + path
    }

    // MARK: - Schema

    /// `value` with every `$ref` in it resolved (the documents have no cycles; 12 levels at most).
    static func deeplyResolved(_ value: JSONValue, in root: [String: JSONValue], depth: Int = 0) -> JSONValue {
        guard depth < 12 else { return value }
        var resolved = APIDocument.resolved(value, in: root)
        // A `$ref`'s siblings (its description) stay with what it points to.
        if case .object(var siblings) = value, siblings.removeValue(forKey: "$ref") != nil, case .object(let target) = resolved {
            resolved = .object(target.merging(siblings) { _, own in own })
        }
        switch resolved {
        case .object(let members):
            return .object(members.mapValues { deeplyResolved($0, in: root, depth: depth + 1) })
        case .array(let items):
            return .array(items.map { deeplyResolved($0, in: root, depth: depth + 1) })
        case let other:
            return other
        }
    }

    /// A schema's properties in the document's order.
    static func properties(of schema: JSONValue) -> [(name: String, schema: JSONValue)] {
        guard let members = schema.objectValue, let properties = members["properties"]?.objectValue else { return [] }
        let order = members[APIDocument.propertyOrderKey]?.arrayValue?.compactMap(\.stringValue) ?? properties.keys.sorted()
        return order.compactMap { name in properties[name].map { (name, $0) } }
    }

    /// The names a schema requires.
    static func required(by schema: JSONValue) -> Set<String> {
        Set(schema.objectValue?["required"]?.arrayValue?.compactMap(\.stringValue) ?? [])
    }

    /// What a property holds, as a form sees it.
    enum Shape: Equatable {
        case text(maxLength: Int?)
        case longText(maxLength: Int?)
        case date, dateTime, email
        case choice([String])
        case whole(minimum: Int?, maximum: Int?)
        case decimal(minimum: Double?, maximum: Double?)
        case amount
        case flag
        case reference(String)
        case object
        case list(of: [String])
        case references(String)
        case rows
        /// A password: never shown back, `minLength` to `maxLength` characters.
        case secret(minLength: Int?, maxLength: Int?)
        case unsupported
    }

    /// The shape of the property at `path` (dotted, rows without their number): a reference where
    /// the options name one, else as its schema says.
    func shape(of schema: JSONValue, at path: String) -> Shape {
        guard let kind = options.references[path] else { return Self.shape(of: schema) }
        return schema.objectValue?["type"]?.stringValue == "array" ? .references(kind) : .reference(kind)
    }

    /// The shape of a property's schema.
    static func shape(of schema: JSONValue) -> Shape {
        guard let members = schema.objectValue else { return .unsupported }
        let type = members["type"]?.stringValue
        if let cases = members["enum"]?.arrayValue?.compactMap(\.stringValue), !cases.isEmpty { return .choice(cases) }
        if let alternatives = members["oneOf"]?.arrayValue {
            return alternatives.lazy.map(shape(of:)).first { $0 != .unsupported } ?? .unsupported
        }
        switch type {
        case "string":
            let maxLength = members["maxLength"]?.intValue
            switch members["format"]?.stringValue {
            case "date": return .date
            case "date-time": return .dateTime
            case "email": return .email
            case "password": return .secret(minLength: members["minLength"]?.intValue, maxLength: maxLength)
            default: return (maxLength ?? 0) > 200 ? .longText(maxLength: maxLength) : .text(maxLength: maxLength)
            }
        case "integer": return .whole(minimum: members["minimum"]?.intValue, maximum: members["maximum"]?.intValue)
        case "number":
            if members["multipleOf"]?.doubleValue == 0.01 { return .amount }
            return .decimal(minimum: members["minimum"]?.doubleValue, maximum: members["maximum"]?.doubleValue)
        case "boolean": return .flag
        case "object": return .object
        case "array":
            let items = members["items"] ?? [:]
            if let cases = items.objectValue?["enum"]?.arrayValue?.compactMap(\.stringValue) { return .list(of: cases) }
            if items.objectValue?["type"]?.stringValue == "object" { return .rows }
            return .unsupported
        default:
            return .unsupported
        }
    }
}

extension JSONValue {
    /// The text, when this is one.
    var stringValue: String? { if case .string(let text) = self { text } else { nil } }
    /// The items, when this is an array.
    var arrayValue: [JSONValue]? { if case .array(let items) = self { items } else { nil } }
    /// The whole number, when this is one.
    var intValue: Int? {
        switch self {
        case .int(let number): number
        case .double(let number) where number.rounded() == number && abs(number) < 1e15: Int(number)
        default: nil
        }
    }
    /// The number, when this is one.
    var doubleValue: Double? {
        switch self {
        case .int(let number): Double(number)
        case .double(let number): number
        default: nil
        }
    }
}
