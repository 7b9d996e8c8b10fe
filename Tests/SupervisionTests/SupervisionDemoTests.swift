import DataAccess
import Foundation
import PluginKit
import Registry
import Testing

@testable import Supervision

@Suite("The supervision demo story")
struct SupervisionDemoTests {
    @Test("every assignment's supervisor is a supervisor of its provider on each of its days; the umbrella's from the handover")
    func supervisorsCoverTheirAssignments() async throws {
        try await SupervisionDemoFixture.with { demo async throws in
            let rows = try await demo.read { s, db in
                try db.query(
                    "SELECT \(Assignment.columns), o.state AS provider_state, o.wound_up_on FROM supervision.assignments a JOIN registry.organisations o ON o.id = a.provider_id"
                )
                .map { row in
                    let assignment = try Assignment(row: row)
                    let roles = try s.registry.roles(
                        ofPerson: assignment.supervisorId,
                        inOrganisation: assignment.providerId,
                        reach: .everything,
                        in: db
                    )
                    let woundUp: LocalDate? = try row.decode("wound_up_on")
                    return (assignment, roles.filter { $0.role == .supervisor }.map { DaySpan(first: $0.from, last: $0.to) }, woundUp)
                }
            }
            #expect(rows.count == 11)
            for (assignment, roles, woundUp) in rows {
                let period = DaySpan(first: assignment.from, last: assignment.to ?? woundUp)
                #expect(DaySpan.gaps(in: period, coveredBy: roles).isEmpty, "assignment \(assignment.id) from \(assignment.from)")
            }
            let umbrella = try await demo.organisation("Sociala arbetskooperativens paraplyförening")
            let handedOver = rows.filter { $0.0.providerId == umbrella }
            #expect(handedOver.count == 5)
            #expect(handedOver.allSatisfy { $0.0.from == SupervisionDemo.handoverDay && $0.1.contains { $0.first == SupervisionDemo.handoverDay } })
        }
    }

    @Test("the five cooperatives under the municipal unit are not independent of the public sector until the handover, and are after it")
    func independenceUntilHandover() async throws {
        try await SupervisionDemoFixture.with { demo async throws in
            for name in PastDayReportTests.cooperatives {
                let id = try await demo.organisation(name)
                let (before, after, periods) = try await demo.read { s, db in
                    let organisation = try s.registry.organisation(id: id, reach: .everything, in: db)
                    return (
                        try s.registry.isIndependentOfPublicSector(organisation, on: LocalDate(year: 2015, month: 3, day: 31)!, in: db),
                        try s.registry.isIndependentOfPublicSector(organisation, on: SupervisionDemo.handoverDay, in: db),
                        try s.registry.publicSupervision(ofOrganisation: id, in: db)
                    )
                }
                #expect(!before, "\(name)")
                #expect(after, "\(name)")
                #expect(periods.count == 1 && periods[0].to == LocalDate(year: 2015, month: 3, day: 31), "\(name)")
                #expect(periods.first?.employerName == "Enheten för sociala arbetskooperativ")
            }
        }
    }

    @Test("the demo reaches today: sessions in recent weeks, goals in progress, a handful of items due and few overdue, nothing years old")
    func reachesToday() async throws {
        try await SupervisionDemoFixture.with { demo async throws in
            let today = LocalDate.today()
            let (inactive, due) = try await demo.read { s, db in
                (try s.inactive(asOf: today, reach: .everything, in: db), try s.due(asOf: today, reach: .everything, in: db))
            }
            #expect(inactive.map(\.cooperativeName) == ["Städkooperativet Skärgården"], "one cooperative without a session for five weeks")
            #expect(inactive.allSatisfy { $0.days < 60 })
            #expect(due.count >= 2 && due.count <= 6, "\(due)")
            #expect(due.contains { $0.kind == .potReview && $0.daysLeft == 21 }, "a review due in three weeks")
            #expect(due.filter(\.overdue).count <= 1)
            #expect(due.allSatisfy { $0.daysLeft > -60 }, "nothing overdue since years")
            let recent = try await demo.read { _, db in
                try db.query("SELECT count(*) AS n FROM supervision.sessions WHERE held_on > \(today.adding(days: -28))").single().decode(
                    "n",
                    as: Int.self
                )
            }
            #expect(recent >= 4)
            let inProgress = try await demo.read { _, db in
                try db.query("SELECT count(*) AS n FROM supervision.goals WHERE state = 'inProgress'").single().decode("n", as: Int.self)
            }
            #expect(inProgress >= 2)
            let hours2016 = try await demo.read { s, db in try s.hours(in: try Period(parsing: "2016"), reach: .everything, in: db) }
            let cafe2016 = try #require(hours2016.first { $0.cooperativeName.hasPrefix("Café") })
            #expect(cafe2016.sessions == 24 && cafe2016.hours == 37.5, "2016 as it was")
            // A second load adds nothing.
            let counts = { @Sendable (db: DatabaseConnection) throws -> [Int] in
                try ["sessions", "goals", "funding_pots", "spending", "assignments"].map { table in
                    try db.query("SELECT count(*) AS n FROM \(identifier: "supervision").\(identifier: table)").single().decode("n", as: Int.self)
                }
            }
            let once = try await demo.read { _, db in try counts(db) }
            try await SupervisionDemo.load(into: demo.store)
            #expect(try await demo.read { _, db in try counts(db) } == once)
        }
    }
}
