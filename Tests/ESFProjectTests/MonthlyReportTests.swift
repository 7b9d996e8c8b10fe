import CSVKit
import DataAccess
import Foundation
import PluginKit
import Registry
import Testing

@testable import ESFProject

@Suite("ESF monthly participant reports")
struct MonthlyReportTests {
    typealias F = ESFFixture

    static func enter(_ f: F, _ person: Int, from: String) async throws -> Int {
        try await f.write { s, tx in
            try s.enter(F.entry(person, from: from), project: f.project, special: true, reach: .everything, actor: F.actor, in: tx).participation.id
        }
    }

    @Test("a month lists who started or ended in it and is due four weeks after its end; open past that is overdue")
    func dueDates() async throws {
        try await F.with { f async throws in
            let person = try await f.person("Karin Ström", born: "1982-03-09")
            let id = try await Self.enter(f, person, from: "2016-01-11")
            _ = try await f.write { s, tx in
                try s.exit(
                    ParticipationExit(on: LocalDate(year: 2016, month: 3, day: 15)!),
                    participation: id,
                    today: F.today,
                    special: true,
                    actor: F.actor,
                    in: tx
                )
            }
            let today = LocalDate(year: 2016, month: 3, day: 20)!
            let reports = try await f.read { s, db in try s.monthlyReports(ofProject: f.project, today: today, in: db) }
            #expect(reports.map(\.month) == ["2015-10", "2015-11", "2015-12", "2016-01", "2016-02"])
            let january = reports[3]
            #expect(january.started == 1)
            #expect(january.dueOn == LocalDate(year: 2016, month: 2, day: 28))
            #expect(january.overdue)
            #expect(reports[4].dueOn == LocalDate(year: 2016, month: 3, day: 28))
            #expect(!reports[4].overdue)
            let reminders = try await f.read { s, db in try s.reminders(today: today, projectId: nil, in: db) }
            #expect(reminders.map(\.month) == ["2015-10", "2015-11", "2015-12", "2016-01", "2016-02"])
            let quiet = try await f.read { s, db in try s.reminders(today: LocalDate(year: 2016, month: 3, day: 1)!, projectId: nil, in: db) }
            #expect(!quiet.map(\.month).contains("2016-02"))
            let raised = try await f.write { s, tx in try s.raiseReminders(on: today, in: tx) }
            #expect(raised == 5)
            #expect(try await f.write { s, tx in try s.raiseReminders(on: today, in: tx) } == nil)
        }
    }

    @Test("correcting a submitted month re-opens it and every later submitted month as new versions (rule 16)")
    func correction() async throws {
        try await F.with { f async throws in
            let first = try await f.person("Maria Andersson", born: "1975-05-05")
            let second = try await f.person("Anders Karlsson", born: "1970-07-07", gender: .male)
            _ = try await Self.enter(f, first, from: "2016-01-11")
            let id = try await Self.enter(f, second, from: "2016-02-01")
            for month in ["2016-01", "2016-02", "2016-03"] {
                let report = try await f.write { s, tx in
                    try s.submitMonth(ProjectCalendar.month(month)!, project: f.project, today: F.today, actor: F.actor, in: tx)
                }
                #expect(report.state == .submitted)
            }
            let twice = await #expect(throws: FeatureError.self) {
                try await f.write { s, tx in
                    try s.submitMonth(ProjectCalendar.month("2016-02")!, project: f.project, today: F.today, actor: F.actor, in: tx)
                }
            }
            #expect(twice?.code == .conflict)
            // An exit recorded in February after it was submitted corrects February: February and March re-open, January stays.
            _ = try await f.write { s, tx in
                try s.exit(
                    ParticipationExit(on: LocalDate(year: 2016, month: 2, day: 26)!),
                    participation: id,
                    today: F.today,
                    special: true,
                    actor: F.actor,
                    in: tx
                )
            }
            let reports = try await f.read { s, db in try s.monthlyReports(ofProject: f.project, today: F.today, in: db) }
            let byMonth = Dictionary(uniqueKeysWithValues: reports.map { ($0.month, $0) })
            #expect(byMonth["2016-01"]?.state == .submitted)
            #expect(byMonth["2016-02"]?.state == .open)
            #expect(byMonth["2016-02"]?.version == 2)
            #expect(byMonth["2016-02"]?.ended == 1)
            #expect(byMonth["2016-03"]?.state == .open)
            #expect(byMonth["2016-03"]?.version == 2)
            let superseded: Int = try await f.database.query("SELECT count(*) AS n FROM esf.monthly_reports WHERE state = 'superseded'").single()
                .decode("n")
            #expect(superseded == 2)
            let resubmitted = try await f.write { s, tx in
                try s.submitMonth(ProjectCalendar.month("2016-02")!, project: f.project, today: F.today, actor: F.actor, in: tx)
            }
            #expect(resubmitted.version == 2)
            #expect(resubmitted.state == .submitted)
        }
    }

    @Test("the export masks identity numbers unless full is asked for, leaves special categories out unless allowed, and is audited")
    func export() async throws {
        try await F.with { f async throws in
            let person = try await f.person("Amina Hassan", born: "1990-05-17")
            var draft = F.entry(person, from: "2016-01-11")
            draft.specialCategories = SpecialCategories(migrantBackground: true, disability: false, otherDisadvantaged: false)
            _ = try await f.write { [draft] s, tx in try s.enter(draft, project: f.project, special: true, reach: .everything, actor: F.actor, in: tx)
            }
            let january = ProjectCalendar.month("2016-01")!
            let masked = try await f.write { s, tx in
                try s.monthlyExport(ofProject: f.project, month: january, fullNumbers: false, special: false, actor: F.actor, in: tx)
            }
            let full = try await f.write { s, tx in
                try s.monthlyExport(ofProject: f.project, month: january, fullNumbers: true, special: true, actor: F.actor, in: tx)
            }
            let number = F.number("1990-05-17").formatted
            #expect(masked.text.contains("19900517-****"))
            #expect(!masked.text.contains(number))
            #expect(!masked.header.contains("migrantBackground"))
            #expect(full.text.contains(number))
            #expect(full.header.contains("migrantBackground"))
            #expect(full.rows.first?.contains("start") == true)
            let audited: Int = try await f.database.query(
                "SELECT count(*) AS n FROM kernel.audit_log WHERE entity = 'monthlyReport' AND action = 'export'"
            ).single().decode("n")
            #expect(audited == 2)
            let revealed: Int = try await f.database.query(
                "SELECT count(*) AS n FROM kernel.audit_log WHERE entity = 'person' AND action LIKE 'reveal identity number%'"
            ).single().decode("n")
            #expect(revealed == 1)
        }
    }
}
