import DataAccess
import Foundation
import PluginKit
import Registry
import Testing

@testable import ESFProject

@Suite("ESF participations")
struct ParticipationTests {
    typealias F = ESFFixture

    @Test("exactly one status at entry (rule 12): missing or doubled is refused naming /entryStatus")
    func entryStatus() async throws {
        try await F.with { f async throws in
            let person = try await f.person("Amina Hassan", born: "1990-05-17")
            for (given, words) in [(nil, "give the status"), (OneOrMore(values: [EntryStatus.unemployed, .employed]), "exactly one")]
                as [(OneOrMore<EntryStatus>?, String)]
            {
                var draft = F.entry(person, from: "2016-01-11")
                draft.entryStatus = given
                let error = await #expect(throws: FeatureError.self) {
                    try await f.write { [draft] s, tx in
                        try s.enter(draft, project: f.project, special: true, reach: .everything, actor: F.actor, in: tx)
                    }
                }
                #expect(error?.field == "/entryStatus")
                #expect(error?.message.contains(words) == true)
            }
            #expect(try await f.count("participations") == 0)
            // A body with a list of two is read, and refused by the rule rather than as malformed JSON.
            let body = #"{"personId": 1, "from": "2016-01-11", "entryStatus": ["unemployed", "inactiveInEducation"]}"#
            let draft = try JSONDecoder().decode(ParticipationDraft.self, from: Data(body.utf8))
            #expect(draft.entryStatus?.values == [.unemployed, .inactiveInEducation])
        }
    }

    @Test("the age at entry comes from the identity number's birth date on the first start")
    func ageAtEntry() async throws {
        try await F.with { f async throws in
            let person = try await f.person("Erik Nilsson", born: "1991-06-15", gender: .male)
            let (entered, reentered) = try await f.write { s, tx in
                try s.enter(F.entry(person, from: "2016-06-14"), project: f.project, special: true, reach: .everything, actor: F.actor, in: tx)
            }
            #expect(!reentered)
            #expect(entered.ageAtEntry == 24)
            #expect(entered.entries == 1)
        }
    }

    @Test("re-entry keeps the first start and counts once (rule 13); an overlapping or open entry is 409 on /from")
    func reentry() async throws {
        try await F.with { f async throws in
            let person = try await f.person("Sara Lindqvist", born: "1985-02-03")
            let first = try await f.write { s, tx in
                try s.enter(F.entry(person, from: "2016-01-11"), project: f.project, special: true, reach: .everything, actor: F.actor, in: tx)
                    .participation
            }
            let open = await #expect(throws: FeatureError.self) {
                try await f.write { s, tx in
                    try s.enter(F.entry(person, from: "2016-03-01"), project: f.project, special: true, reach: .everything, actor: F.actor, in: tx)
                }
            }
            #expect(open?.code == .conflict)
            #expect(open?.field == "/from")
            _ = try await f.write { s, tx in
                try s.exit(
                    ParticipationExit(on: LocalDate(year: 2016, month: 6, day: 30)!),
                    participation: first.id,
                    today: F.today,
                    special: true,
                    actor: F.actor,
                    in: tx
                )
            }
            let overlap = await #expect(throws: FeatureError.self) {
                try await f.write { s, tx in
                    try s.enter(F.entry(person, from: "2016-06-30"), project: f.project, special: true, reach: .everything, actor: F.actor, in: tx)
                }
            }
            #expect(overlap?.code == .conflict)
            #expect(overlap?.message.contains("overlaps") == true)
            let (again, reentered) = try await f.write { s, tx in
                try s.enter(
                    F.entry(person, from: "2017-02-01", status: .employed),
                    project: f.project,
                    special: true,
                    reach: .everything,
                    actor: F.actor,
                    in: tx
                )
            }
            #expect(reentered)
            #expect(again.id == first.id)
            #expect(again.from == LocalDate(year: 2016, month: 1, day: 11))
            #expect(again.lastEntryOn == LocalDate(year: 2017, month: 2, day: 1))
            #expect(again.entries == 2)
            #expect(again.to == nil)
            #expect(again.entryStatus == .unemployed)
            #expect(try await f.count("participations") == 1)
            let report = try await f.read { s, db in
                try s.indicatorReport(ofProject: f.project, from: F.start, to: F.end, special: true, in: db)
            }
            #expect(report.indicators.first { $0.code == "CO01" }?.total == 1)
        }
    }

    @Test("results at exit within four weeks, six-month results not before six months (rule 14)")
    func results() async throws {
        try await F.with { f async throws in
            let person = try await f.person("Ali Yusuf", born: "1979-08-21", gender: .male)
            let id = try await f.write { s, tx in
                try s.enter(F.entry(person, from: "2016-01-11"), project: f.project, special: true, reach: .everything, actor: F.actor, in: tx)
                    .participation.id
            }
            let noEnd = await #expect(throws: FeatureError.self) {
                try await f.write { s, tx in
                    try s.recordSixMonths(
                        SixMonthFollowUp(results: [.employed]),
                        participation: id,
                        today: F.today,
                        special: true,
                        actor: F.actor,
                        in: tx
                    )
                }
            }
            #expect(noEnd?.field == "/recordedOn")
            let end = LocalDate(year: 2016, month: 8, day: 31)!
            let late = await #expect(throws: FeatureError.self) {
                try await f.write { s, tx in
                    try s.exit(
                        ParticipationExit(on: end, results: [.employed], recordedOn: end.adding(days: 29)),
                        participation: id,
                        today: F.today,
                        special: true,
                        actor: F.actor,
                        in: tx
                    )
                }
            }
            #expect(late?.field == "/recordedOn")
            let before = await #expect(throws: FeatureError.self) {
                try await f.write { s, tx in
                    try s.exit(
                        ParticipationExit(on: LocalDate(year: 2016, month: 1, day: 10)!),
                        participation: id,
                        today: F.today,
                        special: true,
                        actor: F.actor,
                        in: tx
                    )
                }
            }
            #expect(before?.field == "/on")
            let exited = try await f.write { s, tx in
                try s.exit(
                    ParticipationExit(on: end, results: [.employed, .qualification], recordedOn: end.adding(days: 28)),
                    participation: id,
                    today: F.today,
                    special: true,
                    actor: F.actor,
                    in: tx
                )
            }
            #expect(exited.exitResults == [.employed, .qualification])
            let early = await #expect(throws: FeatureError.self) {
                try await f.write { s, tx in
                    try s.recordSixMonths(
                        SixMonthFollowUp(results: [.employed], recordedOn: LocalDate(year: 2017, month: 2, day: 27)),
                        participation: id,
                        today: F.today,
                        special: true,
                        actor: F.actor,
                        in: tx
                    )
                }
            }
            #expect(early?.field == "/recordedOn")
            #expect(early?.message.contains("2017-02-28") == true)
            let followed = try await f.write { s, tx in
                try s.recordSixMonths(
                    SixMonthFollowUp(results: [.employed], recordedOn: LocalDate(year: 2017, month: 2, day: 28)),
                    participation: id,
                    today: F.today,
                    special: true,
                    actor: F.actor,
                    in: tx
                )
            }
            #expect(followed.sixMonthResults == [.employed])
        }
    }

    @Test("special-category attributes: only a reader allowed them sees them, only such a writer records them, never in the audit log")
    func specialCategories() async throws {
        try await F.with { f async throws in
            let person = try await f.person("Leila Ahmadi", born: "1988-11-30")
            var draft = F.entry(person, from: "2016-01-11")
            draft.specialCategories = SpecialCategories(migrantBackground: true, disability: true, otherDisadvantaged: false)
            let refused = await #expect(throws: FeatureError.self) {
                try await f.write { [draft] s, tx in
                    try s.enter(draft, project: f.project, special: false, reach: .everything, actor: F.actor, in: tx)
                }
            }
            #expect(refused?.code == .forbidden)
            #expect(refused?.field == "/specialCategories")
            let id = try await f.write { [draft] s, tx in
                try s.enter(draft, project: f.project, special: true, reach: .everything, actor: F.actor, in: tx).participation.id
            }
            let coordinator = try await f.read { s, db in try s.participation(id: id, special: true, in: db) }
            #expect(coordinator.specialCategories?.disability == true)
            let officer = try await f.read { s, db in try s.participation(id: id, special: false, in: db) }
            #expect(officer.specialCategories == nil)
            let json = String(decoding: try JSONEncoder().encode(officer), as: UTF8.self)
            #expect(!json.contains("disability"))
            let audit: String = try await f.database.query(
                "SELECT after::text AS after FROM kernel.audit_log WHERE entity = 'participation' AND entity_id = \(String(id))"
            ).single().decode("after")
            #expect(audit.contains("recorded"))
            #expect(!audit.contains("disability"))
        }
    }
}
