import DataAccess
import ESFProject
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
@testable import Supervision

/// A pot re-examined (omprövning) gets a case number and a print-ready letter kept with the
/// cooperative's case: the number drawn from the configured series when the case has none, the
/// letter's text as written, how to appeal, its page and its place on the cooperative's page.
@Suite("Pot decision letters")
struct PotLetterTests {
    typealias F = SupervisionFixture

    /// The committee's letters, numbered `SRN 2017/00001`, …, over the operator's `folder`.
    static func letters(folder: String? = nil) throws -> DecisionLetters { try HostFixture.committeeLetters(folder: folder) }

    /// Records `draft` on `pot` through `store`.
    static func decide(_ store: SupervisionStore, _ draft: PotDecisionDraft, onPot pot: Int) async throws -> PotDecision {
        try await store.database.transaction { tx in
            try store.decide(draft, onPot: pot, today: today, reach: .everything, actor: F.actor, in: tx)
        }
    }

    /// The letters of Café Gläntan (the pots' cooperative), newest first, with their text.
    static func letters(_ f: F) async throws -> [(PotLetter, String)] {
        try await f.read { s, db in
            try s.letters(ofCooperative: f.cooperatives[1], in: db).map { ($0, try s.letter(id: $0.id, reach: .everything, in: db).text) }
        }
    }

    static let today = LocalDate(year: 2017, month: 6, day: 1)!

    @Test(
        "each outcome writes its letter under the case number drawn from the series, which the pot's case keeps",
        arguments: [
            (
                PotDecisionDraft(
                    outcome: .extend,
                    decidedOn: LocalDate(year: 2017, month: 5, day: 10)!,
                    to: LocalDate(year: 2017, month: 12, day: 31),
                    amountAdded: 150_000,
                    nextReviewOn: LocalDate(year: 2017, month: 11, day: 1)
                ),
                "förlänger medlen för Café Gläntan till och med 2017-12-31 och tillför 150 000 kr. Medlen omprövas nästa gång senast 2017-11-01."
            ),
            (
                PotDecisionDraft(outcome: .end, decidedOn: LocalDate(year: 2017, month: 5, day: 10)!, to: LocalDate(year: 2017, month: 6, day: 30)),
                "avslutar medlen för Café Gläntan. Sista dag är 2017-06-30."
            ),
            (
                PotDecisionDraft(outcome: .grant, decidedOn: LocalDate(year: 2017, month: 5, day: 10)!),
                "omvandlar det som återstår av medlen, 390 000 kr, till ett bidrag till Café Gläntan från och med 2017-05-10."
            ),
        ]
    )
    func eachOutcome(draft: PotDecisionDraft, sentence: String) async throws {
        try await F.with(letters: try Self.letters()) { f async throws in
            let pot = try await PotTests.spentPot(f)
            let decision = try await Self.decide(f.store, draft, onPot: pot.id)
            #expect(decision.caseNumber == "SRN 2017/00001")
            let kept = try await f.read { s, db in try s.pot(id: pot.id, today: Self.today, reach: .everything, in: db) }
            #expect(kept.caseNumber == "SRN 2017/00001", "the pot's case keeps the number drawn")
            let (letter, text) = try #require(try await Self.letters(f).first)
            #expect(letter.decisionId == decision.id)
            #expect(letter.decidedOn == draft.decidedOn)
            #expect(letter.caseNumber == "SRN 2017/00001")
            #expect(letter.filename == "beslut-SRN-2017-00001-potDecided.html")
            let plain = text.replacingOccurrences(of: "\u{00A0}", with: " ")
            #expect(plain.contains("Social resursnämnden " + sentence), "\(plain)")
            #expect(text.contains("Diarienummer</dt><dd>SRN 2017/00001"))
            #expect(text.contains("Göteborgs Stad"))
            #expect(text.contains("Egen handledare 50 % i 18 månader"), "the pot's purpose is the subject")
            #expect(text.contains("@page { size: A4"))
            // A municipal decision on a pot: laglighetsprövning only, as for a grant.
            #expect(text.contains("laglighetsprövning"))
            #expect(text.contains("13 kap. kommunallagen"))
            #expect(text.contains("inom tre veckor"))
            #expect(text.contains("kan inte överklagas genom förvaltningsbesvär"))
            let audit = try await f.database.query(
                "SELECT action FROM kernel.audit_log WHERE (feature, entity) IN (('supervision', 'letter'), ('kernel', 'caseNumberSeries')) ORDER BY id"
            ).map { try $0.decode("action", as: String.self) }
            #expect(audit == ["draw", "write"])
        }
    }

    @Test("a number typed in is kept, then the pot's own; the note is the letter's grounds; a later decision comes first")
    func numbering() async throws {
        try await F.with(letters: try Self.letters()) { f async throws in
            let pot = try await PotTests.spentPot(f)
            let (first, second) = (LocalDate(year: 2017, month: 5, day: 10)!, LocalDate(year: 2017, month: 5, day: 20)!)
            let note = "Kooperativet har nått sina mål för året."
            let extended = PotDecisionDraft(
                outcome: .extend,
                decidedOn: first,
                caseNumber: "SN 2017/123",
                to: LocalDate(year: 2017, month: 12, day: 31),
                note: note
            )
            _ = try await Self.decide(f.store, extended, onPot: pot.id)
            _ = try await f.database.transaction { tx in
                try tx.execute("UPDATE supervision.funding_pots SET case_number = 'KS 2016/9' WHERE id = \(pot.id)")
            }
            let ended = try await Self.decide(
                f.store,
                PotDecisionDraft(outcome: .end, decidedOn: second, to: LocalDate(year: 2017, month: 6, day: 30)),
                onPot: pot.id
            )
            #expect(ended.caseNumber == "KS 2016/9", "the pot's own case number")
            let letters = try await Self.letters(f)
            #expect(letters.map(\.0.caseNumber) == ["KS 2016/9", "SN 2017/123"], "newest first")
            #expect(letters.map(\.0.decidedOn) == [second, first])
            #expect(letters[1].1.contains("<p>\(note)</p>"))
            #expect(letters[0].1.contains("Medlen har omprövats vid den tidpunkt"), "the standard grounds without a note")
            let series: Int = try await f.database.query("SELECT count(*) AS n FROM kernel.audit_log WHERE entity = 'caseNumberSeries'").single()
                .decode("n")
            #expect(series == 0, "no number drawn for a case that has one")
        }
    }

    @Test("the operator's template replaces the shipped one; a letter already written keeps its text")
    func operatorTemplate() async throws {
        let folder = try HostFixture.letterFolder("sv/potDecided.mustache", "<h1>Eget beslut om potten {{caseNumber}}</h1>{{> lawfulnessReview}}")
        try await F.with(letters: try Self.letters()) { f async throws in
            let pot = try await PotTests.spentPot(f)
            let last = LocalDate(year: 2017, month: 9, day: 30)!
            _ = try await Self.decide(
                f.store,
                PotDecisionDraft(outcome: .extend, decidedOn: LocalDate(year: 2017, month: 5, day: 10)!, to: last),
                onPot: pot.id
            )
            let kept = try #require(try await Self.letters(f).first?.1)
            let own = SupervisionStore(
                registry: f.registry,
                events: f.store.events,
                staff: f.store.staff,
                settings: f.store.settings,
                letters: try Self.letters(folder: folder)
            )
            _ = try await Self.decide(
                own,
                PotDecisionDraft(outcome: .end, decidedOn: LocalDate(year: 2017, month: 5, day: 20)!, to: last),
                onPot: pot.id
            )
            let letters = try await Self.letters(f)
            #expect(letters[0].1.contains("Eget beslut om potten SRN 2017/00001"))
            #expect(letters[1].1 == kept)
            #expect(kept.contains("förlänger medlen"))
        }
    }

    @Test("the letter's page for every role that reads, 404 outside a supervisor's reach; listed with its date on the cooperative's page")
    func letterPages() async throws {
        let f = try await SupervisionAccessFixture.make()
        try await HostFixture.setPagePasswords(f.runtime)
        let r = f.ids
        let store = try SupervisionStore(context: f.runtime.context(for: "supervision"))
        let day = LocalDate(year: 2017, month: 5, day: 10)!
        let (inside, outside) = try await f.runtime.database.transaction { tx in
            let decide = { (pot: Int) throws -> Int in
                let decision = try store.decide(
                    PotDecisionDraft(outcome: .extend, decidedOn: day, to: LocalDate(year: 2031, month: 1, day: 1)),
                    onPot: pot,
                    today: day,
                    reach: .everything,
                    actor: .system,
                    in: tx
                )
                return try tx.query("SELECT id FROM supervision.decision_letters WHERE decision_id = \(decision.id)").single().decode(
                    "id",
                    as: Int.self
                )
            }
            return (try decide(r.potIn), try decide(r.potOut))
        }
        try await buildApplication(runtime: f.runtime).test(.router) { client in
            for role in Role.allCases {
                var browser = PageBrowser(client)
                try await browser.signIn("user-\(role)", password: HostFixture.pagePassword)
                let reads = role != .coordinator
                let letter = try await browser.get("/supervision/letters/\(inside)")
                #expect(letter.status == (reads ? .ok : .forbidden), "\(role)")
                guard reads else { continue }
                #expect(letter.body.contains("@page { size: A4"))
                #expect(letter.body.contains("laglighetsprövning"))
                #expect(letter.headers[.contentSecurityPolicy]?.hasPrefix("default-src 'none'; style-src 'unsafe-inline'") == true)
                #expect(try await browser.get("/supervision/letters/\(outside)").status == (role == .supervisor ? .notFound : .ok), "\(role)")
                #expect(try await browser.get("/supervision/letters/999999").status == .notFound)
                let coop = try await browser.get("/supervision/cooperatives/\(r.coopIn)")
                #expect(coop.body.contains(#"href="/supervision/letters/\#(inside)""#), "\(role)")
                #expect(coop.mainText.contains("Beslutsbrev"))
                #expect(coop.mainText.contains("2017-05-10 Omprövning: potten förlängd Pott"), "\(coop.mainText)")
                #expect(!coop.body.contains("/supervision/letters/\(outside)"))
            }
        }
        await f.runtime.shutdown()
    }

    @Test(
        "the API lists a pot's letters with case number, day, outcome and page for every role that reads; a pot outside a supervisor's reach answers 404 as a missing one"
    )
    func letterList() async throws {
        let f = try await SupervisionAccessFixture.make()
        try await HostFixture.setPagePasswords(f.runtime)
        let r = f.ids
        let store = try SupervisionStore(context: f.runtime.context(for: "supervision"))
        let (first, second) = (LocalDate(year: 2017, month: 5, day: 10)!, LocalDate(year: 2017, month: 6, day: 1)!)
        let numbers = try await f.runtime.database.transaction { tx in
            let extended = try store.decide(
                PotDecisionDraft(outcome: .extend, decidedOn: first, caseNumber: "SN 2017/41", to: LocalDate(year: 2031, month: 1, day: 1)),
                onPot: r.potIn,
                today: second,
                reach: .everything,
                actor: .system,
                in: tx
            )
            let ended = try store.decide(
                PotDecisionDraft(outcome: .end, decidedOn: second, to: second),
                onPot: r.potIn,
                today: second,
                reach: .everything,
                actor: .system,
                in: tx
            )
            _ = try store.decide(
                PotDecisionDraft(outcome: .end, decidedOn: second, to: second),
                onPot: r.potOut,
                today: second,
                reach: .everything,
                actor: .system,
                in: tx
            )
            return [extended.caseNumber, ended.caseNumber]
        }
        try await buildApplication(runtime: f.runtime).test(.router) { client in
            // The fields as the JSON names them.
            struct Listed: Decodable {
                let id, potId, cooperativeId: Int
                let outcome, caseNumber, decidedOn, link: String
            }
            struct List: Decodable { let items: [Listed] }
            func get(_ path: String, _ role: Role) async throws -> (HTTPResponse.Status, [Listed]?) {
                let response = try await client.execute(
                    uri: "/api/v1/supervision/\(path)",
                    method: .get,
                    headers: [.authorization: "Bearer \(f.tokens[role] ?? "")"]
                )
                return (response.status, try? JSONDecoder().decode(List.self, from: Data(String(buffer: response.body).utf8)).items)
            }
            for role in Role.allCases {
                let (status, letters) = try await get("pots/\(r.potIn)/letters", role)
                guard role != .coordinator else {
                    #expect(status == .forbidden, "a coordinator does not read supervision")
                    continue
                }
                #expect(status == .ok, "\(role)")
                let listed = try #require(letters, "\(role)")
                #expect(listed.map(\.caseNumber) == numbers && numbers.first == "SN 2017/41", "each under its decision's case number")
                #expect(listed.map(\.decidedOn) == [first.description, second.description], "oldest first")
                #expect(listed.map(\.outcome) == ["extend", "end"])
                #expect(listed.allSatisfy { $0.potId == r.potIn && $0.cooperativeId == r.coopIn && $0.link == "/supervision/letters/\($0.id)" })
                var browser = PageBrowser(client)
                try await browser.signIn("user-\(role)", password: HostFixture.pagePassword)
                let page = try await browser.get(listed[0].link)
                #expect(page.status == .ok && page.body.contains("SN 2017/41"), "the link opens the letter")
                let outside = try await get("pots/\(r.potOut)/letters", role)
                #expect(outside.0 == (role == .supervisor ? .notFound : .ok), "\(role)")
                #expect(try await get("pots/999999/letters", role).0 == .notFound)
            }
        }
        await f.runtime.shutdown()
    }
}
