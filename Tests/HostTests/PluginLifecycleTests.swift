import DataAccess
import Foundation
import HTTPTypes
import HostTestSupport
import Hummingbird
import HummingbirdTesting
import NIOCore
import PluginKit
import TestSupport
import Testing

@testable import Host

@Suite("Plugin lifecycle")
struct PluginLifecycleTests {
    @Test("the product's feature list has no benchmark feature; the bench's executable adds it to the same host")
    func productHasNoBenchmark() throws {
        #expect(!AvailablePlugins.all.contains { $0.id == "bench" })
        #expect(!(AvailablePlugins.all + AvailablePlugins.kernel).contains { String(describing: $0).contains("Bench") })
        #expect(!HostCLI.plugins.contains { $0.id == "bench" }, "the default list of `kooperator`")
        let problems = try HostFixture.configuration("features:\n  bench:\n    enabled: true", plugins: AvailablePlugins.all).1
        #expect(problems.contains { $0.keyPath == "features.bench" }, "enabling bench in the product is an unknown feature: \(problems)")
    }

    @Test("enable: routes and commands exist; disable: 404 and no command, data kept; enable again: back")
    func enableDisableEnable() async throws {
        let url = try await TestPostgres.makeDatabaseURL()

        // Enabled.
        let enabled = try HostFixture.runtime(url: url)
        try await enabled.migrate()
        let noteID = try await buildApplication(runtime: enabled).test(.router) { client in
            let created = try await client.execute(
                uri: "/api/v1/notes",
                method: .post,
                headers: [.contentType: "application/json"],
                body: ByteBuffer(string: #"{"body":"Möte med Kooperativet Ljuset"}"#)
            )
            #expect(created.status == .created)
            let id = try JSONDecoder().decode(NotesPlugin.Note.self, from: Data(String(buffer: created.body).utf8)).id
            let read = try await client.execute(uri: "/api/v1/notes/\(id)", method: .get)
            #expect(read.status == .ok)
            return id
        }
        let enabledPath = try HostFixture.writeConfig(HostFixture.yaml(url: url))
        defer { try? FileManager.default.removeItem(atPath: enabledPath) }
        let added = await HostCLI.$plugins.withValue(HostFixture.plugins) {
            await HostCLI.run(["notes", "add", "--body", "from the command line", "--config", enabledPath], environment: [:])
        }
        #expect(added == 0)
        await enabled.shutdown()

        // Disabled: no route, no command, data untouched.
        let disabled = try HostFixture.runtime(url: url, features: "notes: { enabled: false }")
        try await buildApplication(runtime: disabled).test(.router) { client in
            let read = try await client.execute(uri: "/api/v1/notes/\(noteID)", method: .get)
            #expect(read.status == .notFound)
            #expect(read.headers[.contentType] == "application/problem+json")
        }
        let disabledPath = try HostFixture.writeConfig(HostFixture.yaml(url: url, features: "notes: { enabled: false }"))
        defer { try? FileManager.default.removeItem(atPath: disabledPath) }
        let refused = await HostCLI.$plugins.withValue(HostFixture.plugins) {
            await HostCLI.run(["notes", "add", "--body", "x", "--config", disabledPath], environment: [:])
        }
        #expect(refused == 2)
        // The application's services (the pool among them) stop with it; check through a pool of our own.
        let checker = TestPostgres.database(url: url, poolSize: 1)
        let count = try await checker.query("SELECT count(*) AS n FROM notes.notes").single().decode("n", as: Int.self)
        await checker.shutdown()
        #expect(count == 2)
        await disabled.shutdown()

        // Enabled again: everything is back, with the data.
        let again = try HostFixture.runtime(url: url)
        #expect(try await again.pendingMigrations().isEmpty)
        try await buildApplication(runtime: again).test(.router) { client in
            let read = try await client.execute(uri: "/api/v1/notes/\(noteID)", method: .get)
            #expect(read.status == .ok)
            #expect(String(buffer: read.body).contains("Kooperativet Ljuset"))
        }
        await again.shutdown()
    }

    @Test("a feature command refuses to run while migrations are pending, and names the fix")
    func commandNeedsMigrations() async throws {
        let url = try await TestPostgres.makeDatabaseURL()
        let path = try HostFixture.writeConfig(HostFixture.yaml(url: url))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let code = await HostCLI.$plugins.withValue(HostFixture.plugins) {
            await HostCLI.run(["notes", "add", "--body", "x", "--config", path], environment: [:])
        }
        #expect(code == 1)
        let migrated = await HostCLI.$plugins.withValue(HostFixture.plugins) {
            await HostCLI.run(["migrate", "--config", path], environment: [:])
        }
        #expect(migrated == 0)
        let added = await HostCLI.$plugins.withValue(HostFixture.plugins) {
            await HostCLI.run(["notes", "add", "--body", "x", "--config", path], environment: [:])
        }
        #expect(added == 0)
    }

    @Test("plain serve refuses a changed past: an applied step whose SQL differs from the journal's is named, and nothing serves")
    func changedPastRefused() async throws {
        let url = try await TestPostgres.makeDatabaseURL()
        let path = try HostFixture.writeConfig(HostFixture.yaml(url: url))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let migrated = await HostCLI.$plugins.withValue(HostFixture.plugins) {
            await HostCLI.run(["migrate", "--config", path], environment: [:])
        }
        #expect(migrated == 0)
        let checker = TestPostgres.database(url: url, poolSize: 1)
        // The journal says step 1 of notes was other SQL than the code's: someone changed the past.
        try await checker.execute("UPDATE kernel.migrations SET checksum = repeat('0', 64) WHERE feature = 'notes' AND step = 1")
        await checker.shutdown()
        let runtime = try HostFixture.runtime(url: url)
        let error = await #expect(throws: CommandFailure.self) { try await runtime.requireMigrated() }
        #expect(error?.message.contains("feature notes step 1") == true, "\(String(describing: error))")
        #expect(error?.message.contains("was changed after it was applied") == true)
        await runtime.shutdown()
        // `migrate` refuses it too, naming the step: no --migrate mends a changed past.
        let again = await HostCLI.$plugins.withValue(HostFixture.plugins) {
            await HostCLI.run(["migrate", "--config", path], environment: [:])
        }
        #expect(again != 0)
    }

    @Test("the features and migrate --status commands run against a real database")
    func reportingCommands() async throws {
        let url = try await TestPostgres.makeDatabaseURL()
        let path = try HostFixture.writeConfig(HostFixture.yaml(url: url, features: "notes: { enabled: true }\necho: { enabled: false }"))
        defer { try? FileManager.default.removeItem(atPath: path) }
        for arguments in [["migrate"], ["migrate", "--status"], ["features"], ["events"]] {
            let code = await HostCLI.$plugins.withValue(HostFixture.plugins) {
                await HostCLI.run(arguments + ["--config", path], environment: [:])
            }
            #expect(code == 0, "kooperator \(arguments.joined(separator: " "))")
        }
        let runtime = try HostFixture.runtime(url: url, features: "notes: { enabled: true }\necho: { enabled: false }")
        let statuses = try await Migrator(database: runtime.database, logger: runtime.logger).status(of: runtime.features.allMigrationGroups)
        #expect(statuses.first { $0.feature == "notes" }?.pending.isEmpty == true)
        #expect(statuses.first { $0.feature == "echo" }?.pending.count == 1)
        await runtime.shutdown()
    }
}
