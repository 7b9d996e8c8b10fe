import DataAccess
import Foundation
import HTTPTypes
import HostTestSupport
import Hummingbird
import HummingbirdTesting
import PluginKit
import Registry
import Testing

@testable import Host
@testable import Supervision

/// The responsible users of assignments and pots over the API and in the pages: the field in the
/// answers, the `…/responsible` operations, a wrong user refused at the field, the person
/// chosen by name in the form and shown by name on the cooperative's page.
@Suite("Supervision: the users responsible, over HTTP")
struct ResponsibleHTTPTests {
    @Test("the API: a pot created by a caseworker names them; the responsible users round-trip; a wrong one is 422 at its field, nothing changed")
    func api() async throws {
        let f = try await SupervisionAccessFixture.make()
        let r = f.ids
        let officer = try await HostFixture.userID(f.runtime, "user-officer")
        let supervisor = try await HostFixture.userID(f.runtime, "user-supervisor")
        try await buildApplication(runtime: f.runtime).test(.router) { client in
            let token = f.tokens[.officer]
            let pot = try await HostFixture.api(
                client,
                .post,
                "/api/v1/supervision/pots",
                token: token,
                json:
                    #"{"cooperativeId": \#(r.coopIn), "purpose": "Handledare", "amount": 1000, "sharePercent": 50, "from": "2016-01-01", "to": "2016-12-31"}"#
            )
            #expect(pot.status == .created)
            #expect(String(buffer: pot.body).contains(#""caseworkerUserId":\#(officer)"#), "the officer who set it up answers for it")

            let path = "/api/v1/supervision/assignments/\(r.assignmentIn)/responsible"
            let set = try await HostFixture.api(client, .put, path, token: token, json: #"{"supervisorUserId": \#(supervisor)}"#)
            #expect(set.status == .ok)
            let read = try await HostFixture.api(client, .get, "/api/v1/supervision/assignments/\(r.assignmentIn)", token: token)
            #expect(String(buffer: read.body).contains(#""supervisorUserId":\#(supervisor)"#))
            for wrong in [officer, 987_654] {
                let refused = try await HostFixture.api(client, .put, path, token: token, json: #"{"supervisorUserId": \#(wrong)}"#)
                let problem = try HostFixture.problemFields(refused)
                #expect(problem.status == .unprocessableContent)
                #expect(problem.fields == ["/supervisorUserId"])
            }
            // The supervisor works for the provider of `assignmentIn`, not of `assignmentOut`'s.
            let outside = try await HostFixture.api(
                client,
                .put,
                "/api/v1/supervision/assignments/\(r.assignmentOut)/responsible",
                token: token,
                json: #"{"supervisorUserId": \#(supervisor)}"#
            )
            #expect(try HostFixture.problemFields(outside).fields == ["/supervisorUserId"])
            let unchanged = try await HostFixture.api(client, .get, "/api/v1/supervision/assignments/\(r.assignmentIn)", token: token)
            #expect(String(buffer: unchanged.body).contains(#""supervisorUserId":\#(supervisor)"#))
            let cleared = try await HostFixture.api(client, .put, path, token: token, json: "{}")
            #expect(cleared.status == .ok)
            #expect(!String(buffer: cleared.body).contains("supervisorUserId"))
            let audited = try await HostFixture.count(
                f.runtime,
                "SELECT count(*) AS n FROM kernel.audit_log WHERE entity = 'assignment' AND action = 'responsible' AND actor = 'user-officer'"
            )
            #expect(audited == 2, "each change audited as its user, no refusal")
        }
    }

    @Test("the page form: the supervisor chosen by name, a caseworker refused at the field, the name on the cooperative's page")
    func form() async throws {
        let f = try await SupervisionAccessFixture.make()
        try await HostFixture.setPagePasswords(f.runtime)
        let r = f.ids
        let officer = try await HostFixture.userID(f.runtime, "user-officer")
        let supervisor = try await HostFixture.userID(f.runtime, "user-supervisor")
        try await f.runtime.database.execute("UPDATE kernel.users SET display_name = 'Stina Ansvarig' WHERE id = \(supervisor)")
        try await buildApplication(runtime: f.runtime).test(.router) { client in
            var browser = PageBrowser(client)
            try await browser.signIn("user-officer", password: HostFixture.pagePassword)
            let cooperative = try await browser.get("/supervision/cooperatives/\(r.coopIn)")
            #expect(cooperative.mainText.contains("Ansvarig handledare"))
            let link = "/supervision/forms/setAssignmentResponsible?id=\(r.assignmentIn)"
            #expect(cooperative.body.contains(link), "the page links to the form")
            let form = try await browser.get(link)
            #expect(form.status == .ok)
            #expect(form.mainText.contains("Ansvarig handledare för uppdraget"))
            #expect(form.body.contains(#"<option value="\#(supervisor)">Stina Ansvarig (Handledare)</option>"#), "chosen by name, never typed")

            let action = "/supervision/forms/setAssignmentResponsible?id=\(r.assignmentIn)"
            let refused = try await browser.post(action, [("supervisorUserId", String(officer))])
            #expect(refused.status == .unprocessableContent)
            #expect(refused.body.contains(##"href="#f-supervisorUserId""##), "the error is at the field")
            #expect(refused.mainText.contains("kan inte vara ansvarig"))
            let saved = try await browser.post(action, [("supervisorUserId", String(supervisor))])
            #expect(saved.status == .seeOther)
            #expect(saved.location == "/supervision/cooperatives/\(r.coopIn)")
            let shown = try await browser.get("/supervision/cooperatives/\(r.coopIn)")
            #expect(shown.mainText.contains("Ansvarig handledare är sparad."))
            #expect(shown.mainText.contains("Stina Ansvarig"))
            let audit = try await f.runtime.database.query(
                "SELECT actor FROM kernel.audit_log WHERE entity = 'assignment' AND action = 'responsible' ORDER BY id DESC LIMIT 1"
            ).single()
            #expect(try audit.decode("actor", as: String.self) == "user-officer")
        }
    }
}
