import DataAccess
import Foundation
import HTTPTypes
import HostTestSupport
import Hummingbird
import HummingbirdTesting
import PluginKit
import TestSupport
import Testing

@testable import Host

/// The administrator's pages: users added, changed and disabled, passwords set and tokens issued
/// and revoked in the browser, through the host's API handlers (the same as the API and, through
/// the same store, the CLI); nobody else reaches them.
@Suite("Administration pages")
struct AdminPageTests {
    static func fixture() async throws -> (runtime: HostRuntime, umbrella: Int) { try await HostFixture.demoRuntime() }

    @Test("the administrator adds a supervisor: refused at its fields first, then added with its organisation and audited as the administrator")
    func addUser() async throws {
        let (runtime, umbrella) = try await Self.fixture()
        try await buildApplication(runtime: runtime).test(.router) { client in
            var admin = PageBrowser(client)
            try await admin.signIn("user-admin", password: HostFixture.pagePassword)
            let start = try await admin.get("/")
            #expect(start.body.contains(#"href="/admin/users""#), "the navigation leads to the users")
            let list = try await admin.get("/admin/users")
            #expect(list.status == .ok)
            #expect(list.mainText.contains("user-officer"))
            #expect(list.body.contains(#"href="/admin/forms/addUser?back=/admin/users""#))
            let form = try await admin.get("/admin/forms/addUser?back=/admin/users")
            #expect(form.status == .ok)
            #expect(form.body.contains(#"<option value="supervisor">"#), "the roles by name")

            let refused = try await admin.post(
                "/admin/forms/addUser?back=/admin/users",
                [("name", "birgitta nordström"), ("displayName", "Birgitta Nordström"), ("role", "supervisor")]
            )
            #expect(refused.status == .unprocessableContent)
            #expect(
                refused.body.contains(##"<a href="#f-name">Användarnamn: Ett användarnamn har bara a–z"##),
                "the name's pattern is refused at its field, in Swedish"
            )
            let unscoped = try await admin.post(
                "/admin/forms/addUser?back=/admin/users",
                [("name", "birgitta"), ("displayName", "Birgitta Nordström"), ("role", "supervisor")]
            )
            #expect(unscoped.status == .unprocessableContent)
            #expect(
                unscoped.body.contains(##"<a href="#f-organisationId">Organisation: Rollen ser bara det organisationen har uppdrag för"##),
                "a supervisor needs an organisation"
            )
            #expect(try await HostFixture.count(runtime, "SELECT count(*) AS n FROM kernel.users WHERE name = 'birgitta'") == 0)

            let added = try await admin.post(
                "/admin/forms/addUser?back=/admin/users",
                [("name", "Birgitta"), ("displayName", "Birgitta Nordström"), ("role", "supervisor"), ("organisationId", String(umbrella))]
            )
            #expect(added.status == .seeOther, "\(added.mainText)")
            #expect(added.location == "/admin/users/birgitta")
            let page = try await admin.get("/admin/users/birgitta")
            #expect(page.mainText.contains("Användaren är tillagd."))
            #expect(page.mainText.contains("Birgitta Nordström"))
            #expect(page.mainText.contains("Handledare"), "the role by its Swedish name")
            #expect(page.body.contains(#"<a href="/registry/organisations/\#(umbrella)">"#), "the organisation by name, linked")
            let audit = try await runtime.database.query(
                "SELECT actor, action FROM kernel.audit_log WHERE feature = 'kernel' AND entity = 'user' ORDER BY id DESC LIMIT 1"
            ).single()
            #expect(try audit.decode("actor", as: String.self) == "user-admin")
            #expect(try audit.decode("action", as: String.self) == "create")
        }
    }

    @Test(
        "a password set on the page lets the user sign in and is never shown back; a token is shown once, works, and stops when revoked after a confirmation"
    )
    func passwordAndToken() async throws {
        let (runtime, _) = try await Self.fixture()
        try await buildApplication(runtime: runtime).test(.router) { client in
            var admin = PageBrowser(client)
            try await admin.signIn("user-admin", password: HostFixture.pagePassword)
            _ = try await admin.get("/admin/forms/setUserPassword?name=user-officer")
            let short = try await admin.post("/admin/forms/setUserPassword?name=user-officer", [("password", "kort")])
            #expect(short.status == .unprocessableContent)
            #expect(short.body.contains(##"<a href="#f-password">"##))
            #expect(!short.body.contains(#"value="kort""#), "a password is never written back into the page")
            let set = try await admin.post("/admin/forms/setUserPassword?name=user-officer", [("password", "ett nytt långt lösenord")])
            #expect(set.status == .seeOther)
            #expect(set.location == "/admin/users/user-officer")
            var officer = PageBrowser(client)
            try await officer.signIn("user-officer", password: "ett nytt långt lösenord")

            _ = try await admin.get("/admin/forms/issueToken?name=user-officer")
            let issued = try await admin.post("/admin/forms/issueToken?name=user-officer", [("expiresInDays", "7"), ("label", "rapportskript")])
            #expect(issued.status == .ok)
            #expect(issued.mainText.contains("visas bara en gång"))
            let token = try #require(issued.body.firstMatch(of: /kop_[A-Za-z0-9_-]+/).map { String($0.0) }, "the token is on the page")
            let answer = try await client.execute(uri: "/api/v1/registry/organisations", method: .get, headers: [.authorization: "Bearer \(token)"])
            #expect(answer.status == .ok, "the token works")
            let user = try await admin.get("/admin/users/user-officer")
            #expect(user.mainText.contains("rapportskript"))
            #expect(!user.body.contains(token), "the token is never shown again")

            let id: Int = try await runtime.database.query("SELECT id FROM kernel.tokens WHERE label = 'rapportskript'").single().decode("id")
            let revoke = "/admin/forms/revokeToken?id=\(id)&user=user-officer"
            #expect(user.body.contains(revoke.replacingOccurrences(of: "&", with: "&amp;")), "the token's row links to revoking it")
            let asked = try await admin.post("/admin/forms/revokeToken?id=\(id)", [])
            #expect(asked.status == .ok)
            #expect(asked.mainText.contains("Är du säker?"))
            let still = try await client.execute(uri: "/api/v1/registry/organisations", method: .get, headers: [.authorization: "Bearer \(token)"])
            #expect(still.status == .ok, "nothing changes before the confirmation")
            let revoked = try await admin.post("/admin/forms/revokeToken?id=\(id)", [("user", "user-officer"), ("_confirmed", "yes")])
            #expect(revoked.status == .seeOther)
            #expect(revoked.location == "/admin/users/user-officer")
            let refused = try await client.execute(uri: "/api/v1/registry/organisations", method: .get, headers: [.authorization: "Bearer \(token)"])
            #expect(refused.status == .unauthorized, "a revoked token no longer works")
        }
    }

    @Test("disabling asks first and then ends the user's sign-in; a new role holds at once; nobody but the administrator reaches these pages")
    func disableAndChange() async throws {
        let (runtime, _) = try await Self.fixture()
        try await buildApplication(runtime: runtime).test(.router) { client in
            var admin = PageBrowser(client)
            try await admin.signIn("user-admin", password: HostFixture.pagePassword)
            var auditor = PageBrowser(client)
            try await auditor.signIn("user-auditor", password: HostFixture.pagePassword)
            #expect(try await auditor.get("/admin/users").status == .forbidden)
            #expect(try await auditor.get("/admin/forms/addUser").status == .forbidden)
            #expect(!(try await auditor.get("/").body.contains(#"href="/admin/users""#)))

            let change = try await admin.get("/admin/forms/changeUser?name=user-auditor")
            #expect(change.status == .ok)
            #expect(change.body.contains(#"<option value="auditor" selected>"#), "the change starts from the current role")
            let changed = try await admin.post(
                "/admin/forms/changeUser?name=user-auditor",
                [("displayName", "Greta Granskare"), ("role", "officer")]
            )
            #expect(changed.status == .seeOther, "\(changed.mainText)")
            #expect(try await auditor.get("/registry/forms/createPerson").status == .ok, "the new role holds from the next request")

            let disable = "/admin/forms/disableUser?name=user-auditor"
            let asked = try await admin.post(disable, [])
            #expect(asked.mainText.contains("kan inte längre logga in"))
            #expect(try await auditor.get("/").status == .ok, "nothing changes before the confirmation")
            let done = try await admin.post(disable, [("_confirmed", "yes")])
            #expect(done.status == .seeOther)
            #expect(try await auditor.get("/").status == .seeOther, "the disabled user's session ends")
            let user = try await admin.get("/admin/users/user-auditor")
            #expect(user.mainText.contains("Avstängd"))
            #expect(!user.body.contains("/admin/forms/setUserPassword"), "a disabled user gets no new password or token")
        }
    }
}
