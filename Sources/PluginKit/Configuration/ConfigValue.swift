/// A value of the configuration tree as read from YAML or an environment variable, with the
/// place it came from for error messages.
public indirect enum ConfigValue: Sendable {
    /// A scalar, kept as text until a setting asks for a type.
    case scalar(String, origin: String)
    /// `~`, `null` or an empty value.
    case null(origin: String)
    /// A sequence.
    case list([ConfigValue], origin: String)
    /// A mapping, in file order.
    case map([(key: String, value: ConfigValue)], origin: String)

    /// Where the value came from: `config/kooperator.yaml:12` or `KOOPERATOR_HTTP_PORT`.
    public var origin: String {
        switch self {
        case .scalar(_, let origin), .null(let origin), .list(_, let origin), .map(_, let origin): origin
        }
    }

    /// The value under `key`, for a mapping.
    public subscript(key: String) -> ConfigValue? {
        guard case .map(let entries, _) = self else { return nil }
        return entries.last { $0.key == key }?.value
    }

    /// A name for the value's kind, for "expected … but found …" messages.
    var kindName: String {
        switch self {
        case .scalar: "a value"
        case .null: "nothing"
        case .list: "a list"
        case .map: "a mapping"
        }
    }

}
