import Foundation

/// A copy of chosen schemas of a database in `pg_dump`'s custom format, and its restore, through
/// PostgreSQL's own tools (`pg_dump`, `pg_restore` from the server's binary directory).
///
/// The password of the connection string goes to the tools in `PGPASSWORD`, never in their
/// arguments. A backup is written to a file beside the target and renamed into place when
/// complete, readable by its owner only: a half-written file never carries the target's name. A
/// restore runs in one transaction: it lands whole or not at all.
///
/// ```swift
/// let dump = DatabaseDump(url: ownerURL)
/// try dump.backup(schemas: ["kernel", "registry", "supervision"], extensions: ["pg_trgm"], to: "/backups/kooperator.dump")
/// try DatabaseDump(url: emptyDatabaseURL).restore(from: "/backups/kooperator.dump")
/// ```
public struct DatabaseDump: Sendable {
    /// The database, as a `postgresql://` URL or `key=value` string.
    public let url: String

    /// A dump of (or restore into) the database at `url`.
    public init(url: String) { self.url = url }

    /// Writes `schemas` (their tables, data, functions, collations) and the `extensions` they
    /// use to `path`.
    ///
    /// - Throws: ``DatabaseDumpError`` naming the step and what the tool said.
    public func backup(schemas: [String], extensions: [String] = [], to path: String) throws {
        let (conninfo, environment) = try settings()
        let partial = path + ".partial"
        unlink(partial)
        let outcome = try run(
            "pg_dump",
            ["--format=custom", "--no-password", "--file=\(partial)", "--dbname=\(conninfo)"]
                + schemas.map { "--schema=\($0)" } + extensions.map { "--extension=\($0)" },
            environment: environment
        )
        guard outcome.status == 0 else {
            unlink(partial)
            throw DatabaseDumpError(step: "pg_dump", message: outcome.output)
        }
        chmod(partial, 0o600)
        guard rename(partial, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(partial)
            throw DatabaseDumpError(step: "write \(path)", message: reason)
        }
    }

    /// Restores a dump made by ``backup(schemas:extensions:to:)`` into this database, in one
    /// transaction, its objects owned by the connecting role and without the source's grants.
    ///
    /// - Throws: ``DatabaseDumpError`` naming the step and what the tool said; nothing is
    ///   restored then.
    public func restore(from path: String) throws {
        let (conninfo, environment) = try settings()
        let outcome = try run(
            "pg_restore",
            ["--no-password", "--single-transaction", "--exit-on-error", "--no-owner", "--no-privileges", "--dbname=\(conninfo)", path],
            environment: environment
        )
        guard outcome.status == 0 else { throw DatabaseDumpError(step: "pg_restore", message: outcome.output) }
    }

    /// The schemas a dump holds, from its table of contents.
    ///
    /// - Throws: ``DatabaseDumpError`` when the file is not a dump `pg_restore` can read.
    public static func schemas(inDumpAt path: String) throws -> [String] {
        guard FileManager.default.isReadableFile(atPath: path) else {
            throw DatabaseDumpError(step: "read \(path)", message: "no such file, or it cannot be read")
        }
        let outcome = try DatabaseDump(url: "").run("pg_restore", ["--list", path], environment: [:])
        guard outcome.status == 0 else { throw DatabaseDumpError(step: "pg_restore --list", message: outcome.output) }
        // An entry reads `215; 2615 16390 SCHEMA - kernel kooperator_owner`.
        return outcome.output.split(separator: "\n").compactMap { line in
            let words = line.split(separator: " ")
            guard !line.hasPrefix(";"), let at = words.firstIndex(of: "SCHEMA"), words.count > at + 2, words[at + 1] == "-" else { return nil }
            return String(words[at + 2])
        }
    }

    private func settings() throws -> (conninfo: String, environment: [String: String]) {
        guard let (conninfo, password) = DatabaseConfiguration.clientSettings(fromURL: url) else {
            throw DatabaseDumpError(
                step: "read the connection string",
                message: DatabaseConfiguration.problem(withURL: url) ?? "not a connection string"
            )
        }
        return (conninfo, password.map { ["PGPASSWORD": $0] } ?? [:])
    }

    private func run(_ tool: String, _ arguments: [String], environment: [String: String]) throws -> ChildProcess.Outcome {
        let directory: String
        do {
            directory = try EmbeddedPostgres.binaryDirectory()
        } catch {
            throw DatabaseDumpError(step: tool, message: "\(tool) not found: install the postgresql package (apt-get install postgresql)")
        }
        return try ChildProcess.run(directory + "/" + tool, arguments, environment: environment)
    }
}

/// A backup or restore that failed: the step and what the tool said.
public struct DatabaseDumpError: Error, Sendable, CustomStringConvertible {
    /// The step that failed (`pg_dump`, `pg_restore`, `write <file>`, …).
    public let step: String
    /// What the tool printed, or why the step could not run.
    public let message: String

    public var description: String { "\(step) failed: \(message)" }
}
