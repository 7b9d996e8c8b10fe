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
}
