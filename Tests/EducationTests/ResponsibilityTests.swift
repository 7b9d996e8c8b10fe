import DataAccess
import FeatureSupport
import Foundation
import HTTPTypes
import HostTestSupport
import Hummingbird
import HummingbirdTesting
import PluginKit
import Registry
import TestSupport
import Testing

@testable import Education
@testable import Host

/// Who runs the education (issue 22, point 10): a circle's organiser besides its study
/// association, and the responsibility for education moving between units with dates, one record
/// seen from both units and in the circle lists by organiser and year.
@Suite("Who runs the education: organisers and responsibility moves")
struct ResponsibilityTests {
    typealias F = EducationFixture

    static func unit(_ name: String, _ registry: Registry, in tx: Transaction) throws -> Int {
        try registry.createOrganisation(
            OrganisationDraft(name: name, legalForm: .municipalUnit, kind: .publicBody, state: .active),
            actor: F.actor,
            in: tx
        ).id
    }

    static func circle(_ f: F, start: LocalDate, organiser: Int? = nil) async throws -> Circle {
        try await f.write { s, tx in
            var draft = f.circleDraft()
            (draft.plannedStart, draft.plannedEnd, draft.organiserId) = (start, start.adding(days: 60), organiser)
            return try s.createCircle(draft, actor: F.actor, in: tx)
        }
    }

    @Test("moves chain from one unit to the next; a circle without an organiser gets the one responsible on its start; lists by organiser and year")
    func movesAndOrganisers() async throws {
        try await F.with { f in
            let (unit, support) = try await f.write { s, tx in
                (
                    try Self.unit("Enheten för kooperativ utveckling", s.registry, in: tx),
                    try Self.unit("Stöd till social ekonomi", s.registry, in: tx)
                )
            }
            func move(_ draft: ResponsibilityMoveDraft) async throws -> ResponsibilityMove {
                try await f.write { s, tx in try s.moveResponsibility(draft, actor: F.actor, in: tx) }
            }
            _ = try await move(ResponsibilityMoveDraft(toOrganisationId: unit, on: LocalDate(year: 2001, month: 1, day: 1)!))
            let early = try await Self.circle(f, start: LocalDate(year: 2003, month: 2, day: 3)!)
            #expect(early.organiserId == unit, "the unit responsible on the planned start")
            // The unit it moves from must be the one responsible the day before; a move is after the latest.
            let wrongFrom = await #expect(throws: FeatureError.self) {
                try await move(
                    ResponsibilityMoveDraft(fromOrganisationId: support, toOrganisationId: unit, on: LocalDate(year: 2015, month: 4, day: 1)!)
                )
            }
            #expect(wrongFrom?.field == "/fromOrganisationId")
            let noFrom = await #expect(throws: FeatureError.self) {
                try await move(ResponsibilityMoveDraft(toOrganisationId: support, on: LocalDate(year: 2015, month: 4, day: 1)!))
            }
            #expect(noFrom?.field == "/fromOrganisationId")
            let moved = try await move(
                ResponsibilityMoveDraft(
                    fromOrganisationId: unit,
                    toOrganisationId: support,
                    on: LocalDate(year: 2015, month: 4, day: 1)!,
                    note: "Socialnämndens beslut"
                )
            )
            let before = await #expect(throws: FeatureError.self) {
                try await move(
                    ResponsibilityMoveDraft(fromOrganisationId: support, toOrganisationId: unit, on: LocalDate(year: 2014, month: 1, day: 1)!)
                )
            }
            #expect(before?.field == "/on")
            #expect(try await f.count("responsibility_moves") == 2)
            let late = try await Self.circle(f, start: LocalDate(year: 2016, month: 9, day: 5)!)
            #expect(late.organiserId == support)
            let own = try await Self.circle(f, start: LocalDate(year: 2016, month: 10, day: 3)!, organiser: f.cooperative)
            #expect(own.organiserId == f.cooperative, "any organisation may be the organiser")
            // One record, seen from both units.
            let (fromUnit, fromSupport) = try await f.read { s, db in
                (try s.responsibilityMoves(organisationId: unit, in: db), try s.responsibilityMoves(organisationId: support, in: db))
            }
            #expect(fromUnit.map(\.id).contains(moved.id) && fromSupport.map(\.id) == [moved.id])
            // The lists by organiser and year.
            func ids(_ query: CircleQuery) async throws -> [Int] {
                try await f.read { s, db in try s.circles(matching: query, page: PageRequest(limit: 100), reach: .everything, in: db).items.map(\.id)
                }
            }
            #expect(try await ids(CircleQuery(organiserId: support, year: 2016)) == [late.id])
            #expect(try await ids(CircleQuery(organiserId: unit, year: 2003)) == [early.id])
            #expect(try await ids(CircleQuery(organiserId: unit, year: 2016)).isEmpty)
            #expect(try await ids(CircleQuery(year: 2016)) == [late.id, own.id])
            let audits = try await f.database.query("SELECT count(*) AS n FROM kernel.audit_log WHERE entity = 'responsibilityMove'").single()
            #expect(try audits.decode("n", as: Int.self) == 2)
        }
    }

    @Test(
        "over HTTP: the move through the API, seen on both units' pages; the circle list by organiser and year; the circle's page names its organiser"
    )
    func pages() async throws {
        let (runtime, r, tokens) = try await EducationAccessTests.make()
        try await HostFixture.setPagePasswords(runtime)
        let store = try EducationStore(context: runtime.context(for: "education"))
        let (unit, support) = try await runtime.database.transaction { tx in
            (
                try Self.unit("Enheten för kooperativ utveckling", store.registry, in: tx),
                try Self.unit("Stöd till social ekonomi", store.registry, in: tx)
            )
        }
        try await buildApplication(runtime: runtime).test(.router) { client in
            let officer: HTTPFields = [.authorization: "Bearer \(tokens[.officer]!)", .contentType: "application/json"]
            for body in [
                #"{"toOrganisationId": \#(unit), "on": "2001-01-01"}"#,
                #"{"fromOrganisationId": \#(unit), "toOrganisationId": \#(support), "on": "2015-04-01", "note": "Socialnämndens beslut"}"#,
            ] {
                let response = try await client.execute(
                    uri: "/api/v1/education/responsibility-moves",
                    method: .post,
                    headers: officer,
                    body: ByteBuffer(string: body)
                )
                #expect(response.status == .created, "\(String(buffer: response.body))")
            }
            let circle = try await client.execute(
                uri: "/api/v1/education/circles",
                method: .post,
                headers: officer,
                body: ByteBuffer(
                    string:
                        #"{"studyAssociationId": \#(r.association), "leaderId": \#(r.leader), "subject": "Starta kooperativ", "plannedStart": "2016-09-05", "plannedEnd": "2016-11-28"}"#
                )
            )
            #expect(circle.status == .created)
            #expect(String(buffer: circle.body).contains(#""organiserId":\#(support)"#))
            let listed = try await client.execute(
                uri: "/api/v1/education/circles?organiserId=\(support)&year=2016",
                method: .get,
                headers: officer
            )
            #expect(String(buffer: listed.body).contains("Starta kooperativ"))
            #expect(!String(buffer: listed.body).contains(#""subject":"Kooperativ""#), "the fixture's 2001 circles are not the unit's")
            let badYear = try await client.execute(uri: "/api/v1/education/circles?year=0", method: .get, headers: officer)
            #expect(badYear.status.code / 100 == 4, "a year outside the supported ones is refused, not a 500")
            #expect(String(buffer: badYear.body).contains("year"))
            var browser = PageBrowser(client)
            try await browser.signIn("user-officer", password: HostFixture.pagePassword)
            for id in [unit, support] {
                let page = try await browser.get("/registry/organisations/\(id)")
                #expect(
                    page.mainText.contains("2015-04-01 : utbildningen flyttade från Enheten för kooperativ utveckling till Stöd till social ekonomi")
                )
                #expect(page.mainText.contains("(Socialnämndens beslut)"))
                #expect(!page.mainText.contains("()"))
            }
            let supportPage = try await browser.get("/registry/organisations/\(support)")
            #expect(supportPage.body.contains("/education?organiser=\(support)&amp;year=2016"))
            let list = try await browser.get("/education?organiser=\(support)&year=2016")
            #expect(list.mainText.contains("Starta kooperativ"))
            #expect(list.mainText.contains("Anordnare: Stöd till social ekonomi, år 2016"))
            #expect(!list.mainText.contains("Studieförbundet B"), "no circle of 2001")
            let id = try #require(list.body.firstMatch(of: /href="\/education\/circles\/(\d+)"/)).1
            let page = try await browser.get("/education/circles/\(id)")
            #expect(page.mainText.contains("Anordnare Stöd till social ekonomi"))
            let form = try await browser.get("/education/forms/moveEducationResponsibility")
            #expect(form.status == .ok)
            #expect(form.body.contains(#"name="toOrganisationId""#))
        }
        await runtime.shutdown()
    }
}
