import DataAccess
import FeatureSupport
import Foundation
import PluginKit
import Registry
import Testing

@testable import Supervision

@Suite("Follow-up and reminders")
struct FollowUpTests {
    typealias F = SupervisionFixture

    /// Cooperative 0 under the unit from 2016-01-01 (8 h a month, review 2016-06-01) with two
    /// 90-minute sessions in March; cooperative 1 under the umbrella with none; a pot ending 2016-06-30.
    func story(_ f: F) async throws {
        var first = f.draft(0)
        first.reviewOn = LocalDate(year: 2016, month: 6, day: 1)
        let a = try await f.write { [first] s, tx in try s.createAssignment(first, reach: .everything, actor: F.actor, in: tx) }
        _ = try await f.write { s, tx in
            try s.createAssignment(f.draft(1, provider: f.umbrella, supervisor: f.umbrellaSupervisor), reach: .everything, actor: F.actor, in: tx)
        }
        for day in [3, 10] {
            _ = try await f.write { s, tx in
                try s.createSession(
                    SessionDraft(
                        assignmentId: a.id,
                        on: LocalDate(year: 2016, month: 3, day: day)!,
                        minutes: 90,
                        attendeeIds: [],
                        topics: [.business]
                    ),
                    reach: .everything,
                    actor: F.actor,
                    in: tx
                )
            }
        }
        _ = try await f.write { s, tx in
            try s.createPot(
                FundingPotDraft(
                    cooperativeId: f.cooperatives[1],
                    purpose: "Handledare",
                    amount: 100_000,
                    sharePercent: 50,
                    from: LocalDate(year: 2016, month: 1, day: 1)!,
                    to: LocalDate(year: 2016, month: 6, day: 30)!
                ),
                today: F.start,
                reach: .everything,
                actor: F.actor,
                in: tx
            )
        }
    }

    @Test("hours per cooperative against the target for a month and a quarter")
    func hours() async throws {
        try await F.with { f async throws in
            try await story(f)
            let march = try await f.read { s, db in try s.hours(in: try Period(parsing: "2016-03"), reach: .everything, in: db) }
            let row = try #require(march.first { $0.cooperativeId == f.cooperatives[0] })
            #expect(row.sessions == 2)
            #expect(row.hours == 3)
            #expect(row.targetHours == 8)
            #expect(row.percentOfTarget == 38)
            let quarter = try await f.read { s, db in try s.hours(in: try Period(parsing: "2016-Q1"), reach: .everything, in: db) }
            #expect(quarter.first { $0.cooperativeId == f.cooperatives[0] }?.targetHours == 24)
            #expect(quarter.first { $0.cooperativeId == f.cooperatives[1] }?.sessions == 0)
            let year2015 = try await f.read { s, db in try s.hours(in: try Period(parsing: "2015"), reach: .everything, in: db) }
            #expect(year2015.isEmpty)
        }
    }

    @Test("cooperatives with no session in the inactivity limit, and due and overdue dates")
    func inactiveAndDue() async throws {
        try await F.with(settings: SupervisionSettings()) { f async throws in
            try await story(f)
            let may = LocalDate(year: 2016, month: 5, day: 15)!
            let report = try await f.read { s, db in try s.followUp(period: Period.month(of: may), asOf: may, reach: .everything, in: db) }
            #expect(report.inactive.map(\.cooperativeId) == [f.cooperatives[1], f.cooperatives[0]])
            #expect(report.inactive.first { $0.cooperativeId == f.cooperatives[0] }?.lastSessionOn == LocalDate(year: 2016, month: 3, day: 10))
            #expect(report.inactive.first { $0.cooperativeId == f.cooperatives[0] }?.days == 66)
            #expect(report.due.map(\.kind) == [.assignmentReview, .potEnd])
            #expect(report.due[0].daysLeft == 17)
            #expect(!report.due[0].overdue)
            let june = LocalDate(year: 2016, month: 6, day: 10)!
            let later = try await f.read { s, db in try s.due(asOf: june, reach: .everything, in: db) }
            #expect(later.first { $0.kind == .assignmentReview }?.overdue == true)
        }
    }

    @Test("the last session is kept whatever writes the sessions, and a session after the day asked about does not count")
    func lastSession() async throws {
        try await F.with(settings: SupervisionSettings()) { f async throws in
            try await story(f)
            let coop = f.cooperatives[0]
            let assignment = try await f.read { s, db in try s.assignmentRows(cooperative: coop, reach: .everything, in: db)[0].assignment.id }
            _ = try await f.write { s, tx in
                try s.createSession(
                    SessionDraft(
                        assignmentId: assignment,
                        on: LocalDate(year: 2016, month: 6, day: 20)!,
                        minutes: 60,
                        attendeeIds: [],
                        topics: [.economy]
                    ),
                    reach: .everything,
                    actor: F.actor,
                    in: tx
                )
            }
            func inactive(_ day: LocalDate) async throws -> [Int: LocalDate?] {
                let found = try await f.read { s, db in try s.inactive(asOf: day, reach: .everything, in: db) }
                return Dictionary(uniqueKeysWithValues: found.map { ($0.cooperativeId, $0.lastSessionOn) })
            }
            func stored() async throws -> LocalDate? {
                try await f.read { _, db in
                    try db.queryFirst("SELECT held_on FROM supervision.last_sessions WHERE cooperative_id = \(coop)")?.decode("held_on")
                }
            }
            let may = LocalDate(year: 2016, month: 5, day: 15)!
            let july = LocalDate(year: 2016, month: 7, day: 1)!
            #expect(try await stored() == LocalDate(year: 2016, month: 6, day: 20))
            #expect(try await inactive(may)[coop] == LocalDate(year: 2016, month: 3, day: 10), "in May the June session is not yet held")
            #expect(try await inactive(july)[coop] == nil, "in July it is")
            _ = try await f.write { _, tx in
                try tx.execute("DELETE FROM supervision.sessions WHERE cooperative_id = \(coop) AND held_on = '2016-06-20'")
            }
            #expect(try await stored() == LocalDate(year: 2016, month: 3, day: 10), "a removed session: the day read again")
            #expect(try await inactive(july)[coop] == LocalDate(year: 2016, month: 3, day: 10))
            _ = try await f.write { _, tx in
                try tx.execute("UPDATE supervision.sessions SET held_on = '2016-02-01' WHERE cooperative_id = \(coop) AND held_on = '2016-03-10'")
            }
            #expect(try await stored() == LocalDate(year: 2016, month: 3, day: 3), "a session moved earlier: the next latest")
        }
    }

    @Test("the daily job raises each reminder once, and a day only once")
    func reminders() async throws {
        try await F.with { f async throws in
            try await story(f)
            let day = LocalDate(year: 2016, month: 5, day: 15)!
            let first = try await f.write { s, tx in try s.raiseReminders(on: day, in: tx) }
            #expect(first == 4)  // a review, a pot end, two inactive cooperatives
            let again = try await f.write { s, tx in try s.raiseReminders(on: day, in: tx) }
            #expect(again == nil)
            let next = try await f.write { s, tx in try s.raiseReminders(on: day.adding(days: 1), in: tx) }
            #expect(next == 0)
            let listed = try await f.read { s, db in try s.reminders(page: try PageRequest(), reach: .everything, in: db) }
            #expect(listed.items.count == 4)
            #expect(listed.items.contains { $0.kind == "assignmentReview" && $0.message.contains("in 17 days") })
        }
    }

    @Test("periods are YYYY, YYYY-Qn or YYYY-MM; anything else names the parameter", arguments: ["2016-13", "2016-Q5", "16", "2016-1", "x"])
    func badPeriod(_ text: String) {
        let error = #expect(throws: FeatureError.self) { try Period(parsing: text) }
        #expect(error?.field == "period")
    }

    @Test("a supervisor's report holds only the cooperatives its organisation is assigned to")
    func scopedReport() async throws {
        try await F.with { f async throws in
            try await story(f)
            let may = LocalDate(year: 2016, month: 5, day: 15)!
            let report = try await f.read { s, db in try s.followUp(period: try Period(parsing: "2016"), asOf: may, reach: .provider(f.unit), in: db)
            }
            #expect(report.hours.map(\.cooperativeId) == [f.cooperatives[0]])
            #expect(report.inactive.map(\.cooperativeId) == [f.cooperatives[0]])
            #expect(report.due.map(\.cooperativeId) == [f.cooperatives[0]])
        }
    }
}
