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

/// The problems found while reading a configuration; thrown by the host when there are any.
public struct ConfigProblems: Error, Sendable, CustomStringConvertible {
    /// Every problem, in the order found.
    public let problems: [ConfigProblem]

    /// Wraps the problems.
    public init(_ problems: [ConfigProblem]) { self.problems = problems }

    public var description: String {
        "the configuration has \(problems.count) problem\(problems.count == 1 ? "" : "s"):\n"
            + problems.map { "  - \($0)" }.joined(separator: "\n")
    }
}
