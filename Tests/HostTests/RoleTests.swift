import DataAccess
import Foundation
import HTTPTypes
import HostTestSupport
import Hummingbird
import HummingbirdTesting
import PageKit
import PluginKit
import Registry
import TestSupport
import Testing

@testable import Host

/// A feature that lives only in this test and contributes a role: the archivist reads the
/// archive (its own permission) and the registry's organisations (held through its document).
struct ArchivePlugin: FeaturePlugin {
    static let id = "archive"
    static let summary = "Archive (test feature with a role of its own)"
    static let version = "0.1.0"
    static let archivist = Role(rawValue: "archivist")
    static let read = Permission("archive.read", summary: "Read the archive", grantedTo: [archivist])

    init(settings: ConfigSection) throws {}

    var permissions: [Permission] { [Self.read] }

    static let rolesDocument: URL? = RoleTests.document(
        #"{"archivist": {"sv": "Arkivarie", "en": "Archivist", "summary": "Keeps the archive", "holds": ["registry.organisation.read"]}}"#
    )
}

/// A feature whose roles document is wrong in two ways.
struct BadRolesPlugin: FeaturePlugin {
    static let id = "badroles"
    static let summary = "Bad roles (test feature)"
    static let version = "0.1.0"

    init(settings: ConfigSection) throws {}

    static let rolesDocument: URL? = RoleTests.document(
        #"{"Bad-id": {"sv": "X", "en": "X"}, "clerk": {"sv": "Kontorist", "en": "Clerk", "holds": ["registry.organisation.erase"]}}"#
    )
}

@Suite("Roles are data")
struct RoleTests {
    /// Writes a roles document to a temporary file.
    static func document(_ json: String) -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("roles-\(UUID().uuidString).json")
        try? json.write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    @Test("the product's roles come from the kernel's, the registry's and the features' documents, with their names and scope")
    func productRoles() throws {
        let roles = HostFixture.roles
        // Every walk goes through the kernel's and the registry's roles; a feature's own role is
        // walked by its feature's tests (`Role.walked(in:)`).
        #expect(Set(Role.allCases).isSubset(of: roles.definitions.map(\.role)))
        let beyond = roles.definitions.filter { !Role.allCases.contains($0.role) }
        #expect(!beyond.contains { ["kernel", "registry"].contains($0.feature) }, "\(beyond.map(\.role))")
        #expect(roles.definition(of: .supervisor)?.isScoped == true)
        #expect(roles.definition(of: .officer)?.names[.sv] == "Handläggare")
        #expect(roles.definition(of: Role(rawValue: "coordinator"))?.feature == "esf")
        // The coordinator reads the registry through its document, not through the registry's grants.
        #expect(!RegistryPermissions.organisationRead.roles.contains(Role(rawValue: "coordinator")))
        #expect(roles.permits(Role(rawValue: "coordinator"), RegistryPermissions.organisationRead))
        #expect(!roles.permits(Role(rawValue: "coordinator"), RegistryPermissions.organisationWrite))
        // Without the ESF project no document names the coordinator: until the host has read the
        // stored roles (when it migrates), a coordinator holds nothing and sees only its organisation.
        let (loaded, problems) = try HostFixture.configuration(HostFixture.yaml(url: "postgresql://localhost/none", features: ""), plugins: [])
        #expect(problems.isEmpty, "\(problems)")
        let without = try #require(loaded).roles
        #expect(without.definition(of: Role(rawValue: "coordinator")) == nil)
        let stored = without.principal(userID: 1, name: "c", role: Role(rawValue: "coordinator"), organisationID: nil)
        #expect(!stored.holds(RegistryPermissions.organisationRead))
        #expect(stored.isScoped)
    }

    @Test(
        "a feature's role: stored as a row when the host migrates (audited once), given to a user, holding its own and the permissions its document names"
    )
    func featureRole() async throws {
        let runtime = try await HostFixture.accessRuntime(features: "archive: { enabled: true }", plugins: [ArchivePlugin.self])
        let row = try await runtime.database.query("SELECT name_sv, holds::text AS holds, feature FROM kernel.roles WHERE id = 'archivist'").single()
        #expect(try row.decode("name_sv", as: String.self) == "Arkivarie")
        #expect(try row.decode("holds", as: String.self) == "{registry.organisation.read}")
        #expect(try row.decode("feature", as: String.self) == "archive")
        try await runtime.migrate()
        #expect(
            try await HostFixture.count(runtime, "SELECT count(*) AS n FROM kernel.audit_log WHERE entity = 'role' AND entity_id = 'archivist'") == 1
        )

        // The ESF project is off here: its coordinator stays, as the row stored before says.
        let coordinator = try #require(runtime.roles.definition(of: Role(rawValue: "coordinator")))
        #expect(coordinator.feature == "esf")
        // Its own settings, as every role (issue 23).
        #expect(
            runtime.roles.permissions(of: coordinator.role)
                == ["registry.organisation.read", "registry.person.read", "registry.person.write", "kernel.settings.own"]
        )

        _ = try await runtime.users.add(name: "arkiv", displayName: nil, role: ArchivePlugin.archivist, organisationID: nil, actor: .system)
        let token = try await runtime.users.issueToken(user: "arkiv", days: 1, label: nil, actor: .system).1
        try await buildApplication(runtime: runtime).test(.router) { client async throws in
            func send(_ method: HTTPRequest.Method, _ path: String, _ body: String? = nil) async throws -> HTTPResponse.Status {
                var headers: HTTPFields = [.authorization: "Bearer \(token)"]
                if body != nil { headers[.contentType] = "application/json" }
                return try await client.execute(uri: path, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) }).status
            }
            #expect(try await send(.get, "/api/v1/registry/organisations") == .ok)
            #expect(
                try await send(
                    .post,
                    "/api/v1/registry/organisations",
                    #"{"name": "Arkivet", "legalForm": "economicAssociation", "kind": "cooperative"}"#
                ) == .forbidden
            )
            #expect(try await send(.get, "/api/v1/registry/people") == .forbidden)
        }

        let unknown = await #expect(throws: FeatureError.self) {
            try await runtime.users.add(name: "nobody", displayName: nil, role: Role(rawValue: "janitor"), organisationID: nil, actor: .system)
        }
        #expect(unknown?.field == "/role")
        #expect(unknown?.message.contains("archivist") == true, "\(unknown?.message ?? "")")
        // The database holds to the rows too: no user of an unknown role, no scoped user without an organisation.
        await #expect(throws: DatabaseError.self) {
            try await runtime.database.execute("INSERT INTO kernel.users (name, display_name, role) VALUES ('x', 'X', 'janitor')")
        }
        await #expect(throws: DatabaseError.self) {
            try await runtime.database.execute("INSERT INTO kernel.users (name, display_name, role) VALUES ('y', 'Y', 'supervisor')")
        }
    }

    @Test("a roles document with a bad id or holding a permission no enabled feature declares is a config problem naming the feature")
    func badDocument() throws {
        let (_, problems) = try HostFixture.configuration(
            HostFixture.yaml(url: "postgresql://localhost/none", features: "badroles: { enabled: true }"),
            plugins: [BadRolesPlugin.self]
        )
        #expect(problems.map(\.keyPath) == ["features.badroles", "features.badroles"], "\(problems)")
        #expect(problems.contains { $0.message.contains("'Bad-id'") })
        #expect(problems.contains { $0.message.contains("registry.organisation.erase") })
    }
}
