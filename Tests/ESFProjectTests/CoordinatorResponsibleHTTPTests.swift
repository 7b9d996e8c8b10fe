import DataAccess
import Foundation
import HTTPTypes
import HostTestSupport
import Hummingbird
import HummingbirdTesting
import PluginKit
import Testing

@testable import ESFProject
@testable import Host

/// A project's responsible coordinator over the API and on its page: round trip, a caseworker
/// refused at the field, the coordinator chosen and shown by name.
@Suite("ESF: the coordinator responsible, over HTTP")
struct CoordinatorResponsibleHTTPTests {
    @Test("the API round-trips coordinatorUserId and refuses a caseworker at the field; the form chooses by name; the page shows the name")
    func apiAndPage() async throws {
        let (runtime, r, tokens) = try await ESFAccessTests.make()
        try await HostFixture.setPagePasswords(runtime)
        let (officer, coordinator) = (
            try await HostFixture.userID(runtime, "user-officer"), try await HostFixture.userID(runtime, "user-coordinator")
        )
        try await runtime.database.execute("UPDATE kernel.users SET display_name = 'Sara Samordnare' WHERE id = \(coordinator)")
        try await buildApplication(runtime: runtime).test(.router) { client in
            let token = tokens[.coordinator]
            let path = "/api/v1/esf/projects/\(r.project)/responsible"
            let refused = try await HostFixture.api(client, .put, path, token: token, json: #"{"coordinatorUserId": \#(officer)}"#)
            let problem = try HostFixture.problemFields(refused)
            #expect(problem.status == .unprocessableContent)
            #expect(problem.fields == ["/coordinatorUserId"])
            let set = try await HostFixture.api(client, .put, path, token: token, json: #"{"coordinatorUserId": \#(coordinator)}"#)
            #expect(set.status == .ok)
            let read = try await HostFixture.api(client, .get, "/api/v1/esf/projects/\(r.project)", token: token)
            #expect(String(buffer: read.body).contains(#""coordinatorUserId":\#(coordinator)"#))

            var browser = PageBrowser(client)
            try await browser.signIn("user-coordinator", password: HostFixture.pagePassword)
            let page = try await browser.get("/esf/projects/\(r.project)")
            #expect(page.mainText.contains("Ansvarig samordnare"))
            #expect(page.mainText.contains("Sara Samordnare"))
            let action = "/esf/forms/setProjectResponsible?id=\(r.project)"
            #expect(page.body.contains(action), "the page links to the form")
            let form = try await browser.get(action)
            #expect(
                form.body.contains(#"<option value="\#(coordinator)" selected>Sara Samordnare (ESF-samordnare)</option>"#),
                "the current one chosen"
            )
            let wrong = try await browser.post(action, [("coordinatorUserId", String(officer))])
            #expect(wrong.status == .unprocessableContent)
            #expect(wrong.body.contains(##"href="#f-coordinatorUserId""##))
            let cleared = try await browser.post(action, [("coordinatorUserId", "")])
            #expect(cleared.status == .seeOther)
            let after = try await HostFixture.api(client, .get, "/api/v1/esf/projects/\(r.project)", token: token)
            #expect(!String(buffer: after.body).contains("coordinatorUserId"), "an empty choice names nobody")
        }
    }
}
