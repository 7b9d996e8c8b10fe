import PluginKit

extension ConfigValue {
    /// Sets `value` at `path` (creating mappings on the way), replacing what was there.
    mutating func set(_ value: ConfigValue, at path: [String]) {
        guard let first = path.first else {
            self = value
            return
        }
        var entries: [(key: String, value: ConfigValue)] = []
        var origin = value.origin
        if case .map(let existing, let existingOrigin) = self {
            entries = existing
            origin = existingOrigin
        }
        if let index = entries.lastIndex(where: { $0.key == first }) {
            entries[index].value.set(value, at: Array(path.dropFirst()))
        } else {
            var child = ConfigValue.map([], origin: value.origin)
            child.set(value, at: Array(path.dropFirst()))
            entries.append((first, child))
        }
        self = .map(entries, origin: origin)
    }
}
