import Foundation
import HostTestSupport
import Logging
import PluginKit
import Registry
import TestSupport
import Testing

@testable import Host

/// The identity key (issue 19, point 11): in production a missing key file stops the host; a key
/// file group or others can reach stops it in any environment; the key is never read from the
/// config file.
@Suite("Identity key: environment, key file mode, never in the config file")
struct IdentityKeyTests {
    /// A fresh directory for key files.
    static func directory() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("kooperator-key-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// The security settings of a config with the key file at `file`.
    static func settings(keyFile file: String) throws -> HostConfiguration.SecuritySettings {
        let (configuration, problems) = try HostFixture.configuration("security:\n  identityKeyFile: \"\(file)\"")
        #expect(problems.isEmpty)
        return try #require(configuration).host.security
    }

    @Test("environment is development unless set; production and development are the only values")
    func environmentSetting() throws {
        #expect(try HostFixture.configuration("").0?.host.environment == .development)
        #expect(try HostFixture.configuration("environment: production").0?.host.environment == .production)
        let wrong = try HostFixture.configuration("environment: staging").1
        #expect(wrong.map(\.keyPath) == ["environment"])
        let shipped = LoadedConfiguration.load(path: TestPaths.root + "/config/kooperator.yaml", environment: [:], plugins: AvailablePlugins.all)
        #expect(shipped.0?.host.environment == .development, "make run uses development")
        let overridden = LoadedConfiguration.load(
            path: TestPaths.root + "/config/kooperator.yaml",
            environment: ["KOOPERATOR_ENVIRONMENT": "production"],
            plugins: AvailablePlugins.all
        )
        #expect(overridden.0?.host.environment == .production)
    }

    @Test("in production a missing key file stops the host and no key is made; in development one is made, mode 0600")
    func missingKeyFile() throws {
        let directory = try Self.directory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let file = directory + "/identity.key"
        let settings = try Self.settings(keyFile: file)
        #expect {
            try IdentityKeyFile.vault(settings: settings, environment: .production, logger: TestPostgres.logger)
        } throws: { error in
            "\(error)".contains("\(file) does not exist") && "\(error)".contains("production")
        }
        #expect(!FileManager.default.fileExists(atPath: file))
        _ = try IdentityKeyFile.vault(settings: settings, environment: .development, logger: TestPostgres.logger)
        let mode = try #require(try FileManager.default.attributesOfItem(atPath: file)[.posixPermissions] as? Int)
        #expect(mode == 0o600)
        // Once there, production uses it.
        _ = try IdentityKeyFile.vault(settings: settings, environment: .production, logger: TestPostgres.logger)
    }

    @Test("a key file group or others can reach stops the host in any environment", arguments: [0o644, 0o640, 0o604, 0o660, 0o606])
    func sharedKeyFile(mode: Int) throws {
        let directory = try Self.directory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let file = directory + "/identity.key"
        try (HostFixture.testKey + "\n").write(toFile: file, atomically: false, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: file)
        let settings = try Self.settings(keyFile: file)
        for environment in HostConfiguration.Environment.allCases {
            #expect {
                try IdentityKeyFile.vault(settings: settings, environment: environment, logger: TestPostgres.logger)
            } throws: { error in
                "\(error)".contains("group or others") && "\(error)".contains("chmod 600 \(file)")
            }
        }
        try FileManager.default.setAttributes([.posixPermissions: 0o400], ofItemAtPath: file)
        _ = try IdentityKeyFile.vault(settings: settings, environment: .production, logger: TestPostgres.logger)
    }

    @Test("security.identityKey in the config file is refused, also when the variable is set; the variable alone is fine")
    func keyInConfigFile() throws {
        let problems = try HostFixture.configuration("security:\n  identityKey: \"\(HostFixture.testKey)\"").1
        #expect(problems.map(\.keyPath) == ["security.identityKey"])
        #expect(problems.first?.message.contains("KOOPERATOR_IDENTITY_KEY") == true)
        #expect(problems.first?.origin == "test.yaml:2")
        let file = try HostFixture.writeConfig("security:\n  identityKey: \"\(HostFixture.testKey)\"")
        defer { try? FileManager.default.removeItem(atPath: file) }
        let both = LoadedConfiguration.load(path: file, environment: ["KOOPERATOR_IDENTITY_KEY": HostFixture.testKey], plugins: HostFixture.plugins)
        #expect(both.1.map(\.keyPath) == ["security.identityKey"])
        let plain = try HostFixture.writeConfig("security:\n  tokenCacheSeconds: 0")
        defer { try? FileManager.default.removeItem(atPath: plain) }
        let variable = LoadedConfiguration.load(
            path: plain,
            environment: ["KOOPERATOR_IDENTITY_KEY": HostFixture.testKey],
            plugins: HostFixture.plugins
        )
        #expect(variable.1.isEmpty)
        #expect(variable.0?.host.security.identityKey == HostFixture.testKey)
    }

    @Test(
        "config check names security.identityKey and exits 1; serve in production without a key file exits 1 with the reason",
        .enabled(if: FileManager.default.isExecutableFile(atPath: Kooperator.executable))
    )
    func commands() async throws {
        let directory = try Self.directory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let inFile = try HostFixture.writeConfig("security:\n  identityKey: \"\(HostFixture.testKey)\"")
        defer { try? FileManager.default.removeItem(atPath: inFile) }
        let check = try await Kooperator.run(["config", "check"], config: inFile, environment: ["KOOPERATOR_IDENTITY_KEY": ""])
        #expect(check.status == 1)
        #expect((check.stdout + check.stderr).contains("security.identityKey"))
        let url = try await TestPostgres.makeDatabaseURL()
        let production = try HostFixture.writeConfig(
            HostFixture.yaml(url: url, features: "", extra: "environment: production\nsecurity:\n  identityKeyFile: \"\(directory)/identity.key\"")
        )
        defer { try? FileManager.default.removeItem(atPath: production) }
        let serve = try await Kooperator.run(["serve", "--migrate"], config: production, environment: ["KOOPERATOR_IDENTITY_KEY": ""])
        #expect(serve.status == 1)
        #expect(serve.stderr.contains("does not exist"), "\(serve.stderr)")
        #expect(!FileManager.default.fileExists(atPath: directory + "/identity.key"))
    }
}
