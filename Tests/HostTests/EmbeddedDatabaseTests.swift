import DataAccess
import Foundation
import HostTestSupport
import TestSupport
import Testing

@testable import Host

#if canImport(Glibc)
import Glibc
#endif

/// The embedded cluster the host makes when `database.url` is empty: the product's default,
/// not the tests' fast cluster.
@Suite("the embedded cluster: durable, passwords, socket only, two roles")
struct EmbeddedDatabaseTests {
    /// A config with the embedded cluster in a folder of the test's own.
    static func configuration(directory: String) throws -> LoadedConfiguration {
        let yaml = """
            database:
              url: ""
              connectTimeoutSeconds: \(Int(TestPostgres.connectTimeout.components.seconds))
              embedded:
                directory: \(directory)
            security:
              identityKeyFile: \(directory)-identity.key
            """
        let (configuration, problems) = try HostFixture.configuration(yaml)
        guard let configuration, problems.isEmpty else { throw ConfigProblems(problems) }
        return configuration
    }

    static func folder() -> String {
        TestPostgres.packageRoot + "/.kooperator/embedded-\(UUID().uuidString.prefix(8).lowercased())"
    }

    static func remove(_ cluster: EmbeddedPostgres?, folder: String) {
        try? cluster?.stop()
        if let cluster { try? FileManager.default.removeItem(atPath: cluster.directory) }
        try? FileManager.default.removeItem(atPath: folder)
        try? FileManager.default.removeItem(atPath: folder + "-identity.key")
    }

    /// Whether a connection with `url` is refused.
    static func refused(_ url: String) async -> Bool {
        let database = TestPostgres.database(url: url, poolSize: 1)
        let refused: Bool
        do {
            _ = try await database.query("SELECT 1")
            refused = false
        } catch {
            refused = true
        }
        await database.shutdown()
        return refused
    }

    @Test("fsync and full_page_writes on, SCRAM for every line, a 0600 password file, the socket in its folder and no TCP")
    func productDefaults() async throws {
        let folder = Self.folder()
        let configuration = try Self.configuration(directory: folder)
        let runtime = try await offload { try HostRuntime.start(configuration: configuration, logger: TestPostgres.logger) }
        let startedCluster = runtime.startedCluster
        do {
            let cluster = try #require(startedCluster)
            #expect(cluster.listensOnTCP == false)
            let superuser = TestPostgres.database(url: try cluster.url(database: "kooperator", as: .superuser), poolSize: 1)
            let settings = try await superuser.query(
                """
                SELECT current_setting('fsync') AS fsync, current_setting('full_page_writes') AS full_page_writes,
                       current_setting('listen_addresses') AS listen, current_setting('unix_socket_directories') AS sockets,
                       current_setting('password_encryption') AS encryption,
                       (SELECT string_agg(DISTINCT auth_method, ',') FROM pg_hba_file_rules) AS methods,
                       (SELECT count(*) FROM pg_hba_file_rules WHERE type = 'local') AS local_lines,
                       (SELECT count(*) FROM pg_hba_file_rules WHERE type = 'host') AS host_lines
                """
            ).single()
            await superuser.shutdown()
            #expect(try settings.decode("fsync", as: String.self) == "on")
            #expect(try settings.decode("full_page_writes", as: String.self) == "on")
            #expect(try settings.decode("listen", as: String.self) == "")
            #expect(try settings.decode("sockets", as: String.self) == cluster.directory + "/socket")
            #expect(try settings.decode("encryption", as: String.self) == "scram-sha-256")
            #expect(try settings.decode("methods", as: String.self) == "scram-sha-256")
            #expect(try settings.decode("local_lines", as: Int.self) >= 1)
            #expect(try settings.decode("host_lines", as: Int.self) >= 1)

            // The socket is in the cluster's folder; the passwords are the owner's alone.
            #expect(FileManager.default.fileExists(atPath: cluster.directory + "/socket/.s.PGSQL.\(cluster.port)"))
            var status = stat()
            #expect(stat(cluster.passwordFile, &status) == 0)
            #expect(status.st_mode & 0o777 == 0o600)
            #expect(cluster.passwordFile.hasPrefix(cluster.directory + "/"))

            // Without the password, or with a wrong one, no role gets in.
            let socket = cluster.directory.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
            for role in EmbeddedCredentials.Role.allCases {
                let base = "postgresql://\(role.rawValue)@/kooperator?host=\(socket)%2Fsocket&port=\(cluster.port)"
                #expect(await Self.refused(base), "\(role) without a password")
                #expect(await Self.refused(base + "&password=wrong"), "\(role) with a wrong password")
            }

            // The host serves as a role that is no superuser and owns nothing; the owner owns the database.
            let me = try await runtime.database.query(
                """
                SELECT current_user::text AS name, r.rolsuper AS superuser,
                       (SELECT count(*) FROM pg_class WHERE relowner = r.oid) AS relations,
                       (SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = current_database()) AS database_owner
                FROM pg_roles r WHERE r.rolname = current_user
                """
            ).single()
            #expect(try me.decode("name", as: String.self) == EmbeddedCredentials.Role.server.rawValue)
            #expect(try me.decode("superuser", as: Bool.self) == false)
            #expect(try me.decode("relations", as: Int.self) == 0)
            #expect(try me.decode("database_owner", as: String.self) == EmbeddedCredentials.Role.owner.rawValue)
            await runtime.shutdown()
        } catch {
            await runtime.shutdown()
            Self.remove(startedCluster, folder: folder)
            throw error
        }
        Self.remove(startedCluster, folder: folder)
    }

    @Test("a cluster of an earlier version (trust, migrated as the superuser, no password file) is upgraded in place, its data kept")
    func upgradeInPlace() async throws {
        let folder = Self.folder()
        let configuration = try Self.configuration(directory: folder)
        // An earlier version: everything made by the superuser.
        let first = try await offload { try HostRuntime.start(configuration: configuration, logger: TestPostgres.logger) }
        await first.database.shutdown()
        let startedCluster = first.startedCluster
        do {
            let cluster = try #require(startedCluster)
            let superuser = TestPostgres.database(url: try cluster.url(database: "kooperator", as: .superuser), poolSize: 1)
            try await Migrator(database: superuser, logger: TestPostgres.logger).migrate(configuration.features.migrationGroups)
            try await superuser.execute("CREATE SCHEMA legacy")
            try await superuser.execute("CREATE TABLE legacy.things (id bigserial PRIMARY KEY, name text NOT NULL)")
            try await superuser.execute("INSERT INTO legacy.things (name) VALUES ('kept'), ('also kept')")
            try await superuser.execute(
                "INSERT INTO kernel.audit_log (actor, feature, entity, entity_id, action) VALUES ('old', 'kernel', 'probe', '1', 'insert')"
            )
            try await superuser.execute("ALTER DATABASE kooperator OWNER TO postgres")
            await superuser.shutdown()
            try await offload { try cluster.stop() }
            let trust = "local all all trust\nhost all all 127.0.0.1/32 trust\n"
            try trust.write(toFile: cluster.directory + "/data/pg_hba.conf", atomically: false, encoding: .utf8)
            try FileManager.default.removeItem(atPath: cluster.passwordFile)

            // This version's start upgrades it.
            let runtime = try await offload { try HostRuntime.start(configuration: configuration, logger: TestPostgres.logger) }
            do {
                try await runtime.grantServingRole()
                try await runtime.requireMigrated()
                let rows = try await runtime.database.query("SELECT name FROM legacy.things ORDER BY id").map {
                    try $0.decode("name", as: String.self)
                }
                #expect(rows == ["kept", "also kept"])
                try await runtime.database.execute("INSERT INTO legacy.things (name) VALUES ('new')")
                let owners = try await runtime.database.query(
                    """
                    SELECT DISTINCT pg_get_userbyid(c.relowner) AS owner FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                    WHERE n.nspname IN ('kernel', 'registry', 'legacy')
                    """
                ).map { try $0.decode("owner", as: String.self) }
                #expect(owners == [EmbeddedCredentials.Role.owner.rawValue])
                do {
                    try await runtime.database.execute("DELETE FROM kernel.audit_log")
                    Issue.record("the serving role deleted from the audit log")
                } catch let error as DatabaseError {
                    #expect(error.sqlState == "42501")
                }
                var status = stat()
                #expect(stat(cluster.passwordFile, &status) == 0 && status.st_mode & 0o777 == 0o600)
                let socket = cluster.directory.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
                #expect(await Self.refused("postgresql://postgres@/kooperator?host=\(socket)%2Fsocket&port=\(cluster.port)"))
                await runtime.shutdown()
            } catch {
                await runtime.shutdown()
                throw error
            }
        } catch {
            Self.remove(startedCluster, folder: folder)
            throw error
        }
        Self.remove(startedCluster, folder: folder)
    }

    @Test(
        "a cluster left running by a host that died is taken over by the next start and stopped with it; one started by hand, or by a process still running, is used and left running"
    )
    func leftRunning() async throws {
        let folder = Self.folder()
        let configuration = try Self.configuration(directory: folder)
        let first = try await offload { try HostRuntime.start(configuration: configuration, logger: TestPostgres.logger) }
        await first.database.shutdown()
        let cluster = try #require(first.startedCluster)
        defer { Self.remove(cluster, folder: folder) }
        #expect(cluster.startedBy == Int(getpid()))

        // The first host dies without stopping the server: its pid file names a process that ended.
        let ended = Process()
        ended.executableURL = URL(fileURLWithPath: "/bin/true")
        try ended.run()
        ended.waitUntilExit()
        try String(ended.processIdentifier).write(toFile: cluster.startedByFile, atomically: true, encoding: .utf8)
        let second = try await offload { try HostRuntime.start(configuration: configuration, logger: TestPostgres.logger) }
        #expect(second.startedCluster != nil, "the next host takes the server over")
        #expect(try await second.database.query("SELECT 1 AS one").single().decode("one", as: Int.self) == 1)
        await second.shutdown()
        #expect(cluster.status() == .stopped, "and stops it when it stops")

        // Started by hand (kooperator db start): a host uses it and leaves it running.
        try await offload { try cluster.start(logger: TestPostgres.logger) }
        cluster.release()
        let third = try await offload { try HostRuntime.start(configuration: configuration, logger: TestPostgres.logger) }
        #expect(third.startedCluster == nil)
        await third.shutdown()
        guard case .running = cluster.status() else {
            Issue.record("a cluster started by hand was stopped by a host")
            return
        }

        // Started by a process still running (another host): used, left to that process.
        try String(getpid()).write(toFile: cluster.startedByFile, atomically: true, encoding: .utf8)
        let fourth = try await offload { try HostRuntime.start(configuration: configuration, logger: TestPostgres.logger) }
        #expect(fourth.startedCluster == nil)
        await fourth.shutdown()
        guard case .running = cluster.status() else {
            Issue.record("a cluster another live process started was stopped")
            return
        }
    }
}
