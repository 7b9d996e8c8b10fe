/// A typed reader over one mapping of the configuration, used by the host for its own
/// sections and by each feature for `features.<id>`.
///
/// Every accessor returns a usable value (the default when the key is missing or wrong) and
/// records a ``ConfigProblem`` with the full key path when the value has the wrong type or is
/// out of range. Keys that nothing read are reported by ``unreadKeys()``, so a misspelled
/// setting is an error rather than silently ignored.
///
/// ```swift
/// let days = settings.int("reviewWarningDays", default: 30, range: 1...365)
/// let mode = settings.string("mode", default: "strict", allowed: ["strict", "lenient"])
/// ```
public final class ConfigSection {
    /// The key path of this section, e.g. `features.supervision`.
    public let path: String
    let value: ConfigValue?
    private var readKeys: Set<String> = []
    private var ignoredKeys: Set<String>
    private let sink: ProblemSink

    /// Creates a reader over `value` at `path`; problems go to `problems`.
    ///
    /// - Parameters:
    ///   - path: The key path of the mapping.
    ///   - value: The mapping, or `nil` when the section is absent (every key takes its default).
    ///   - ignoring: Keys read elsewhere (such as the host's `enabled`).
    public convenience init(path: String, value: ConfigValue?, ignoring: Set<String> = []) {
        self.init(path: path, value: value, ignoring: ignoring, sink: ProblemSink())
    }

    init(path: String, value: ConfigValue?, ignoring: Set<String>, sink: ProblemSink) {
        self.path = path
        self.value = value
        self.ignoredKeys = ignoring
        self.sink = sink
        if let value {
            switch value {
            case .map, .null: break
            default: sink.add(ConfigProblem(keyPath: path, message: "expected a mapping of settings, found \(value.kindName)", origin: value.origin))
            }
        }
    }

    /// Every problem recorded by this section and the sections made from it.
    public var problems: [ConfigProblem] { sink.problems }

    /// The keys present in the file, in file order.
    public var keys: [String] {
        guard case .map(let entries, _) = value else { return [] }
        return entries.map(\.key)
    }

    /// Whether the key is present.
    public func contains(_ key: String) -> Bool { value?[key] != nil }

    func keyPath(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    private func raw(_ key: String) -> ConfigValue? {
        readKeys.insert(key)
        guard let found = value?[key] else { return nil }
        if case .null = found { return nil }
        return found
    }

    /// Records a problem with a key of this section, for checks the accessors cannot express.
    ///
    /// - Parameters:
    ///   - key: The key, relative to this section.
    ///   - message: What is wrong.
    public func problem(_ key: String, _ message: String) {
        sink.add(ConfigProblem(keyPath: keyPath(key), message: message, origin: value?[key]?.origin))
    }

    // MARK: - Scalars

    /// A string setting.
    ///
    /// - Parameters:
    ///   - key: The key in this section.
    ///   - defaultValue: The value when the key is missing or wrong.
    ///   - allowed: When given, the only accepted values.
    /// - Returns: The value.
    public func string(_ key: String, default defaultValue: String, allowed: [String]? = nil) -> String {
        guard let found = raw(key) else { return defaultValue }
        guard case .scalar(let text, let origin) = found else {
            sink.add(ConfigProblem(keyPath: keyPath(key), message: "expected a string, found \(found.kindName)", origin: found.origin))
            return defaultValue
        }
        if let allowed, !allowed.contains(text) {
            sink.add(
                ConfigProblem(
                    keyPath: keyPath(key),
                    message: "\"\(text)\" is not one of \(allowed.map { "\"\($0)\"" }.joined(separator: ", "))",
                    origin: origin
                )
            )
            return defaultValue
        }
        return text
    }

    /// An optional string setting: `nil` when missing, `null` or empty.
    public func optionalString(_ key: String) -> String? {
        guard let found = raw(key) else { return nil }
        guard case .scalar(let text, _) = found else {
            sink.add(ConfigProblem(keyPath: keyPath(key), message: "expected a string, found \(found.kindName)", origin: found.origin))
            return nil
        }
        return text.isEmpty ? nil : text
    }

    /// An integer setting.
    ///
    /// - Parameters:
    ///   - key: The key in this section.
    ///   - defaultValue: The value when the key is missing or wrong.
    ///   - range: When given, the accepted values.
    /// - Returns: The value.
    public func int(_ key: String, default defaultValue: Int, range: ClosedRange<Int>? = nil) -> Int {
        number(key, default: defaultValue, range: range, kind: "an integer")
    }

    /// A number setting.
    func double(_ key: String, default defaultValue: Double, range: ClosedRange<Double>? = nil) -> Double {
        number(key, default: defaultValue, range: range, kind: "a number")
    }

    private func number<Number: LosslessStringConvertible & Comparable>(
        _ key: String,
        default defaultValue: Number,
        range: ClosedRange<Number>?,
        kind: String
    ) -> Number {
        guard let found = raw(key) else { return defaultValue }
        guard case .scalar(let text, let origin) = found, let number = Number(text.replacingUnderscores) else {
            sink.add(ConfigProblem(keyPath: keyPath(key), message: "expected \(kind), found \(found.describedValue)", origin: found.origin))
            return defaultValue
        }
        if let range, !range.contains(number) {
            sink.add(
                ConfigProblem(keyPath: keyPath(key), message: "\(number) is out of range \(range.lowerBound)…\(range.upperBound)", origin: origin)
            )
            return defaultValue
        }
        return number
    }

    /// A boolean setting: `true` or `false`.
    public func bool(_ key: String, default defaultValue: Bool) -> Bool {
        guard let found = raw(key) else { return defaultValue }
        if case .scalar(let text, _) = found {
            switch text.lowercased() {
            case "true": return true
            case "false": return false
            default: break
            }
        }
        sink.add(ConfigProblem(keyPath: keyPath(key), message: "expected true or false, found \(found.describedValue)", origin: found.origin))
        return defaultValue
    }

    // MARK: - Nesting

    /// The mapping under `key`, as a section of its own (empty when missing).
    ///
    /// - Parameters:
    ///   - key: The key in this section.
    ///   - ignoring: Keys of the nested section that are read elsewhere.
    public func section(_ key: String, ignoring: Set<String> = []) -> ConfigSection {
        ConfigSection(path: keyPath(key), value: raw(key), ignoring: ignoring, sink: sink)
    }

    /// The keys present but never read: misspellings and settings that do not exist.
    ///
    /// Call it after reading everything; the host does so for every section.
    /// - Returns: One problem per unknown key.
    @discardableResult
    public func reportUnreadKeys() -> [ConfigProblem] {
        guard case .map(let entries, _) = value else { return [] }
        let problems = entries.filter { !readKeys.contains($0.key) && !ignoredKeys.contains($0.key) }.map {
            ConfigProblem(keyPath: keyPath($0.key), message: "unknown key", origin: $0.value.origin)
        }
        problems.forEach(sink.add)
        return problems
    }
}

/// Collects problems across a section and the sections nested in it.
final class ProblemSink {
    private(set) var problems: [ConfigProblem] = []
    func add(_ problem: ConfigProblem) {
        if !problems.contains(problem) { problems.append(problem) }
    }
}

extension ConfigValue {
    var describedValue: String {
        if case .scalar(let text, _) = self { return "\"\(text)\"" }
        return kindName
    }
}

extension String {
    fileprivate var replacingUnderscores: String { String(filter { $0 != "_" }) }
}
