import DataAccess
import Foundation
import HostTestSupport
import PluginKit
import Registry
import TestSupport
import Testing

@testable import Host

/// Two database roles on one server, as the README tells an operator to make them: an owner
/// that migrations run as (`database.migrationUrl`) and a serving role that owns nothing
/// (`database.url`).
@Suite("the serving role: owns nothing, and may only read and add to the audit log")
struct ServingRoleTests {
    /// Roles and a database of a test's own on the test server, dropped by ``drop()``.
    struct TwoRoles {
        let owner: String
        let server: String
        let database: String
        let ownerURL: String
        let serverURL: String

        static let password = "serving-role-test-password"

        static func make() async throws -> TwoRoles {
            let suffix = UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(12).lowercased()
            let owner = "t_owner_\(suffix)"
            let server = "t_server_\(suffix)"
            let database = "t_roles_\(suffix)"
            let admin = TestPostgres.database(url: try await TestPostgres.baseURL(), poolSize: 1)
            do {
                // As the README's SQL for an external server.
                try await admin.execute("CREATE ROLE \(identifier: owner) LOGIN PASSWORD 'serving-role-test-password'")
                try await admin.execute("CREATE ROLE \(identifier: server) LOGIN PASSWORD 'serving-role-test-password'")
                try await admin.execute("CREATE DATABASE \(identifier: database) OWNER \(identifier: owner)")
                await admin.shutdown()
            } catch {
                await admin.shutdown()
                throw error
            }
            return TwoRoles(
                owner: owner,
                server: server,
                database: database,
                ownerURL: try await TestPostgres.url(database: database, user: owner, password: password),
                serverURL: try await TestPostgres.url(database: database, user: server, password: password)
            )
        }

        func drop() async {
            let admin = TestPostgres.database(url: (try? await TestPostgres.baseURL()) ?? "", poolSize: 1)
            _ = try? await admin.execute("DROP DATABASE IF EXISTS \(identifier: database) WITH (FORCE)")
            _ = try? await admin.execute("DROP ROLE IF EXISTS \(identifier: server)")
            _ = try? await admin.execute("DROP ROLE IF EXISTS \(identifier: owner)")
            await admin.shutdown()
        }
    }

    /// A host serving with `serverURL` and migrating with `migrationUrl`, from its config file text.
    static func runtime(_ roles: TwoRoles) throws -> HostRuntime {
        let yaml = HostFixture.yaml(url: roles.serverURL).replacingOccurrences(
            of: "database:\n",
            with: "database:\n  migrationUrl: \"\(roles.ownerURL)\"\n"
        )
        let (configuration, problems) = try HostFixture.configuration(yaml)
        guard let configuration, problems.isEmpty else { throw ConfigProblems(problems) }
        #expect(configuration.host.database.migrationURL == roles.ownerURL)
        let database = Database(configuration: configuration.host.databaseConfiguration(url: roles.serverURL), logger: TestPostgres.logger)
        return try HostRuntime(
            configuration: configuration,
            database: database,
            logger: TestPostgres.logger,
            vault: HostFixture.testVault,
            migrationURL: configuration.host.database.migrationURL
        )
    }

    @Test("as the serving role, UPDATE, DELETE, TRUNCATE and ALTER TABLE … DISABLE TRIGGER on kernel.audit_log fail; INSERT and SELECT work")
    func auditLogIsAppendOnly() async throws {
        let roles = try await TwoRoles.make()
        let runtime = try Self.runtime(roles)
        do {
            try await runtime.migrate()
            try await runtime.requireMigrated()
            let database = runtime.database

            // The host's own writes work as the serving role, audit row included.
            _ = try await runtime.users.add(name: "serving-role-user", displayName: nil, role: .officer, organisationID: nil, actor: .system)
            try await database.execute(
                "INSERT INTO kernel.audit_log (actor, feature, entity, entity_id, action) VALUES ('test', 'kernel', 'probe', '1', 'insert')"
            )
            let count = try await database.query("SELECT count(*) AS n FROM kernel.audit_log").single().decode("n", as: Int.self)
            #expect(count >= 2)

            for statement: SQL in [
                "UPDATE kernel.audit_log SET actor = 'x'",
                "DELETE FROM kernel.audit_log",
                "TRUNCATE kernel.audit_log",
                "ALTER TABLE kernel.audit_log DISABLE TRIGGER audit_log_no_update_or_delete",
                "ALTER TABLE kernel.audit_log DISABLE TRIGGER ALL",
            ] {
                do {
                    try await database.execute(statement)
                    Issue.record("\(statement) succeeded as the serving role")
                } catch let error as DatabaseError {
                    #expect(error.sqlState == "42501", "\(statement): \(error.message) \(error.detail ?? "")")
                }
            }
            let after = try await database.query("SELECT count(*) AS n FROM kernel.audit_log").single().decode("n", as: Int.self)
            #expect(after == count)

            // It owns nothing and is no superuser; the owner owns the schemas.
            let me = try await database.query(
                """
                SELECT r.rolsuper AS superuser,
                       (SELECT count(*) FROM pg_class WHERE relowner = r.oid) AS relations,
                       (SELECT count(*) FROM pg_namespace WHERE nspowner = r.oid) AS schemas
                FROM pg_roles r WHERE r.rolname = current_user
                """
            ).single()
            #expect(try me.decode("superuser", as: Bool.self) == false)
            #expect(try me.decode("relations", as: Int.self) == 0)
            #expect(try me.decode("schemas", as: Int.self) == 0)
            let kernelOwner = try await database.query("SELECT pg_get_userbyid(nspowner) AS owner FROM pg_namespace WHERE nspname = 'kernel'")
                .single()
            #expect(try kernelOwner.decode("owner", as: String.self) == roles.owner)

            // A table the owner makes later (a feature enabled later) is granted without a word.
            let owner = TestPostgres.database(url: roles.ownerURL, poolSize: 1)
            try await owner.execute("CREATE SCHEMA later")
            try await owner.execute("CREATE TABLE later.things (id bigserial PRIMARY KEY, name text)")
            await owner.shutdown()
            try await database.execute("INSERT INTO later.things (name) VALUES ('granted by default')")
            #expect(try await database.execute("UPDATE later.things SET name = 'changed'") == 1)
            await runtime.shutdown()
        } catch {
            await runtime.shutdown()
            await roles.drop()
            throw error
        }
        await roles.drop()
    }

    @Test("database.migrationUrl needs database.url: the embedded cluster migrates as its own owner")
    func migrationURLNeedsURL() throws {
        let (_, problems) = try HostFixture.configuration("database:\n  migrationUrl: \"postgresql://owner@db.example/kooperator\"\n")
        #expect(problems.contains { $0.keyPath == "database.migrationUrl" && $0.message.contains("external server") }, "\(problems)")
        let (_, broken) = try HostFixture.configuration(
            "database:\n  url: \"postgresql://a@b/c\"\n  migrationUrl: \"postgresql://a@b/c?nonsense=1\"\n"
        )
        #expect(broken.contains { $0.keyPath == "database.migrationUrl" }, "\(broken)")
    }
}
