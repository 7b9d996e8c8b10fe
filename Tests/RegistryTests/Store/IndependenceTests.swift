import DataAccess
import Foundation
import PluginKit
import Registry
import Testing

/// The ASF criterion "independent of the public sector" derived, with dates, from who supervised
/// an organisation and who employed them (DOMAIN.md rule 22).
@Suite("ASF independence from the supervision recorded")
struct IndependenceTests {
    typealias F = RegistryFixture

    func day(_ text: String) -> LocalDate { LocalDate(text)! }

    @Test("a supervisor employed by a public body makes the cooperative dependent on those days only; recording again moves the end")
    func derived() async throws {
        try await F.withRegistry { registry async throws in
            let ids = try await registry.write { r, tx in
                let coop = try r.createOrganisation(F.cooperative(), actor: F.actor, in: tx)
                let unit = try r.createOrganisation(
                    OrganisationDraft(name: "Enheten", legalForm: .municipalUnit, kind: .publicBody),
                    actor: F.actor,
                    in: tx
                ).id
                let umbrella = try r.createOrganisation(
                    OrganisationDraft(name: "Paraplyföreningen", legalForm: .economicAssociation, kind: .socialEconomyOrganisation),
                    actor: F.actor,
                    in: tx
                ).id
                let person = try r.createPerson(PersonDraft(name: "Örjan Åkesson"), today: F.today, reach: .everything, actor: F.actor, in: tx).id
                try r.recordSupervisor(
                    organisation: coop.id,
                    person: person,
                    employer: unit,
                    feature: "supervision",
                    source: 1,
                    from: LocalDate(year: 2008, month: 1, day: 1)!,
                    to: nil,
                    in: tx
                )
                try r.recordSupervisor(
                    organisation: coop.id,
                    person: person,
                    employer: umbrella,
                    feature: "supervision",
                    source: 2,
                    from: LocalDate(year: 2015, month: 4, day: 1)!,
                    to: nil,
                    in: tx
                )
                return (coop, unit)
            }
            let (coop, unit) = ids
            func independent(_ text: String) async throws -> Bool {
                try await registry.read { r, db in try r.isIndependentOfPublicSector(coop, on: LocalDate(text)!, in: db) }
            }
            #expect(try await independent("2015-03-31") == false, "the open unit assignment covers every later day too")
            // The unit's assignment ended with the handover: recorded again with its last day.
            try await registry.write { r, tx in
                try r.recordSupervisor(
                    organisation: coop.id,
                    person: 1,
                    employer: unit,
                    feature: "supervision",
                    source: 1,
                    from: LocalDate(year: 2008, month: 1, day: 1)!,
                    to: LocalDate(year: 2015, month: 3, day: 31),
                    in: tx
                )
            }
            #expect(try await registry.count("supervisor_periods") == 2)
            #expect(try await independent("2007-12-31"))
            #expect(try await independent("2008-01-01") == false)
            #expect(try await independent("2015-03-31") == false)
            #expect(try await independent("2015-04-01"))
            let periods = try await registry.read { r, db in try r.publicSupervision(ofOrganisation: coop.id, in: db) }
            #expect(periods.count == 1, "the umbrella association is not a public body")
            #expect(periods.first?.to == LocalDate(year: 2015, month: 3, day: 31))
            #expect(periods.first?.personName == "Örjan Åkesson" && periods.first?.employerName == "Enheten")
        }
    }

    @Test("with no supervision recorded the ASF criteria as entered decide; a public owner always makes it dependent")
    func recorded() async throws {
        try await F.withRegistry { registry async throws in
            @Sendable func criteria(owner: Bool, supervisor: Bool) -> ASFCriteria {
                ASFCriteria(
                    integratesPeopleFarFromWork: true,
                    participationThroughOwnership: true,
                    profitsMainlyReinvested: true,
                    hasPublicOwner: owner,
                    hasPubliclyEmployedSupervisor: supervisor
                )
            }
            let organisations = try await registry.write { r, tx in
                try [(false, false), (false, true), (true, false)].enumerated().map { index, flags in
                    var draft = F.cooperative("Kooperativ \(index)", number: nil)
                    draft.asf = criteria(owner: flags.0, supervisor: flags.1)
                    return try r.createOrganisation(draft, actor: F.actor, in: tx)
                }
            }
            let found = try await registry.read { r, db in
                try organisations.map { try r.isIndependentOfPublicSector($0, on: LocalDate(year: 2016, month: 1, day: 1)!, in: db) }
            }
            #expect(found == [true, false, false])
        }
    }
}
