import DataAccess
import FeatureSupport
import Foundation
import HostTestSupport
import PluginKit
import Registry
import TestSupport
import Testing

@testable import Education
@testable import Host
@testable import PartnershipAgreements

/// The demo story reaches the day it is loaded (issue 22, "The demo reaches today"): the
/// follow-up of today is a working day, a handful of items, some due, few overdue.
@Suite("Demo: partnerships and education today")
struct DemoTodayTests {
    @Test(
        "today's follow-up: this year's grant report due in three weeks, last year's a week overdue, the IOP's review in two weeks; nothing overdue for years"
    )
    func workingDay() async throws {
        let (runtime, _) = try await HostFixture.demoRuntime()
        let store = try PartnershipStore(context: runtime.context(for: "partnerships"))
        let today = LocalDate.today()
        let due = try await runtime.database.withConnection { db in try store.followUp(asOf: today, reach: .everything, in: db) }.due
        let items = due.map { "\($0.kind.rawValue) \($0.title) \($0.daysLeft)" }
        #expect(
            items == [
                "report Verksamhetsbidrag \(today.year - 1): Cykelverkstan Hjulet -7",
                "review IOP Stödboende och arbetsträning i Café Gläntan 14",
                "report Verksamhetsbidrag \(today.year): Returbutiken Återbruk 21",
                "review Handledningsavtal 2021–: paraplyföreningen 45",
            ]
        )
        #expect(due.filter(\.overdue).count == 1, "few overdue")
        // The story up to 2020 reads as before: on 2019-06-01 the 2018 grant's report was overdue.
        let then = try await runtime.database.withConnection { db in
            try store.followUp(asOf: LocalDate(year: 2019, month: 6, day: 1)!, reach: .everything, in: db)
        }
        #expect(then.due.contains { $0.title == "Verksamhetsbidrag 2018: paraplyföreningen" && $0.overdue })
        #expect(
            then.due.contains {
                $0.title == "Handledningsavtal: de fem sociala arbetskooperativen" && $0.on == LocalDate(year: 2016, month: 3, day: 31)!
            }
        )
        // This year's grants carry case numbers, found in the list.
        let found = try await runtime.database.withConnection { db in
            try store.agreements(matching: AgreementQuery(caseNumber: "SN \(today.year)/88"), page: PageRequest(), reach: .everything, in: db)
        }
        #expect(found.items.map(\.title) == ["Verksamhetsbidrag \(today.year): Returbutiken Återbruk"])
        await runtime.shutdown()
    }

    @Test("education: the responsibility moved to Support to the social economy on 2015-04-01, and the circle running now is organised by it")
    func educationToday() async throws {
        let (runtime, _) = try await HostFixture.demoRuntime()
        let store = try EducationStore(context: runtime.context(for: "education"))
        let (moves, running, support) = try await runtime.database.withConnection { db in
            (
                try store.responsibilityMoves(in: db),
                try store.circles(matching: CircleQuery(state: .running), page: PageRequest(), reach: .everything, in: db).items,
                try store.registry.demoOrganisationID(named: "Enheten Stöd till social ekonomi", in: db)
            )
        }
        #expect(moves.map(\.on.description) == ["2001-01-01", "2015-04-01"])
        #expect(moves.last?.toOrganisationId == support)
        #expect(running.map(\.subject) == [EducationDemo.runningSubject])
        #expect(running.first?.organiserId == support)
        #expect(running.first.map { $0.plannedStart <= LocalDate.today() && $0.plannedEnd >= LocalDate.today() } == true)
        await runtime.shutdown()
    }
}
