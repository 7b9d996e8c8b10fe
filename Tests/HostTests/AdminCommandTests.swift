import DataAccess
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import PluginKit
import TestSupport
import Testing

@testable import Host

/// Runs the built `kooperator` executable, as an operator would.
enum Kooperator {
    static let executable = TestPostgres.packageRoot + "/.build/debug/kooperator"

    struct Output {
        let status: Int32
        let stdout: String
        let stderr: String
        var lastLine: String { stdout.split(separator: "\n").last.map(String.init) ?? "" }
    }

    /// Runs the executable on a Dispatch thread (see `offload`), never blocking the cooperative pool.
    static func run(_ arguments: [String], config: String) async throws -> Output {
        try await offload { try runBlocking(arguments, config: config) }
    }

    static func runBlocking(_ arguments: [String], config: String) throws -> Output {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments + ["--config", config]
        var environment = ProcessInfo.processInfo.environment
        environment["KOOPERATOR_IDENTITY_KEY"] = HostFixture.testKey
        process.environment = environment
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Output(
            status: process.terminationStatus,
            stdout: String(decoding: stdout, as: UTF8.self),
            stderr: String(decoding: stderr, as: UTF8.self)
        )
    }
}

@Suite("Admin commands: users, tokens, audit, registry, demo", .enabled(if: FileManager.default.isExecutableFile(atPath: Kooperator.executable)))
struct AdminCommandTests {
    @Test("users add, tokens issue (the token is the last line and works), tokens list never shows it, revoke stops it")
    func usersAndTokens() async throws {
        let url = try await TestPostgres.makeDatabaseURL()
        let config = try HostFixture.writeConfig(HostFixture.yaml(url: url, features: "", extra: "security:\n  tokenCacheSeconds: 0"))
        defer { try? FileManager.default.removeItem(atPath: config) }
        #expect(try await Kooperator.run(["migrate"], config: config).status == 0)

        let supervisorWithoutOrganisation = try await Kooperator.run(["users", "add", "sara", "--role", "supervisor"], config: config)
        #expect(supervisorWithoutOrganisation.status == 1)
        #expect(supervisorWithoutOrganisation.stderr.contains("--organisation"))

        let added = try await Kooperator.run(
            ["users", "add", "birgitta", "--role", "officer", "--display-name", "Birgitta Nordström"],
            config: config
        )
        #expect(added.status == 0, "\(added.stderr)")
        let issued = try await Kooperator.run(["tokens", "issue", "birgitta", "--expires-in-days", "7", "--label", "laptop"], config: config)
        #expect(issued.status == 0, "\(issued.stderr)")
        let token = issued.lastLine
        #expect(token.hasPrefix("kop_") && token.count > 40)

        let listed = try await Kooperator.run(["tokens", "list", "birgitta"], config: config)
        #expect(listed.stdout.contains("laptop"))
        #expect(!listed.stdout.contains(token))
        let users = try await Kooperator.run(["users", "list"], config: config)
        #expect(users.stdout.contains("birgitta") && users.stdout.contains("officer"))

        let runtime = try HostFixture.runtime(url: url, features: "", extra: "security:\n  tokenCacheSeconds: 0")
        try await buildApplication(runtime: runtime).test(.router) { client in
            let ok = try await client.execute(uri: "/api/v1/registry/organisations", method: .get, headers: [.authorization: "Bearer \(token)"])
            #expect(ok.status == .ok)
            let stored = try await runtime.database.query("SELECT encode(hash, 'hex') AS hash FROM kernel.tokens").single().decode(
                "hash",
                as: String.self
            )
            #expect(!stored.contains(token) && stored.count == 64)

            #expect(try await Kooperator.run(["tokens", "revoke", "1"], config: config).status == 0)
            let revoked = try await client.execute(uri: "/api/v1/registry/organisations", method: .get, headers: [.authorization: "Bearer \(token)"])
            #expect(revoked.status == .unauthorized)
        }

        let audit = try await Kooperator.run(["audit", "--entity", "kernel.token"], config: config)
        #expect(audit.status == 0)
        #expect(audit.stdout.contains("revoke") && audit.stdout.contains("issue") && audit.stdout.contains("cli:"))
        #expect(!audit.stdout.contains(token))
    }

    @Test("registry commands print masked identity numbers; erase is audited; the demo story loads twice without change")
    func registryAndDemo() async throws {
        let url = try await TestPostgres.makeDatabaseURL()
        let config = try HostFixture.writeConfig(HostFixture.yaml(url: url, features: ""))
        defer { try? FileManager.default.removeItem(atPath: config) }
        let first = try await Kooperator.run(["demo", "load", "--migrate"], config: config)
        #expect(first.status == 0, "\(first.stderr)")
        let runtime = try HostFixture.runtime(url: url, features: "")
        func counts() async throws -> [Int] {
            let row = try await runtime.database.query(
                """
                SELECT (SELECT count(*) FROM registry.organisations) AS o, (SELECT count(*) FROM registry.people) AS p,
                       (SELECT count(*) FROM registry.roles) AS r, (SELECT count(*) FROM kernel.users) AS u,
                       (SELECT count(*) FROM registry.organisations WHERE kind = 'cooperative') AS c,
                       (SELECT count(*) FROM registry.organisations WHERE state = 'woundUp') AS w
                """
            ).single()
            return try ["o", "p", "r", "u", "c", "w"].map { try row.decode($0, as: Int.self) }
        }
        let once = try await counts()
        #expect(once[4] == 5, "five cooperatives")
        #expect(once[5] == 1, "the municipal unit is wound up")
        #expect(once[3] == 5, "one demo user per role")
        #expect(try await Kooperator.run(["demo", "load"], config: config).status == 0)
        #expect(try await counts() == once)

        let found = try await Kooperator.run(["registry", "person", "find", "--identity-number", "8507224569"], config: config)
        #expect(found.status == 0, "\(found.stderr)")
        #expect(found.stdout.contains("Åsa Öberg") && found.stdout.contains("19850722-****"))
        #expect(!found.stdout.contains("4569"))

        let added = try await Kooperator.run(
            ["registry", "person", "add", "--name", "Kim Test", "--identity-number", "19000101+0009"],
            config: config
        )
        #expect(added.status != 0)
        #expect(!added.stderr.contains("0009"))

        let id = try await runtime.database.query("SELECT id FROM registry.people WHERE name = 'Åsa Öberg'").single().decode("id", as: Int.self)
        let updated = try await Kooperator.run(["registry", "person", "update", String(id), "--phone", "070-123 45 67"], config: config)
        #expect(updated.status == 0, "\(updated.stderr)")
        #expect(updated.stdout.contains("070-123 45 67") && updated.stdout.contains("19850722-****"))
        let badNumber = try await Kooperator.run(["registry", "person", "update", String(id), "--identity-number", "850722-4568"], config: config)
        #expect(badNumber.status == 1)
        #expect(badNumber.stderr.contains("check digit") && badNumber.stderr.contains("/identityNumber"))
        let cooperative = try await runtime.database.query("SELECT id FROM registry.organisations WHERE name = 'Café Gläntan ek. för.'").single()
            .decode("id", as: Int.self)
        let renamed = try await Kooperator.run(["registry", "organisation", "update", String(cooperative), "--name", "Café Gläntan"], config: config)
        #expect(renamed.status == 0, "\(renamed.stderr)")
        #expect(renamed.stdout.contains("\"name\" : \"Café Gläntan\""))
        let erased = try await Kooperator.run(["registry", "person", "erase", String(id)], config: config)
        #expect(erased.status == 0, "\(erased.stderr)")
        let after = try await Kooperator.run(["registry", "person", "show", String(id)], config: config)
        #expect(!after.stdout.contains("Öberg") && after.stdout.contains("Pseudonym"))
        let audit = try await Kooperator.run(["audit", "--entity", "registry.person:\(id)", "--json"], config: config)
        #expect(audit.stdout.contains("\"action\":\"erase\""))
        #expect(!audit.stdout.contains("Öberg"))
        await runtime.shutdown()
    }
}
