import DataAccess
import Foundation
import HTTPTypes
import HostTestSupport
import NIOCore
import PluginKit
import Testing

@testable import Host

@Suite("Configuration")
struct ConfigurationTests {
    func problems(_ yaml: String, plugins: [any FeaturePlugin.Type] = HostFixture.plugins) throws -> [ConfigProblem] {
        try HostFixture.configuration(yaml, plugins: plugins).1
    }

    @Test("the shipped config/kooperator.yaml is valid and uses the embedded database")
    func shippedConfigIsValid() throws {
        let (configuration, problems) = LoadedConfiguration.load(
            path: TestPaths.root + "/config/kooperator.yaml",
            environment: [:],
            plugins: AvailablePlugins.all
        )
        #expect(problems.isEmpty, "\(problems)")
        #expect(configuration?.host.database.url == nil)
        #expect(configuration?.host.http.port == 8080)
        #expect(configuration?.host.databaseConfiguration(url: "").connectTimeout == .seconds(5))
        // The embedded cluster on its socket only; no owner URL apart.
        #expect(configuration?.host.database.embeddedPort == nil)
        #expect(configuration?.host.embeddedPostgres.listensOnTCP == false)
        #expect(configuration?.host.database.migrationURL == nil)
    }

    @Test("KOOPERATOR_DATABASE_MIGRATION_URL sets database.migrationUrl beside an external database.url")
    func migrationURLFromEnvironment() throws {
        let (configuration, problems) = LoadedConfiguration.load(
            path: TestPaths.root + "/config/kooperator.yaml",
            environment: [
                "KOOPERATOR_DATABASE_URL": "postgresql://kooperator@db.example/kooperator",
                "KOOPERATOR_DATABASE_MIGRATION_URL": "postgresql://kooperator_owner@db.example/kooperator",
            ],
            plugins: AvailablePlugins.all
        )
        #expect(problems.isEmpty, "\(problems)")
        #expect(configuration?.host.database.url == "postgresql://kooperator@db.example/kooperator")
        #expect(configuration?.host.database.migrationURL == "postgresql://kooperator_owner@db.example/kooperator")
    }

    @Test("sign-in settings: the hash cost (17 by default, 10…20, at least 15 in production), the per-address limit, trusted proxies")
    func signInSettings() throws {
        let defaults = try #require(try HostFixture.configuration("").0).host
        #expect(defaults.security.passwordHashCost == 17)
        #expect(defaults.security.signInAttempts == 5)
        #expect(defaults.security.signInAttemptsPerAddress == 20)
        #expect(defaults.http.trustedProxies.isEmpty)
        #expect(try problems("security:\n  passwordHashCost: 10").isEmpty)
        #expect(try problems("security:\n  passwordHashCost: 9").contains { $0.keyPath == "security.passwordHashCost" })
        #expect(try problems("security:\n  passwordHashCost: 21").contains { $0.keyPath == "security.passwordHashCost" })
        let production = try problems("environment: production\nsecurity:\n  passwordHashCost: 12")
        #expect(production.contains { $0.keyPath == "security.passwordHashCost" && $0.message.contains("production needs at least 15") })
        #expect(try problems("environment: production\nsecurity:\n  passwordHashCost: 15").allSatisfy { $0.keyPath != "security.passwordHashCost" })
        #expect(try problems("security:\n  signInAttemptsPerAddress: 0").contains { $0.keyPath == "security.signInAttemptsPerAddress" })
        let proxies = try #require(try HostFixture.configuration("http:\n  trustedProxies: \"10.0.0.5, ::ffff:10.0.0.6, 2001:db8::1\"").0)
        #expect(proxies.host.http.trustedProxies == ["10.0.0.5", "10.0.0.6", "2001:db8::1"])
        let wrong = try problems("http:\n  trustedProxies: \"10.0.0.5, proxy.example, 10.0.0.0/8\"")
        #expect(wrong.contains { $0.keyPath == "http.trustedProxies" && $0.message.contains("proxy.example, 10.0.0.0/8") })
    }

    @Test("the client's address: the peer, or through trusted proxies the last address they vouch for; IPv6 by /64")
    func clientAddress() throws {
        let proxy = try SocketAddress(ipAddress: "10.0.0.5", port: 4711)
        let client = try SocketAddress(ipAddress: "198.51.100.7", port: 4711)
        let addresses = ClientAddress(trustedProxies: ["10.0.0.5", "10.0.0.6"])
        let forwarded: (String) -> HTTPFields = { [.xForwardedFor: $0] }
        #expect(addresses.address(peer: nil, headers: [:]) == "unknown")
        #expect(addresses.address(peer: client, headers: forwarded("203.0.113.1")) == "198.51.100.7", "an untrusted peer's header is ignored")
        #expect(addresses.address(peer: proxy, headers: [:]) == "10.0.0.5")
        #expect(addresses.address(peer: proxy, headers: forwarded("203.0.113.1")) == "203.0.113.1")
        #expect(addresses.address(peer: proxy, headers: forwarded("192.0.2.99, 203.0.113.1, 10.0.0.6")) == "203.0.113.1")
        #expect(addresses.address(peer: proxy, headers: forwarded("not an address, 203.0.113.1")) == "203.0.113.1")
        #expect(addresses.address(peer: proxy, headers: forwarded("203.0.113.1, garbage")) == "10.0.0.5")
        let v6 = try SocketAddress(ipAddress: "2001:db8:1:2:aaaa:bbbb:cccc:dddd", port: 1)
        #expect(ClientAddress.key(v6) == "2001:db8:1:2::/64")
        #expect(ClientAddress.key(try SocketAddress(ipAddress: "::ffff:192.0.2.1", port: 1)) == "192.0.2.1")
    }

    @Test("unknown keys are problems with their key path and line")
    func unknownKeys() throws {
        let found = try problems(
            """
            http:
              prot: 8080
            colour: blue
            features:
              notes:
                enabled: true
                maxLenght: 10
            """
        )
        #expect(found.contains { $0.keyPath == "http.prot" && $0.message == "unknown key" && $0.origin == "test.yaml:2" })
        #expect(found.contains { $0.keyPath == "colour" && $0.message == "unknown key" })
        #expect(found.contains { $0.keyPath == "features.notes.maxLenght" && $0.message == "unknown key" })
        #expect(found.count == 3)
    }

    @Test("an unknown feature id is named with the ids this host has")
    func unknownFeature() throws {
        let found = try problems("features:\n  supervison: { enabled: true }")
        #expect(found.count == 1)
        #expect(found.first?.keyPath == "features.supervison")
        #expect(found.first?.message.contains("unknown feature id") == true)
        #expect(found.first?.message.contains("echo, notes") == true)
    }

    @Test("an enabled feature whose dependency is disabled is a problem")
    func disabledDependency() throws {
        let found = try problems("features:\n  notes: { enabled: false }\n  echo: { enabled: true }")
        #expect(found.map(\.keyPath) == ["features.echo.enabled"])
        #expect(found.first?.message.contains("depends on notes, which is disabled") == true)
    }

    @Test("a dependency cycle between features is a problem")
    func dependencyCycle() throws {
        let found = try problems("features: {}", plugins: [CycleAPlugin.self, CycleBPlugin.self])
        #expect(found.contains { $0.message.contains("dependency cycle: cyclea → cycleb → cyclea") })
    }

    @Test("wrong types and out-of-range values name the key and the value")
    func wrongTypes() throws {
        let found = try problems(
            """
            database:
              poolSize: 0
              acquireTimeoutMs: soon
              connectTimeoutSeconds: 1
            http:
              port: 70000
            logging:
              level: loud
            features:
              notes:
                enabled: maybe
                maxLength: -1
            """
        )
        let byPath = Dictionary(found.map { ($0.keyPath, $0.message) }, uniquingKeysWith: { first, _ in first })
        #expect(byPath["database.poolSize"] == "0 is out of range 1…200")
        #expect(byPath["database.acquireTimeoutMs"] == "expected an integer, found \"soon\"")
        #expect(byPath["database.connectTimeoutSeconds"] == "1 is out of range 2…600")
        #expect(byPath["http.port"] == "70000 is out of range 0…65535")
        #expect(byPath["logging.level"]?.contains("\"loud\" is not one of") == true)
        #expect(byPath["features.notes.enabled"] == "expected true or false, found \"maybe\"")
        #expect(byPath["features.notes.maxLength"] == "-1 is out of range 1…10000")
        #expect(found.count == 7)
    }

    @Test("the features' own numbers are validated: ranges, order of min and max, snake_case aliases")
    func featureSettings() throws {
        let found = try problems(
            """
            features:
              education:
                enabled: true
                minPresent: 30
                maxPresent: 20
                hourMinutes: 0
              supervision:
                enabled: true
                inactivity_days: 0
                reviewReminderDays: ninety
            """,
            plugins: AvailablePlugins.all
        )
        #expect(found.contains { $0.keyPath == "features.education.minPresent" && $0.message.contains("maxPresent") })
        #expect(found.contains { $0.keyPath == "features.education.hourMinutes" })
        #expect(found.contains { $0.keyPath == "features.supervision.inactivity_days" })
        #expect(found.contains { $0.keyPath == "features.supervision.reviewReminderDays" })
        #expect(found.count == 4, "\(found)")
        let fine = try problems("features:\n  supervision:\n    enabled: true\n    inactivity_days: 45", plugins: AvailablePlugins.all)
        #expect(fine.isEmpty, "\(fine)")
    }

    @Test("an unparsable database URL is a problem")
    func badDatabaseURL() throws {
        let found = try problems("database:\n  url: \"mysql://somewhere\"")
        #expect(found.count == 1)
        #expect(found.first?.keyPath == "database.url")
        #expect(found.first?.message.contains("not a valid PostgreSQL connection URL") == true)
    }

    @Test("database.url takes the multi-host URL pg_autoctl show uri prints")
    func multiHostDatabaseURL() throws {
        let uri = "postgres://autoctl_node@db1.example:5432,db2.example:5433/kooperator?target_session_attrs=read-write&sslmode=require"
        let root = try ConfigFile.parse("database:\n  url: \"\(uri)\"", name: "test.yaml")
        let (configuration, problems) = LoadedConfiguration.load(root: root, path: "test.yaml", plugins: HostFixture.plugins)
        #expect(problems.isEmpty, "\(problems)")
        #expect(configuration?.host.database.url == uri)
    }

    @Test("environment variables override the file and are named when wrong")
    func environmentOverrides() throws {
        var root = try ConfigFile.parse("http:\n  port: 8080\nfeatures:\n  notes: { enabled: false }", name: "test.yaml")
        ConfigFile.applyEnvironment(
            [
                "KOOPERATOR_HTTP_PORT": "9090", "KOOPERATOR_HTTP_HOST": "0.0.0.0", "KOOPERATOR_FEATURES_NOTES_ENABLED": "true",
                "KOOPERATOR_DATABASE_URL": "postgresql://db.example/kooperator", "KOOPERATOR_PASSWORD_HASH_COST": "14",
                "KOOPERATOR_METRICS_ADDRESS": "127.0.0.1:9465",
            ],
            to: &root
        )
        let (configuration, problems) = LoadedConfiguration.load(root: root, path: "test.yaml", plugins: HostFixture.plugins)
        #expect(problems.isEmpty)
        #expect(configuration?.host.security.passwordHashCost == 14)
        #expect(configuration?.host.metrics == .init(host: "127.0.0.1", port: 9465))
        #expect(configuration?.host.http.port == 9090)
        #expect(configuration?.host.http.host == "0.0.0.0")
        #expect(configuration?.host.database.url == "postgresql://db.example/kooperator")
        #expect(configuration?.features.isEnabled("notes") == true)

        ConfigFile.applyEnvironment(["KOOPERATOR_HTTP_PORT": "eighty"], to: &root)
        let (_, wrong) = LoadedConfiguration.load(root: root, path: "test.yaml", plugins: HostFixture.plugins)
        #expect(wrong.first?.keyPath == "http.port")
        #expect(wrong.first?.origin == "KOOPERATOR_HTTP_PORT")
    }

    @Test("config check lists every problem and exits non-zero; serve refuses the same file")
    func configCheckCommand() async throws {
        let path = try HostFixture.writeConfig("http:\n  port: high\nfeatures:\n  nope: {}")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let check = await HostCLI.$plugins.withValue(HostFixture.plugins) {
            await HostCLI.run(["config", "check", "--config", path], environment: [:])
        }
        #expect(check == 1)
        let serve = await HostCLI.$plugins.withValue(HostFixture.plugins) {
            await HostCLI.run(["serve", "--config", path], environment: [:])
        }
        #expect(serve == 1)
        let good = try HostFixture.writeConfig("features:\n  notes: { enabled: true }")
        defer { try? FileManager.default.removeItem(atPath: good) }
        let ok = await HostCLI.$plugins.withValue(HostFixture.plugins) {
            await HostCLI.run(["config", "check", "--config", good], environment: [:])
        }
        #expect(ok == 0)
    }
}

enum TestPaths {
    static let root: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()
}
