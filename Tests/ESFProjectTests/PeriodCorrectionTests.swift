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

@testable import ESFProject
@testable import Host

/// Correcting an earlier entry period of a participant who re-entered: the one change that
/// re-opens submitted months, exactly those its old and new days touch and every later one
/// (rule 16); its checks, its audit rows, the API and the page form prefilled from the period.
@Suite("ESF entry period corrections")
struct PeriodCorrectionTests {
    typealias F = ESFFixture
    typealias H = SubmittedHistoryTests

    /// Sara entered 2015-12-07, left 2016-04-15 and came back 2016-09-05; 2015-11, 2015-12,
    /// 2016-04 and 2016-09 are submitted. Answers the participation and its two periods.
    static func reentered(_ f: F) async throws -> (participation: Int, first: ParticipationPeriod, second: ParticipationPeriod) {
        let person = try await f.person("Sara Lindqvist", born: "1985-02-03")
        let id = try await f.write { s, tx in
            try s.enter(F.entry(person, from: "2015-12-07"), project: f.project, special: true, reach: .everything, actor: F.actor, in: tx)
                .participation.id
        }
        for month in ["2015-11", "2015-12"] { try await H.submit(f, month) }
        _ = try await f.write { s, tx in
            try s.exit(
                ParticipationExit(on: LocalDate("2016-04-15")!, results: [.jobSearching], recordedOn: LocalDate("2016-04-20")!),
                participation: id,
                today: F.today,
                special: true,
                actor: F.actor,
                in: tx
            )
        }
        try await H.submit(f, "2016-04")
        _ = try await f.write { s, tx in
            try s.enter(F.entry(person, from: "2016-09-05"), project: f.project, special: true, reach: .everything, actor: F.actor, in: tx)
        }
        try await H.submit(f, "2016-09")
        let periods = try await f.read { s, db in try s.periods(ofParticipation: id, in: db) }
        try #require(periods.count == 2)
        return (id, periods[0], periods[1])
    }

    static func correct(_ f: F, _ periodID: Int, of id: Int, _ correction: ParticipationPeriodCorrection) async throws -> ParticipationPeriod {
        try await f.write { s, tx in try s.correctPeriod(correction, period: periodID, participation: id, today: F.today, actor: F.actor, in: tx) }
    }

    static func state(_ f: F, _ month: String) async throws -> MonthlyReport.State {
        try await H.figures(f, month).state
    }

    @Test(
        "correcting the first period of a re-entered participant re-opens the months it touches and every later one; a month before both stays submitted"
    )
    func reopensTouchedMonths() async throws {
        try await F.with { f async throws in
            let (id, first, second) = try await Self.reentered(f)
            #expect(first.from == LocalDate("2015-12-07") && first.to == LocalDate("2016-04-15"))
            #expect(first.exitResults == [.jobSearching])
            let november = try await H.figures(f, "2015-11")

            // The entry was really 2016-01-11 and the end 2016-03-31, measured 2016-04-05.
            let corrected = try await Self.correct(
                f,
                first.id,
                of: id,
                ParticipationPeriodCorrection(
                    from: LocalDate("2016-01-11")!,
                    to: LocalDate("2016-03-31")!,
                    exitResults: [.inEducation],
                    exitRecordedOn: LocalDate("2016-04-05")!
                )
            )
            #expect(corrected.from == LocalDate("2016-01-11") && corrected.to == LocalDate("2016-03-31"))
            #expect(corrected.exitResults == [.inEducation] && corrected.exitRecordedOn == LocalDate("2016-04-05"))

            #expect(try await H.figures(f, "2015-11") == november, "a month before both the old and the new days stays as submitted")
            #expect(november.state == .submitted)
            for month in ["2015-12", "2016-04", "2016-09"] {
                #expect(try await Self.state(f, month) == .open, "\(month): touched by the old days, or later, re-opens (rule 16)")
            }
            let reopened = try await f.database.query(
                "SELECT to_char(month, 'YYYY-MM') AS m FROM esf.monthly_reports WHERE project_id = \(f.project) AND state = 'superseded' ORDER BY month"
            ).map { try $0.decode("m", as: String.self) }
            #expect(reopened == ["2015-12", "2016-04", "2016-09"], "exactly the submitted months from the earliest touched on")

            let december = try await H.figures(f, "2015-12")
            #expect(december.started == 0, "the entry moved out of December")
            let january = try await H.figures(f, "2016-01")
            #expect(january.started == 1)
            let march = try await H.figures(f, "2016-03")
            #expect(march.ended == 1)
            #expect(march.rows.first?.last == "inEducation")

            let participation = try await f.read { s, db in try s.participation(id: id, special: true, in: db) }
            #expect(participation.from == LocalDate("2016-01-11"), "the first start follows the first period")
            #expect(participation.lastEntryOn == second.from)
            #expect(participation.entries == 2)
            let audited = try await f.database.query(
                "SELECT action FROM kernel.audit_log WHERE feature = 'esf' AND entity IN ('participationPeriod', 'participation') ORDER BY id DESC LIMIT 2"
            ).map { try $0.decode("action", as: String.self) }
            #expect(Set(audited) == ["correct", "periodCorrected"])
        }
    }

    @Test(
        "a correction is refused at its field: an end before the entry, a day in the future or outside the project, an overlap, results without an end"
    )
    func refusals() async throws {
        try await F.with { f async throws in
            let (id, first, _) = try await Self.reentered(f)
            func refusal(_ correction: ParticipationPeriodCorrection) async throws -> FeatureError? {
                do {
                    _ = try await Self.correct(f, first.id, of: id, correction)
                    return nil
                } catch let error as FeatureError {
                    return error
                }
            }
            let day = { (text: String) in LocalDate(text)! }
            let backwards = try await refusal(ParticipationPeriodCorrection(from: day("2016-03-01"), to: day("2016-02-01")))
            #expect(backwards?.field == "/to")
            let before = try await refusal(ParticipationPeriodCorrection(from: day("2015-09-30"), to: day("2016-02-01")))
            #expect(before?.field == "/from", "before the project's start")
            let future = try await refusal(ParticipationPeriodCorrection(from: day("2016-01-11"), to: F.today.adding(days: 1)))
            #expect(future?.field == "/to")
            let overlap = try await refusal(ParticipationPeriodCorrection(from: day("2016-01-11"), to: day("2016-09-05")))
            #expect(overlap?.code == .conflict)
            #expect(overlap?.field == "/to")
            let open = try await refusal(ParticipationPeriodCorrection(from: day("2016-01-11"), to: nil))
            #expect(open?.code == .conflict, "an earlier period left open runs into the re-entry")
            let results = try await refusal(
                ParticipationPeriodCorrection(
                    from: day("2016-01-11"),
                    to: day("2016-03-31"),
                    exitResults: [.employed],
                    exitRecordedOn: day("2016-06-01")
                )
            )
            #expect(results?.field == "/exitRecordedOn", "results are measured within four weeks of the end (rule 14)")
            #expect(try await Self.state(f, "2015-12") == .submitted, "a refused correction re-opens nothing")
            let missing = try await refusal(ParticipationPeriodCorrection(from: day("2016-01-11"), to: day("2016-03-31")))
            #expect(missing == nil, "the same days again are accepted")
            let unknown = try? await Self.correct(f, first.id + 1000, of: id, ParticipationPeriodCorrection(from: day("2016-01-11")))
            #expect(unknown == nil, "a period the participation does not have is not found")
        }
    }

    @Test("the API lists the periods and corrects one; the participants page links each period to its form, prefilled from it")
    func apiAndForm() async throws {
        let (runtime, r, tokens) = try await ESFAccessTests.make()
        try await HostFixture.setPagePasswords(runtime)
        try await buildApplication(runtime: runtime).test(.router) { client in
            let coordinator: HTTPFields = [.authorization: "Bearer \(tokens[.coordinator]!)", .contentType: "application/json"]
            let listed = try await client.execute(uri: "/api/v1/esf/participations/\(r.participation)/periods", method: .get, headers: coordinator)
            #expect(listed.status == .ok)
            let items = try JSONSerialization.jsonObject(with: Data(String(buffer: listed.body).utf8)) as? [String: Any]
            let periods = items?["items"] as? [[String: Any]] ?? []
            #expect(periods.count == 1)
            let periodID = try #require(periods.first?["id"] as? Int)
            #expect(periods.first?["from"] as? String == "2016-01-11")

            var browser = try await ESFPageTests.signedIn(client, .coordinator)
            let participants = try await browser.get("/esf/projects/\(r.project)/participants")
            let link = "/esf/forms/correctParticipationPeriod?id=\(r.participation)&periodId=\(periodID)"
            #expect(participants.body.contains(link.replacingOccurrences(of: "&", with: "&amp;")), "each period links to its correction")
            #expect(participants.mainText.contains("Rätta perioden från 2016-01-11"))
            let form = try await browser.get(link)
            #expect(form.status == .ok)
            #expect(form.body.contains(#"value="2016-01-11""#), "prefilled from the period")
            let saved = try await browser.post(link, [("from", "2016-01-12"), ("to", ""), ("exitRecordedOn", "")])
            #expect(saved.status == .seeOther)
            #expect(saved.location == "/esf/projects/\(r.project)/participants")

            let refused = try await client.execute(
                uri: "/api/v1/esf/participations/\(r.participation)/periods/\(periodID)",
                method: .put,
                headers: coordinator,
                body: ByteBuffer(string: #"{"from": "2016-02-01", "to": "2016-01-20"}"#)
            )
            #expect(refused.status == .unprocessableContent)
            #expect(String(buffer: refused.body).contains("/to"))
            let officer: HTTPFields = [.authorization: "Bearer \(tokens[.officer]!)", .contentType: "application/json"]
            let forbidden = try await client.execute(
                uri: "/api/v1/esf/participations/\(r.participation)/periods/\(periodID)",
                method: .put,
                headers: officer,
                body: ByteBuffer(string: #"{"from": "2016-01-11"}"#)
            )
            #expect(forbidden.status == .forbidden, "the officer reads ESF but does not write participations")
            let row = try await runtime.database.query("SELECT from_date::text AS d FROM esf.participations WHERE id = \(r.participation)").single()
            #expect(try row.decode("d", as: String.self) == "2016-01-12")
        }
        await runtime.shutdown()
    }
}
