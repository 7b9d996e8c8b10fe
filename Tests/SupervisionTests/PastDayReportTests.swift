import DataAccess
import FeatureSupport
import Foundation
import PluginKit
import Registry
import Testing

@testable import Supervision

/// The follow-up for a day of 2015 in the demo story answers as things stood that day: the
/// unit's assignments until the handover on 2015-04-01, the umbrella's after it, whatever their
/// state today.
@Suite("Follow-up for a past day of the demo story")
struct PastDayReportTests {
    static let cooperatives = [
        "Cykelverkstan Hjulet ek. för.", "Café Gläntan ek. för.", "Returbutiken Återbruk ek. för.", "Städkooperativet Skärgården",
        "Örtagårdens trädgårdskooperativ",
    ]

    @Test("on 2015-03-31 the five cooperatives under the unit had never had a session: all five are inactive, since their start")
    func inactiveBeforeHandover() async throws {
        try await SupervisionDemoFixture.with { demo async throws in
            let day = LocalDate(year: 2015, month: 3, day: 31)!
            let inactive = try await demo.read { s, db in try s.inactive(asOf: day, reach: .everything, in: db) }
            #expect(Set(inactive.map(\.cooperativeName)) == Set(Self.cooperatives))
            #expect(inactive.allSatisfy { $0.lastSessionOn == nil })
            let returbutiken = try #require(inactive.first { $0.cooperativeName.hasPrefix("Returbutiken") })
            #expect(returbutiken.days == day.daysSinceEpoch - LocalDate(year: 2008, month: 1, day: 1)!.daysSinceEpoch)
        }
    }

    @Test("on 2015-11-15 the five reviews of 2015-12-01 are due, Café Gläntan's too though its assignment has ended since")
    func dueAfterHandover() async throws {
        try await SupervisionDemoFixture.with { demo async throws in
            let umbrella = try await demo.organisation("Sociala arbetskooperativens paraplyförening")
            let day = LocalDate(year: 2015, month: 11, day: 15)!
            let due = try await demo.read { s, db in try s.due(asOf: day, reach: .everything, in: db) }
            #expect(due.count == 5)
            #expect(due.allSatisfy { $0.kind == .assignmentReview && $0.on == LocalDate(year: 2015, month: 12, day: 1)! && $0.daysLeft == 16 })
            #expect(Set(due.map(\.cooperativeName)) == Set(Self.cooperatives))
            let providers = try await demo.read { _, db in
                try db.query("SELECT DISTINCT provider_id FROM supervision.assignments WHERE id = ANY(\(due.map(\.subjectId)))")
                    .map { try $0.decode("provider_id", as: Int.self) }
            }
            #expect(providers == [umbrella], "the umbrella's assignments, not the unit's that ended on 2015-03-31")
            let before = try await demo.read { s, db in try s.due(asOf: LocalDate(year: 2015, month: 3, day: 1)!, reach: .everything, in: db) }
            #expect(before.isEmpty, "in March the review is nine months away")
        }
    }

    @Test("a review taken up is due until that day and not after: the umbrella's reviews of 2015-12-01, taken up 30 days before the load day")
    func reviewTakenUp() async throws {
        try await SupervisionDemoFixture.with { demo async throws in
            let taken = LocalDate.today().adding(days: -30)
            func reviews(_ day: LocalDate) async throws -> Int {
                try await demo.read { s, db in try s.due(asOf: day, reach: .everything, in: db) }.filter { $0.kind == .assignmentReview }.count
            }
            #expect(try await reviews(LocalDate(year: 2015, month: 11, day: 15)!) == 5, "in 2015 none was taken up")
            #expect(try await reviews(taken.adding(days: -1)) == 4, "the day before, the four in force were overdue")
            #expect(try await reviews(taken) == 0)
        }
    }

    @Test("hours of 2015-Q1 count the unit's targets and of 2015-Q2 the umbrella's, 24 hours each, with no session held")
    func hoursByQuarter() async throws {
        try await SupervisionDemoFixture.with { demo async throws in
            for quarter in ["2015-Q1", "2015-Q2"] {
                let hours = try await demo.read { s, db in try s.hours(in: try Period(parsing: quarter), reach: .everything, in: db) }
                #expect(hours.count == 5, "\(quarter)")
                #expect(hours.allSatisfy { $0.targetHours == 24 && $0.sessions == 0 }, "\(quarter): \(hours)")
            }
        }
    }

    @Test("Café Gläntan's pot as of 2016-06-30 has five salaries spent, not the year's eleven")
    func potAsOf() async throws {
        try await SupervisionDemoFixture.with { demo async throws in
            let cafe = try await demo.organisation("Café Gläntan ek. för.")
            let id = try await demo.read { s, db in
                try s.pots(cooperativeId: cafe, page: try PageRequest(), today: .today(), reach: .everything, in: db).items[0].id
            }
            let june = try await demo.read { s, db in try s.pot(id: id, today: LocalDate(year: 2016, month: 6, day: 30)!, reach: .everything, in: db)
            }
            #expect(june.spent == 150_000)
            #expect(june.remaining == 390_000)
            let year = try await demo.read { s, db in try s.pot(id: id, today: LocalDate(year: 2016, month: 12, day: 31)!, reach: .everything, in: db)
            }
            #expect(year.spent == 330_000)
        }
    }
}
