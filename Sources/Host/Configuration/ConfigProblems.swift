import PluginKit

/// The problems found while reading a configuration; thrown by the host when there are any.
struct ConfigProblems: Error, Sendable, CustomStringConvertible {
    /// Every problem, in the order found.
    let problems: [ConfigProblem]

    /// Wraps the problems.
    init(_ problems: [ConfigProblem]) { self.problems = problems }

    var description: String {
        "the configuration has \(problems.count) problem\(problems.count == 1 ? "" : "s"):\n"
            + problems.map { "  - \($0)" }.joined(separator: "\n")
    }
}
