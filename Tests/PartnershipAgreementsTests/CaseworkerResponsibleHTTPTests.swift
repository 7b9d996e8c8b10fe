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
@testable import PartnershipAgreements

/// An agreement's responsible caseworker over the API and on its page: round trip, a user of
/// another role refused at the field, the caseworker chosen by name and shown by name.
@Suite("Partnerships: the caseworker responsible, over HTTP")
struct CaseworkerResponsibleHTTPTests {
    @Test("the API round-trips caseworkerUserId and refuses a coordinator at the field; the form chooses by name; the page shows the name")
    func apiAndPage() async throws {
        let f = try await PartnershipPageTests.fixture()
        let r = f.ids
        let (officer, coordinator) = (
            try await HostFixture.userID(f.runtime, "user-officer"), try await HostFixture.userID(f.runtime, "user-coordinator")
        )
        try await f.runtime.database.execute("UPDATE kernel.users SET display_name = 'Birgitta Nordström' WHERE id = \(officer)")
        try await buildApplication(runtime: f.runtime).test(.router) { client in
            let token = f.tokens[.officer]
            let path = "/api/v1/partnerships/agreements/\(r.grantIn)/responsible"
            let refused = try await HostFixture.api(client, .put, path, token: token, json: #"{"caseworkerUserId": \#(coordinator)}"#)
            let problem = try HostFixture.problemFields(refused)
            #expect(problem.status == .unprocessableContent)
            #expect(problem.fields == ["/caseworkerUserId"])
            let set = try await HostFixture.api(client, .put, path, token: token, json: #"{"caseworkerUserId": \#(officer)}"#)
            #expect(set.status == .ok)
            let read = try await HostFixture.api(client, .get, "/api/v1/partnerships/agreements/\(r.grantIn)", token: token)
            #expect(String(buffer: read.body).contains(#""caseworkerUserId":\#(officer)"#))

            var browser = try await PartnershipPageTests.signedIn(client, .officer)
            let page = try await browser.get("/partnerships/agreements/\(r.grantIn)")
            #expect(page.mainText.contains("Ansvarig handläggare"))
            #expect(page.mainText.contains("Birgitta Nordström"))
            let form = try await browser.get("/partnerships/forms/setAgreementResponsible?id=\(r.agreementIn)")
            #expect(form.status == .ok)
            #expect(form.body.contains(#"<option value="\#(officer)">Birgitta Nordström (Handläggare)</option>"#))
            let action = "/partnerships/forms/setAgreementResponsible?id=\(r.agreementIn)"
            let wrong = try await browser.post(action, [("caseworkerUserId", String(coordinator))])
            #expect(wrong.status == .unprocessableContent)
            #expect(wrong.body.contains(##"href="#f-caseworkerUserId""##))
            let saved = try await browser.post(action, [("caseworkerUserId", String(officer))])
            #expect(saved.status == .seeOther)
            #expect(saved.location == "/partnerships/agreements/\(r.agreementIn)")
            let audited = try await HostFixture.count(
                f.runtime,
                "SELECT count(*) AS n FROM kernel.audit_log WHERE feature = 'partnerships' AND action = 'responsible' AND actor = 'user-officer'"
            )
            #expect(audited == 2, "the API's change and the page's, no refusal")
        }
    }
}
