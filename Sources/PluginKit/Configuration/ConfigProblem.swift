/// One thing wrong with the configuration: where, and what.
public struct ConfigProblem: Sendable, Hashable, CustomStringConvertible {
    /// The key path, e.g. `features.supervision.reviewWarningDays`.
    public let keyPath: String
    /// What is wrong, and what would be right.
    public let message: String
    /// Where the value came from (file and line, or environment variable), if known.
    public let origin: String?

    /// Describes a problem.
    public init(keyPath: String, message: String, origin: String? = nil) {
        self.keyPath = keyPath
        self.message = message
        self.origin = origin
    }

    public var description: String {
        if let origin { return "\(keyPath): \(message) (\(origin))" }
        return "\(keyPath): \(message)"
    }
}
