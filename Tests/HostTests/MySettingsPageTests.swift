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

/// Every user's own settings (issue 23): the e-mail address the daily reminder digest goes to,
/// the language of the mail and the digest on or off, on `/admin/settings` and through
/// `GET`/`PUT /api/v1/settings`, audited.
@Suite("My settings: e-mail address, language, reminder digest")
struct MySettingsPageTests {
    @Test(
        "a supervisor sets an address on the settings page: a wrong one is refused at its field, a good one is saved, audited and read back by the API"
    )
    func settingsPage() async throws {
        let (runtime, _) = try await HostFixture.demoRuntime()
        let token = try await runtime.users.issueToken(user: "user-supervisor", days: 1, label: nil, actor: .system).1
        try await buildApplication(runtime: runtime).test(.router) { client in
            var supervisor = PageBrowser(client)
            try await supervisor.signIn("user-supervisor", password: HostFixture.pagePassword)
            let start = try await supervisor.get("/")
            #expect(start.body.contains(#"href="/admin/settings""#), "every role's navigation leads to the settings")
            let page = try await supervisor.get("/admin/settings")
            #expect(page.status == .ok)
            #expect(page.mainText.contains("Ingen – du får ingen e-post"))
            #expect(page.body.contains(#"href="/admin/forms/changeMySettings"#))

            let form = try await supervisor.get("/admin/forms/changeMySettings")
            #expect(form.status == .ok)
            #expect(form.body.contains(#"name="email""#) && form.body.contains(#"name="language""#))
            let refused = try await supervisor.post(
                "/admin/forms/changeMySettings",
                [("email", "sara at kommun"), ("language", "en"), ("reminderDigest", "true")]
            )
            #expect(refused.status == .unprocessableContent)
            #expect(refused.body.contains(##"<a href="#f-email">"##), "the address is refused at its field")

            let saved = try await supervisor.post(
                "/admin/forms/changeMySettings",
                [("email", "sara@kommun.example.se"), ("language", "en"), ("reminderDigest", "true")]
            )
            #expect(saved.status == .seeOther, "\(saved.mainText)")
            #expect(saved.location?.hasPrefix("/admin/settings") == true)
            let after = try await supervisor.get("/admin/settings")
            #expect(after.mainText.contains("sara@kommun.example.se"))
            #expect(after.mainText.contains("Engelska"))
            #expect(after.mainText.contains("Ja, ett brev om dagen"))
            let audit = try await runtime.database.query(
                "SELECT actor, action FROM kernel.audit_log WHERE feature = 'kernel' AND entity = 'user' ORDER BY id DESC LIMIT 1"
            ).single()
            #expect(try audit.decode("actor", as: String.self) == "user-supervisor")
            #expect(try audit.decode("action", as: String.self) == "settings")

            let read = try await client.execute(uri: "/api/v1/settings", method: .get, headers: [.authorization: "Bearer \(token)"])
            #expect(read.status == .ok)
            let body = try JSONSerialization.jsonObject(with: Data(String(buffer: read.body).utf8)) as? [String: Any]
            #expect(body?["email"] as? String == "sara@kommun.example.se")
            #expect(body?["language"] as? String == "en")
            #expect(body?["reminderDigest"] as? Bool == true)

            let off = try await client.execute(
                uri: "/api/v1/settings",
                method: .put,
                headers: [.authorization: "Bearer \(token)", .contentType: "application/json"],
                body: ByteBuffer(string: #"{"language": "sv", "reminderDigest": false}"#)
            )
            #expect(off.status == .ok)
            let now = try await supervisor.get("/admin/settings")
            #expect(now.mainText.contains("Ingen – du får ingen e-post"), "no address: no mail")
            #expect(now.mainText.contains("Nej"))
        }
    }
}
