import CSVKit
import DataAccess
import Foundation
import PluginKit
import Registry
import Testing

@testable import ESFProject

/// What a month already submitted to the statistics agency said stays what it says: a later
/// re-entry or erasure leaves its counts and its export as they were (rules 13, 16, 24).
@Suite("ESF submitted months keep their history")
struct SubmittedHistoryTests {
    typealias F = ESFFixture

    /// Started and ended counts, state and the export's lines of a month.
    struct Figures: Equatable {
        let started: Int
        let ended: Int
        let state: MonthlyReport.State
        let rows: [[String]]
    }

    static func figures(_ f: F, _ month: String) async throws -> Figures {
        let report = try await f.read { s, db in
            try s.monthlyReport(ofProject: f.project, month: ProjectCalendar.month(month)!, today: F.today, in: db)
        }
        let csv = try await f.write { s, tx in
            try s.monthlyExport(ofProject: f.project, month: ProjectCalendar.month(month)!, fullNumbers: false, special: true, actor: F.actor, in: tx)
        }
        return Figures(started: report.started, ended: report.ended, state: report.state, rows: csv.rows)
    }

    static func submit(_ f: F, _ month: String) async throws {
        _ = try await f.write { s, tx in
            try s.submitMonth(ProjectCalendar.month(month)!, project: f.project, today: F.today, actor: F.actor, in: tx)
        }
    }

    @Test("a participant who started 2015-12, left 2016-04 and came back 2016-09 stays in both submitted months, counted once (rules 13, 16)")
    func reentry() async throws {
        try await F.with { f async throws in
            let person = try await f.person("Sara Lindqvist", born: "1985-02-03")
            let id = try await f.write { s, tx in
                try s.enter(F.entry(person, from: "2015-12-07"), project: f.project, special: true, reach: .everything, actor: F.actor, in: tx)
                    .participation.id
            }
            try await Self.submit(f, "2015-12")
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
            try await Self.submit(f, "2016-04")
            let december = try await Self.figures(f, "2015-12")
            let april = try await Self.figures(f, "2016-04")
            #expect(december.started == 1)
            #expect(december.rows.count == 1)
            #expect(april.ended == 1)
            #expect(april.rows.count == 1)
            #expect(april.rows.first?.last == "jobSearching")
            let resultsBefore = try await f.read { s, db in
                try s.indicatorReport(ofProject: f.project, from: LocalDate("2016-04-01")!, to: LocalDate("2016-04-30")!, special: true, in: db)
            }

            let (again, reentered) = try await f.write { s, tx in
                try s.enter(F.entry(person, from: "2016-09-05"), project: f.project, special: true, reach: .everything, actor: F.actor, in: tx)
            }
            #expect(reentered)
            #expect(again.id == id)
            #expect(again.from == LocalDate("2015-12-07"), "the first start is kept (rule 13)")
            #expect(again.entries == 2)

            #expect(try await Self.figures(f, "2015-12") == december)
            #expect(try await Self.figures(f, "2016-04") == april)
            #expect(december.state == .submitted && april.state == .submitted)
            let september = try await Self.figures(f, "2016-09")
            #expect(september.started == 1)
            #expect(september.rows.first?[8] == "2015-12-07", "from is the first start")
            #expect(september.rows.first?[10] == "2016-09-05", "lastEntryOn is this entry")
            let resultsAfter = try await f.read { s, db in
                try s.indicatorReport(ofProject: f.project, from: LocalDate("2016-04-01")!, to: LocalDate("2016-04-30")!, special: true, in: db)
            }
            #expect(resultsAfter == resultsBefore, "the results at the April exit stay in April's indicators")
            let whole = try await f.read { s, db in
                try s.indicatorReport(ofProject: f.project, from: F.start, to: F.end, special: true, in: db)
            }
            #expect(whole.indicators.first { $0.code == "CO01" }?.total == 1, "counted once (rule 13)")
            let reopened: Int = try await f.database.query("SELECT count(*) AS n FROM esf.monthly_reports WHERE state = 'superseded'").single()
                .decode("n")
            #expect(reopened == 0, "a re-entry re-opens no submitted month")
        }
    }

    @Test("erasing a participant keeps a submitted month's counts and its export's row count (rule 24)")
    func erasure() async throws {
        try await F.with { f async throws in
            let erased = try await f.person("Amina Hassan", born: "1990-05-17")
            let kept = try await f.person("Karin Ström", born: "1982-03-09")
            for person in [erased, kept] {
                _ = try await f.write { s, tx in
                    try s.enter(F.entry(person, from: "2016-01-11"), project: f.project, special: true, reach: .everything, actor: F.actor, in: tx)
                }
            }
            try await Self.submit(f, "2016-01")
            let before = try await Self.figures(f, "2016-01")
            #expect(before.started == 2)
            let indicatorsBefore = try await f.read { s, db in
                try s.indicatorReport(ofProject: f.project, from: LocalDate("2016-01-01")!, to: LocalDate("2016-01-31")!, special: true, in: db)
            }
            _ = try await f.write { s, tx in try s.registry.erasePerson(id: erased, actor: F.actor, in: tx) }
            let after = try await Self.figures(f, "2016-01")
            #expect(after.started == before.started)
            #expect(after.ended == before.ended)
            #expect(after.state == .submitted)
            #expect(after.rows.count == before.rows.count)
            let indicatorsAfter = try await f.read { s, db in
                try s.indicatorReport(ofProject: f.project, from: LocalDate("2016-01-01")!, to: LocalDate("2016-01-31")!, special: true, in: db)
            }
            #expect(indicatorsAfter == indicatorsBefore)
        }
    }
}
