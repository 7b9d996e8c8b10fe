import DataAccess
import FeatureSupport
import Foundation
import PluginKit
import TestSupport
import Testing

@testable import ESFProject
@testable import Host
@testable import Registry

/// Every ESF report or list that takes a day answers as of that day of the demo story: the
/// monthly reports' states, the reminders, the participants in the project and the jobs.
@Suite("ESF reports as of a past day of the demo story")
struct PastDayTests {
    typealias F = ESFFixture

    /// The registry's and the ESF demo on a fresh database; `body` gets the store and the demo project's id.
    static func withDemo(today: LocalDate = .today(), _ body: (ESFStore, Int) async throws -> Void) async throws {
        try await TestPostgres.withDatabase { database, _ in
            let plugin = try ESFProjectPlugin(settings: ConfigSection(path: "features.esf", value: nil))
            let registryPlugin = try RegistryPlugin(settings: ConfigSection(path: "features.registry", value: nil))
            _ = try await Migrator(database: database, logger: TestPostgres.logger).migrate([
                KernelSchema.group, registryPlugin.migrationGroup, plugin.migrationGroup,
            ])
            let registry = Registry(database: database, vault: F.vault, events: EventPublisher(featureID: "registry"))
            try await registry.verifyKey()
            try await RegistryDemo.load(into: registry)
            let store = ESFStore(registry: registry, events: EventPublisher(featureID: "esf"), staff: KernelStaffDirectory(), settings: ESFSettings())
            try await ESFDemo.load(into: store, today: today)
            let project: Int = try await database.query("SELECT id FROM esf.projects WHERE case_number = \(ESFDemo.caseNumber)").single()
                .decode("id")
            try await body(store, project)
        }
    }

    @Test("on 2015-12-15 October's report was submitted and November's due, the participants then in the project are listed, no job yet")
    func december2015() async throws {
        try await Self.withDemo { store, project in
            let day = LocalDate("2015-12-15")!
            let reports = try await store.database.withConnection { db in try store.monthlyReports(ofProject: project, today: day, in: db) }
            #expect(reports.map(\.month) == ["2015-10", "2015-11"])
            #expect(reports.map(\.state) == [.submitted, .open], "November was submitted on its due day 2015-12-28, after the day")
            #expect(reports.map(\.overdue) == [false, false])
            let reminders = try await store.database.withConnection { db in try store.reminders(today: day, projectId: project, in: db) }
            #expect(reminders.map(\.month) == ["2015-11"])
            #expect(reminders.first?.dueOn == LocalDate("2015-12-28"))
            // Today every month through 2016-09 is submitted: nothing of 2015 is due.
            let now = try await store.database.withConnection { db in
                try store.monthlyReports(ofProject: project, today: .today(), in: db)
            }
            #expect(now.prefix(12).allSatisfy { $0.state == .submitted })

            let active = try await store.database.withConnection { db in
                try store.participations(ofProject: project, activeOn: day, page: try PageRequest(limit: 200), special: false, in: db)
            }
            let expected = ESFDemo.people.filter { $0.from <= day && ($0.to.map { $0 >= day } ?? true) }
            #expect(!expected.isEmpty)
            #expect(active.items.count == expected.count)
            #expect(active.items.allSatisfy { $0.from <= day })
            let progress = try await store.database.withConnection { db in try store.progress(ofProject: project, asOf: day, in: db) }
            #expect(progress.jobs == 0, "the first jobs follow exits of 2016")
            #expect(progress.byMonth.isEmpty)
        }
    }

    @Test(
        "the demo reaches the day it is loaded: a current project's latest month due and at most one overdue, none from the story's years, whose first year is as it was",
        arguments: ["2026-12-03", "2026-12-20", "2027-03-10"]
    )
    func today(_ text: String) async throws {
        let today = LocalDate(text)!
        try await Self.withDemo(today: today) { store, story in
            let due = try await store.database.withConnection { db in try store.reminders(today: today, projectId: nil, in: db) }
            #expect(due.allSatisfy { $0.projectId != story }, "the 2015–2018 project reported through its end")
            #expect(due.filter(\.overdue).count <= 1)
            #expect(due.count <= 2)
            #expect(due.allSatisfy { ProjectCalendar.month($0.month)! >= ProjectCalendar.monthStart(today).adding(months: -2) })
            let current: Int = try await store.database.query(
                "SELECT id FROM esf.projects WHERE case_number = \(ESFDemo.todayCaseNumber)"
            ).single().decode("id")
            let reports = try await store.database.withConnection { db in try store.monthlyReports(ofProject: current, today: today, in: db) }
            #expect(reports.count == 14)
            #expect(reports.last?.state == .open, "the latest month is the one being worked on")
            #expect(reports.dropLast(2).allSatisfy { $0.state == .submitted })
            let active = try await store.database.withConnection { db in
                try store.participations(ofProject: current, activeOn: today, page: try PageRequest(limit: 100), special: false, in: db)
            }
            #expect((5...20).contains(active.items.count), "\(active.items.count) in the project today")
            // The story's first year: the same counts, submitted on the due days.
            let story = try await store.database.withConnection { db in try store.monthlyReports(ofProject: story, today: today, in: db) }
            #expect(story.prefix(12).map(\.started) == Self.storyStarts)
            #expect(story.allSatisfy { $0.state == .submitted })
        }
    }

    /// Entries per month of the story's first year (2015-10 … 2016-09), from its 200 participants.
    static var storyStarts: [Int] {
        ProjectCalendar.months(from: LocalDate("2015-10-01")!, through: LocalDate("2016-09-30")!).map { month in
            ESFDemo.people.filter { ProjectCalendar.monthStart($0.from) == month }.count
        }
    }
}
