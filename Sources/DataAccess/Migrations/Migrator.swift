import Foundation
public import Logging

/// Applies features' migrations in dependency order, exactly once, under an advisory lock.
///
/// The journal `kernel.migrations` records feature, step, name, checksum, time and duration.
/// Two hosts migrating at once serialise on `pg_advisory_lock`, and the second finds the
/// steps already applied. Each step runs in its own transaction with its journal row, so a
/// failing step leaves neither its changes nor a journal entry. An applied step whose SQL
/// has changed stops everything with an error naming the feature and step.
public struct Migrator: Sendable {
    /// The advisory lock key: "KOOP" in ASCII.
    static let lockKey: Int = 0x4B4F_4F50

    let database: Database
    let logger: Logger

    /// Creates a migrator on a pool.
    public init(database: Database, logger: Logger) {
        self.database = database
        self.logger = logger
    }

    /// Orders groups so that each comes after its dependencies.
    ///
    /// - Throws: ``DatabaseError`` with code ``DatabaseError/Code/migration`` for an unknown
    ///   dependency, a cycle, or steps not numbered 1, 2, 3….
    public static func order(_ groups: [MigrationGroup]) throws -> [MigrationGroup] {
        var byFeature: [String: MigrationGroup] = [:]
        for group in groups {
            guard byFeature[group.feature] == nil else {
                throw DatabaseError(code: .migration, message: "feature \(group.feature) declares migrations twice")
            }
            let steps = group.migrations.map(\.step)
            guard steps == Array(1..<(steps.count + 1)) else {
                throw DatabaseError(
                    code: .migration,
                    message: "feature \(group.feature): steps must be numbered 1, 2, 3… in order, found \(steps)"
                )
            }
            byFeature[group.feature] = group
        }
        var ordered: [MigrationGroup] = []
        var visiting: [String] = []
        var done: Set<String> = []
        func visit(_ feature: String, from: String?) throws {
            if done.contains(feature) { return }
            if let cycleStart = visiting.firstIndex(of: feature) {
                let cycle = (visiting[cycleStart...] + [feature]).joined(separator: " → ")
                throw DatabaseError(code: .migration, message: "dependency cycle: \(cycle)")
            }
            guard let group = byFeature[feature] else {
                throw DatabaseError(code: .migration, message: "feature \(from ?? "?") depends on \(feature), which has no migrations here")
            }
            visiting.append(feature)
            for dependency in group.dependencies { try visit(dependency, from: feature) }
            visiting.removeLast()
            done.insert(feature)
            ordered.append(group)
        }
        for group in groups { try visit(group.feature, from: nil) }
        return ordered
    }

    /// Reads the journal and compares it with the declared steps; applies nothing.
    ///
    /// - Throws: ``DatabaseError``.
    public func status(of groups: [MigrationGroup]) async throws -> [MigrationStatus] {
        let ordered = try Self.order(groups)
        return try await database.withConnection { connection in
            let journal = try Self.readJournal(connection)
            return try ordered.map { group in
                let applied = journal.filter { $0.feature == group.feature }.sorted { $0.step < $1.step }
                let appliedSteps = Set(applied.map(\.step))
                var status = MigrationStatus(
                    feature: group.feature,
                    applied: applied,
                    pending: group.migrations.filter { !appliedSteps.contains($0.step) }
                )
                status.changed = try Self.compare(group, journal: applied, connection).changed.map(\.migration)
                return status
            }
        }
    }

    /// Applies every pending step of `groups`, dependencies first.
    ///
    /// - Returns: The steps applied by this call (empty when everything was up to date).
    /// - Throws: ``DatabaseError`` with code ``DatabaseError/Code/migration`` when a step fails
    ///   (it is rolled back and not journaled) or an applied step's checksum changed.
    @discardableResult
    public func migrate(_ groups: [MigrationGroup]) async throws -> [AppliedMigration] {
        let ordered = try Self.order(groups)
        let logger = self.logger
        return try await database.withConnection { connection in
            // Migrations may take longer than a request's statement timeout, lock waits included.
            try connection.execute("SET statement_timeout = 0")
            try connection.execute("SELECT pg_advisory_lock(\(Self.lockKey))")
            defer {
                _ = try? connection.execute("SELECT pg_advisory_unlock(\(Self.lockKey))")
                _ = try? connection.execute("RESET statement_timeout")
            }
            try connection.executeScript(Self.journalDDL)
            let journal = try Self.readJournal(connection)

            // Verify every applied step before changing anything.
            var pending: [(MigrationGroup, Migration, String)] = []
            for group in ordered {
                let compared = try Self.compare(group, journal: journal.filter { $0.feature == group.feature }, connection)
                if let (migration, entry, checksum) = compared.changed.first {
                    throw DatabaseError(
                        code: .migration,
                        message: "feature \(group.feature) step \(migration.step) (\(migration.name)) was changed after it was applied "
                            + "(journal checksum \(entry.checksum.prefix(12))…, now \(checksum.prefix(12))…); "
                            + "restore the step and add a new one instead"
                    )
                }
                pending += compared.pending.map { (group, $0.migration, $0.checksum) }
            }

            var applied: [AppliedMigration] = []
            for (group, migration, checksum) in pending {
                let started = ContinuousClock.now
                do {
                    try connection.transaction { tx in
                        try connection.executeScript(migration.sql)
                        let milliseconds = Int((ContinuousClock.now - started).milliseconds)
                        let row = try tx.query(
                            """
                            INSERT INTO kernel.migrations (feature, step, name, checksum, duration_ms)
                            VALUES (\(group.feature), \(migration.step), \(migration.name), \(checksum), \(milliseconds))
                            RETURNING applied_at
                            """
                        ).single()
                        applied.append(
                            AppliedMigration(
                                feature: group.feature,
                                step: migration.step,
                                name: migration.name,
                                checksum: checksum,
                                appliedAt: try row.decode("applied_at"),
                                durationMilliseconds: milliseconds
                            )
                        )
                    }
                } catch let error as DatabaseError {
                    throw DatabaseError(
                        code: .migration,
                        message: "feature \(group.feature) step \(migration.step) (\(migration.name)) failed and was rolled back: \(error.message)",
                        sqlState: error.sqlState,
                        constraint: error.constraint,
                        table: error.table,
                        column: error.column,
                        detail: error.detail
                    )
                }
                logger.info("applied migration \(group.feature) \(migration.step) \(migration.name)")
            }
            return applied
        }
    }

    static let journalDDL = """
        CREATE SCHEMA IF NOT EXISTS kernel;
        CREATE TABLE IF NOT EXISTS kernel.migrations (
            feature     text        NOT NULL,
            step        integer     NOT NULL CHECK (step > 0),
            name        text        NOT NULL,
            checksum    text        NOT NULL,
            applied_at  timestamptz NOT NULL DEFAULT now(),
            duration_ms integer     NOT NULL,
            PRIMARY KEY (feature, step)
        );
        """

    /// `group`'s declared steps against its journal entries: those not applied yet, and those
    /// applied whose SQL has changed since, each with its checksum now.
    static func compare(
        _ group: MigrationGroup,
        journal: [AppliedMigration],
        _ connection: DatabaseConnection
    ) throws -> (pending: [(migration: Migration, checksum: String)], changed: [(migration: Migration, entry: AppliedMigration, checksum: String)]) {
        let byStep = Dictionary(journal.map { ($0.step, $0) }) { first, _ in first }
        var pending: [(migration: Migration, checksum: String)] = []
        var changed: [(migration: Migration, entry: AppliedMigration, checksum: String)] = []
        for (migration, checksum) in zip(group.migrations, try checksums(of: group.migrations, connection)) {
            if let entry = byStep[migration.step] {
                if entry.checksum != checksum { changed.append((migration, entry, checksum)) }
            } else {
                pending.append((migration, checksum))
            }
        }
        return (pending, changed)
    }

    static func readJournal(_ connection: DatabaseConnection) throws -> [AppliedMigration] {
        let exists = try connection.query("SELECT to_regclass('kernel.migrations') IS NOT NULL AS present").single()
        guard try exists.decode("present", as: Bool.self) else { return [] }
        return try connection.query(
            "SELECT feature, step, name, checksum, applied_at, duration_ms FROM kernel.migrations ORDER BY applied_at, feature, step"
        ).map { row in
            AppliedMigration(
                feature: try row.decode("feature"),
                step: try row.decode("step"),
                name: try row.decode("name"),
                checksum: try row.decode("checksum"),
                appliedAt: try row.decode("applied_at"),
                durationMilliseconds: try row.decode("duration_ms")
            )
        }
    }

    /// SHA-256 of each step's text, computed by PostgreSQL (no crypto dependency needed).
    static func checksums(of migrations: [Migration], _ connection: DatabaseConnection) throws -> [String] {
        guard !migrations.isEmpty else { return [] }
        let texts = migrations.map(\.sql)
        return try connection.query(
            """
            SELECT encode(sha256(convert_to(body, 'UTF8')), 'hex') AS checksum
            FROM unnest(\(texts)) WITH ORDINALITY AS t(body, position) ORDER BY position
            """
        ).map { try $0.decode("checksum") }
    }
}
