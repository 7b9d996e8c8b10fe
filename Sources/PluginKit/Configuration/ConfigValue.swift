/// A value of the configuration tree as read from YAML or an environment variable, with the
/// place it came from for error messages.
public indirect enum ConfigValue: Sendable, Hashable {
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

    public static func == (lhs: ConfigValue, rhs: ConfigValue) -> Bool {
        switch (lhs, rhs) {
        case (.scalar(let a, let o1), .scalar(let b, let o2)): a == b && o1 == o2
        case (.null(let o1), .null(let o2)): o1 == o2
        case (.list(let a, let o1), .list(let b, let o2)): a == b && o1 == o2
        case (.map(let a, let o1), .map(let b, let o2)):
            o1 == o2 && a.count == b.count && zip(a, b).allSatisfy { $0.key == $1.key && $0.value == $1.value }
        default: false
        }
    }

    public func hash(into hasher: inout Hasher) {
        switch self {
        case .scalar(let text, let origin):
            hasher.combine(0)
            hasher.combine(text)
            hasher.combine(origin)
        case .null(let origin):
            hasher.combine(1)
            hasher.combine(origin)
        case .list(let items, let origin):
            hasher.combine(2)
            hasher.combine(items)
            hasher.combine(origin)
        case .map(let entries, let origin):
            hasher.combine(3)
            hasher.combine(origin)
            for entry in entries {
                hasher.combine(entry.key)
                hasher.combine(entry.value)
            }
        }
    }
}
