import DataAccess
import Foundation
import HostTestSupport
import TestSupport
import Testing

/// `kooperator db backup` and `db restore` (issue 24, backups): the demo story backed up and
/// restored into a fresh database is the same, table by table; the wrong database and the wrong
/// file are refused with a message, and nothing is changed then.
@Suite("Backup and restore", .enabled(if: FileManager.default.isExecutableFile(atPath: Kooperator.executable)))
struct BackupTests {
    static let features = """
        supervision: { enabled: true }
        education: { enabled: true }
        esf: { enabled: true }
        partnerships: { enabled: true }
        """

    /// Each table of the owned schemas: its row count and a hash of its rows in a fixed order.
    static func fingerprints(_ url: String) async throws -> [String: String] {
        let database = TestPostgres.database(url: url, poolSize: 1)
        do {
            let tables = try await database.query(
                """
                SELECT schemaname::text AS schema, tablename::text AS table FROM pg_tables
                WHERE schemaname IN ('kernel', 'registry', 'supervision', 'education', 'esf', 'partnerships')
                """
            ).map { (try $0.decode("schema", as: String.self), try $0.decode("table", as: String.self)) }
            var result: [String: String] = [:]
            for (schema, table) in tables {
                let row = try await database.query(
                    """
                    SELECT count(*)::text || ' ' || coalesce(md5(string_agg(t::text, '|' ORDER BY t::text)), '') AS f
                    FROM \(identifier: schema).\(identifier: table) t
                    """
                ).single()
                result[schema + "." + table] = try row.decode("f", as: String.self)
            }
            await database.shutdown()
            return result
        } catch {
            await database.shutdown()
            throw error
        }
    }

    @Test("the demo story backed up and restored into an empty database: every table's rows and content equal; the file is the owner's only")
    func roundTrip() async throws {
        let source = try await TestPostgres.makeDatabaseURL()
        let target = try await TestPostgres.makeDatabaseURL()
        let sourceConfig = try HostFixture.writeConfig(HostFixture.yaml(url: source, features: Self.features))
        let targetConfig = try HostFixture.writeConfig(HostFixture.yaml(url: target, features: Self.features))
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("kooperator-backup-\(UUID().uuidString).dump").path
        defer {
            for path in [sourceConfig, targetConfig, file] { try? FileManager.default.removeItem(atPath: path) }
        }
        let loaded = try await Kooperator.run(["demo", "load", "--migrate"], config: sourceConfig)
        #expect(loaded.status == 0, "\(loaded.stderr)")

        let backedUp = try await Kooperator.run(["db", "backup", file], config: sourceConfig)
        #expect(backedUp.status == 0, "\(backedUp.stderr)")
        #expect(
            backedUp.stdout.contains("kernel, registry, supervision, education, esf, partnerships") || backedUp.stdout.contains("backed up kernel")
        )
        let attributes = try FileManager.default.attributesOfItem(atPath: file)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        #expect(!FileManager.default.fileExists(atPath: file + ".partial"))

        let restored = try await Kooperator.run(["db", "restore", file], config: targetConfig)
        #expect(restored.status == 0, "\(restored.stderr)")
        let before = try await Self.fingerprints(source)
        let after = try await Self.fingerprints(target)
        #expect(before.count > 40, "every feature's tables are compared")
        #expect(before["registry.people"]?.hasPrefix("0 ") == false, "the demo's people are in the copy")
        for (table, fingerprint) in before {
            #expect(after[table] == fingerprint, "\(table) differs after the restore")
        }
        #expect(Set(after.keys) == Set(before.keys))

        // The restored host serves: it is migrated and its key opens the numbers.
        let status = try await Kooperator.run(["migrate", "--status"], config: targetConfig)
        #expect(status.status == 0, "\(status.stderr)")
        let states = status.stdout.split(separator: "\n").dropFirst()
        #expect(!states.isEmpty && states.allSatisfy { !$0.hasSuffix("pending") && !$0.contains("CHANGED") }, "\(status.stdout)")

        // A restore into a database that is not empty is refused, and nothing changes.
        let again = try await Kooperator.run(["db", "restore", file], config: targetConfig)
        #expect(again.status != 0)
        #expect(again.stderr.contains("not empty") && again.stderr.contains("kernel"))
        #expect(try await Self.fingerprints(target) == after)
        await TestPostgres.dropDatabase(url: source)
        await TestPostgres.dropDatabase(url: target)
    }

    @Test("a backup of a database without Kooperator's schemas and a restore of a file that is no backup are refused with what is wrong")
    func wrongDatabaseAndFile() async throws {
        let empty = try await TestPostgres.makeDatabaseURL()
        let config = try HostFixture.writeConfig(HostFixture.yaml(url: empty, features: Self.features))
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("kooperator-backup-\(UUID().uuidString).dump").path
        let notADump = file + ".txt"
        try "name;amount\n".write(toFile: notADump, atomically: true, encoding: .utf8)
        defer {
            for path in [config, file, notADump] { try? FileManager.default.removeItem(atPath: path) }
        }
        let backup = try await Kooperator.run(["db", "backup", file], config: config)
        #expect(backup.status != 0)
        #expect(backup.stderr.contains("no Kooperator schemas") && backup.stderr.contains("database.url"))
        #expect(!FileManager.default.fileExists(atPath: file))

        let restore = try await Kooperator.run(["db", "restore", notADump], config: config)
        #expect(restore.status != 0)
        #expect(restore.stderr.contains("pg_restore"), "\(restore.stderr)")
        let missing = try await Kooperator.run(["db", "restore", file], config: config)
        #expect(missing.status != 0)
        #expect(missing.stderr.contains("cannot be read"))
        await TestPostgres.dropDatabase(url: empty)
    }
}
