public import ArgumentParser

/// An admin command of a feature: `kooperator <feature id> <command> …`.
///
/// Write it like any swift-argument-parser command, but implement ``run(context:)`` instead
/// of `run()`: the host parses the arguments, connects to the database and hands the
/// feature's context in. The command exists only while its feature is enabled.
///
/// ```swift
/// struct Handover: FeatureCommand {
///     static let configuration = CommandConfiguration(commandName: "handover", abstract: "Move every active assignment to another provider")
///     @Option var from: Int
///     @Option var to: Int
///     func run(context: FeatureContext) async throws { … }
/// }
/// ```
public protocol FeatureCommand: AsyncParsableCommand {
    /// Runs the command with the feature's database, logger and event publisher.
    ///
    /// - Parameter context: The feature's context.
    /// - Throws: Any error; the host prints it and exits non-zero.
    func run(context: FeatureContext) async throws
}

// MARK: - Default implementations

extension FeatureCommand {
    /// Feature commands need the host's context; run them through `kooperator <feature> …`.
    public func run() async throws {
        throw ValidationError("\(Self._commandName) runs through `kooperator <feature> \(Self._commandName)`")
    }
}
