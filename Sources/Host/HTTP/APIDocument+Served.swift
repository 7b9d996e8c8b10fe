import DataAccess
import PluginKit

extension APIDocument {
    /// A piece of a document as `/openapi.json` serves it, with two conventions of the host written
    /// out that hold for every operation, so the documents need not repeat them:
    ///
    /// - an optional query parameter given empty (`?asOf=`) counts as not given
    ///   (`allowEmptyValue: true`), as a form's empty field does;
    /// - an optional property of a JSON body may be `null`, which reads as absent: the host decodes
    ///   bodies into Swift types whose optional fields take either;
    /// - a whole number is a 64-bit one (`format: int64`), as Swift's `Int` is.
    static func served(_ value: JSONValue) -> JSONValue {
        switch value {
        case .array(let items):
            return .array(items.map(served))
        case .object(var members):
            members[propertyOrderKey] = nil
            for (key, member) in members { members[key] = served(member) }
            if members["type"] == .string("integer"), members["format"] == nil { members["format"] = "int64" }
            if case .string("query")? = members["in"], members["required"] != .bool(true), members["name"] != nil {
                members["allowEmptyValue"] = true
            }
            if case .object(var properties)? = members["properties"] {
                let required: Set<String> =
                    if case .array(let names)? = members["required"] {
                        Set(names.compactMap { if case .string(let name) = $0 { name } else { nil } })
                    } else { [] }
                for (name, property) in properties where !required.contains(name) { properties[name] = nullable(property) }
                members["properties"] = .object(properties)
            }
            return .object(members)
        default:
            return value
        }
    }

    /// `schema`, or `null`.
    static func nullable(_ schema: JSONValue) -> JSONValue {
        guard case .object(var members) = schema else { return schema }
        switch members["type"] {
        case .string(let type)?:
            members["type"] = [.string(type), "null"]
            if case .array(let cases)? = members["enum"] { members["enum"] = .array(cases + [.null]) }
            return .object(members)
        case .array(let types)? where !types.contains(.null):
            members["type"] = .array(types + [.null])
            return .object(members)
        case nil where members["$ref"] != nil:
            let description = members.removeValue(forKey: "description")
            var wrapped: [String: JSONValue] = ["anyOf": [.object(members), ["type": "null"]]]
            if let description { wrapped["description"] = description }
            return .object(wrapped)
        default:
            return schema
        }
    }
}
