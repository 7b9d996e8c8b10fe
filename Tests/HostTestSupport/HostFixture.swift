package import DataAccess
package import Foundation
package import Logging
package import PluginKit
package import Registry
package import TestSupport

@testable package import Host

/// Builds host runtimes on fresh test databases.
package enum HostFixture {
    /// A fixed identity key for tests (never a real one).
    package static let testKey = "a29vcGVyYXRvci10ZXN0LWtleS0wMTIzNDU2Nzg5YWI="
    package static let testVault = try! IdentityVault(base64: testKey)

    package static let plugins: [any FeaturePlugin.Type] = [NotesPlugin.self, EchoPlugin.self]

    /// log2 of scrypt's N in tests (1 MiB a hash; the product's 17 takes 128 MiB and a good
    /// part of a second); the least production accepts when `extra` asks for production.
    package static func passwordHashCost(_ extra: String) -> Int {
        extra.contains("environment: production") ? PasswordHasher.productionMinimumCost : 10
    }

    /// A config file text for a database URL, with the given feature sections. Unless `extra`
    /// says otherwise, passwords are hashed at ``passwordHashCost(_:)`` and the metrics listener
    /// takes any free port on 127.0.0.1 (tests run hosts side by side).
    package static func yaml(url: String, features: String = "notes: { enabled: true }", extra: String = "") -> String {
        var extra = extra
        if !extra.contains("passwordHashCost") {
            let line = "  passwordHashCost: \(passwordHashCost(extra))\n"
            if let security = extra.range(of: "security:\n") {
                extra.insert(contentsOf: line, at: security.upperBound)
            } else {
                extra += "\nsecurity:\n" + line
            }
        }
        if !extra.contains("metrics:") { extra += "\nmetrics:\n  address: \"127.0.0.1:0\"\n" }
        // A test's own `http:` section gets the small body limit too, unless it sets one.
        if let http = extra.range(of: "http:\n") {
            if !extra.contains("maxBodyBytes") { extra.insert(contentsOf: "  maxBodyBytes: 2048\n", at: http.upperBound) }
        } else {
            extra += "\nhttp:\n  maxBodyBytes: 2048\n"
        }
        // Likewise the database section: the test's URL and pool, and what the test adds.
        let database = "  url: \"\(url)\"\n  poolSize: 4\n  connectTimeoutSeconds: \(Int(TestPostgres.connectTimeout.components.seconds))\n"
        if let section = extra.range(of: "database:\n") {
            extra.insert(contentsOf: database, at: section.upperBound)
        } else {
            extra += "\ndatabase:\n" + database
        }
        return """
            events:
              pollIntervalMs: 50
              retryDelayMs: 1
              maxAttempts: 3
            \(extra)
            features:
            \(features.split(separator: "\n").map { "  " + $0 }.joined(separator: "\n"))
            """
    }

    package static func configuration(_ yaml: String, plugins: [any FeaturePlugin.Type] = plugins) throws -> (LoadedConfiguration?, [ConfigProblem]) {
        let root = try ConfigFile.parse(yaml, name: "test.yaml")
        return LoadedConfiguration.load(root: root, path: "test.yaml", plugins: plugins)
    }

    /// A runtime over `url`; fails the test when the config has problems.
    package static func runtime(
        url: String,
        features: String = "notes: { enabled: true }",
        extra: String = "",
        plugins: [any FeaturePlugin.Type] = plugins,
        logger: Logger = TestPostgres.logger
    ) throws -> HostRuntime {
        let (configuration, problems) = try configuration(yaml(url: url, features: features, extra: extra), plugins: plugins)
        guard let configuration, problems.isEmpty else { throw ConfigProblems(problems) }
        let database = configuration.host.database(url: url, logger: logger)
        return try HostRuntime(configuration: configuration, database: database, logger: logger, vault: testVault)
    }

    /// A migrated runtime on a new database for an access test: the features given, tokens
    /// checked on every request (no cache), the identity key verified.
    package static func accessRuntime(
        features: String,
        plugins: [any FeaturePlugin.Type],
        logger: Logger = TestPostgres.logger
    ) async throws -> HostRuntime {
        let url = try await TestPostgres.makeDatabaseURL()
        let runtime = try runtime(url: url, features: features, extra: "security:\n  tokenCacheSeconds: 0", plugins: plugins, logger: logger)
        try await runtime.migrate()
        try await runtime.registry.verifyKey()
        return runtime
    }

    /// One user per role of ``Role/walked(in:)`` (`user-<role>`, a scoped role's working for
    /// `provider`) and a token each: the roles every host knows and the enabled features' own.
    package static func tokensPerRole(_ runtime: HostRuntime, provider: Int) async throws -> [Role: String] {
        var tokens: [Role: String] = [:]
        for role in Role.walked(in: runtime) {
            let name = "user-\(role)"
            let organisation = runtime.roles.definition(of: role)?.isScoped == true ? provider : nil
            _ = try await runtime.users.add(name: name, displayName: nil, role: role, organisationID: organisation, actor: .system)
            tokens[role] = try await runtime.users.issueToken(user: name, days: 1, label: nil, actor: .system).1
        }
        return tokens
    }

    /// The id of the user called `name`.
    package static func userID(_ runtime: HostRuntime, _ name: String) async throws -> Int {
        try await runtime.database.query("SELECT id FROM kernel.users WHERE name = \(name)").single().decode("id")
    }

    /// Writes a config file to a temporary path.
    package static func writeConfig(_ text: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("kooperator-test-\(UUID().uuidString).yaml").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }
}
