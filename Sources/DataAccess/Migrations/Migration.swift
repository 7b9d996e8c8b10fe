public import struct Foundation.Date

/// One numbered step of a feature's schema: fixed SQL text, applied once, in order.
///
/// A step is never edited after it has been applied anywhere: the journal stores its
/// checksum, and a changed step stops the host. Fix a mistake with a new step.
public struct Migration: Sendable, Hashable {
    /// The step number: 1, 2, 3… within the feature.
    public let step: Int
    /// A short name for the journal and `kooperator migrate --status`.
    public let name: String
    /// The SQL script; it may hold several statements and runs in one transaction
    /// (so not `CREATE INDEX CONCURRENTLY`).
    public let sql: String

    /// Declares a step.
    ///
    /// - Parameters:
    ///   - step: The step number, counting from 1 without gaps.
    ///   - name: A short name.
    ///   - sql: The script.
    public init(step: Int, name: String, sql: String) {
        self.step = step
        self.name = name
        self.sql = sql
    }
}

/// The migrations of one feature (or of the kernel), with the features it depends on.
public struct MigrationGroup: Sendable, Hashable {
    /// The owning feature's id; also its schema.
    public let feature: String
    /// Features whose migrations must run first.
    public let dependencies: [String]
    /// The steps, in order.
    public let migrations: [Migration]

    /// Declares a feature's migrations.
    public init(feature: String, dependencies: [String] = [], migrations: [Migration]) {
        self.feature = feature
        self.dependencies = dependencies
        self.migrations = migrations
    }
}

/// A step recorded in the journal `kernel.migrations`.
public struct AppliedMigration: Sendable, Hashable {
    /// The feature id.
    public let feature: String
    /// The step number.
    public let step: Int
    /// The step's name when it was applied.
    public let name: String
    /// SHA-256 of the step's SQL text, hex.
    public let checksum: String
    /// When the step was applied.
    public let appliedAt: Date
    /// How long it took, in milliseconds.
    public let durationMilliseconds: Int
}

/// Where one feature's migrations stand.
public struct MigrationStatus: Sendable, Hashable {
    /// The feature id.
    public let feature: String
    /// Steps in the journal.
    public let applied: [AppliedMigration]
    /// Steps not yet applied.
    public let pending: [Migration]
    /// Applied steps whose SQL is no longer what the journal recorded: the past was changed,
    /// and nothing may serve on it.
    public var changed: [Migration] = []

    /// The steps of ``changed`` as one sentence naming each, for a refusal.
    public var changedDescription: String {
        changed.map { "feature \(feature) step \($0.step) (\($0.name)) was changed after it was applied" }.joined(separator: "; ")
    }
}
