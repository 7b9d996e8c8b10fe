import DataAccess
import Foundation
import PluginKit

/// The story of DOMAIN.md as far as the registry goes: the municipality and its unit for
/// social work cooperatives (wound up in 2015), the umbrella association that took over the
/// supervision, five cooperatives (one with its own supervisor), a study association, the unit
/// "Support to the social economy", and a handful of people with valid test identity numbers.
///
/// Idempotent: an organisation is found by organisation number (or name), a person by identity
/// number (or name), a role by person, organisation, kind and first day; only what is missing
/// is added.
enum RegistryDemo {
    /// Demo organisation names other features' demos refer to.
    enum Name {
        static let municipality = "Kommunen, socialtjänsten"
        static let unit = "Enheten för sociala arbetskooperativ"
        static let supportUnit = "Enheten Stöd till social ekonomi"
        static let umbrella = "Sociala arbetskooperativens paraplyförening"
        static let studyAssociation = "Studieförbundet Kunskapsvägen"
        static let cooperatives = [
            "Returbutiken Återbruk ek. för.", "Café Gläntan ek. för.", "Örtagårdens trädgårdskooperativ", "Cykelverkstan Hjulet ek. för.",
            "Städkooperativet Skärgården",
        ]
    }

    static func load(into registry: Registry) async throws {
        try await registry.database.transaction { tx in try load(into: registry, in: tx) }
    }

    static func load(into registry: Registry, in tx: Transaction) throws {
        let actor = Actor.system
        let today = LocalDate.today()
        func organisation(_ draft: OrganisationDraft) throws -> Int {
            let existing = try tx.queryFirst(
                """
                SELECT id FROM registry.organisations
                WHERE organisation_number = \(draft.organisationNumber?.filter(\.isNumber)) OR (organisation_number IS NULL AND name = \(draft.name))
                """
            )
            if let existing { return try existing.decode("id") }
            return try registry.createOrganisation(draft, actor: actor, in: tx).id
        }
        func independent(highest: Int, lowest: Int) -> ASFCriteria {
            ASFCriteria(
                integratesPeopleFarFromWork: true,
                participationThroughOwnership: true,
                profitsMainlyReinvested: true,
                hasPublicOwner: false,
                hasPubliclyEmployedSupervisor: false,
                highestMonthlyWage: highest,
                lowestMonthlyWage: lowest
            )
        }
        let municipality = try organisation(
            OrganisationDraft(
                name: Name.municipality,
                organisationNumber: "212000-0894",
                legalForm: .publicAuthority,
                kind: .publicBody,
                state: .active
            )
        )
        let unit = try organisation(OrganisationDraft(name: Name.unit, legalForm: .municipalUnit, kind: .publicBody, state: .active))
        let supportUnit = try organisation(OrganisationDraft(name: Name.supportUnit, legalForm: .municipalUnit, kind: .publicBody, state: .active))
        let umbrella = try organisation(
            OrganisationDraft(
                name: Name.umbrella,
                organisationNumber: "769612-3459",
                legalForm: .economicAssociation,
                kind: .socialEconomyOrganisation,
                state: .active,
                contact: ContactDetails(email: "kansli@paraplyforeningen.example", phone: "010-123 45 00")
            )
        )
        let studyAssociation = try organisation(
            OrganisationDraft(
                name: Name.studyAssociation,
                organisationNumber: "802412-3450",
                legalForm: .nonProfitAssociation,
                kind: .studyAssociation,
                state: .active
            )
        )
        let numbers = ["769615-4322", "769618-7652", "769621-0983", "769624-3216", "716456-7898"]
        let wages = [(24_000, 21_000), (26_000, 22_000), (23_500, 23_500), (25_000, 20_000), (30_000, 21_000)]
        var cooperatives: [Int] = []
        for (index, name) in Name.cooperatives.enumerated() {
            cooperatives.append(
                try organisation(
                    OrganisationDraft(
                        name: name,
                        organisationNumber: numbers[index],
                        legalForm: .economicAssociation,
                        kind: .cooperative,
                        state: .active,
                        asf: independent(highest: wages[index].0, lowest: wages[index].1)
                    )
                )
            )
        }
        // The unit closed when the committee handed its supervision to the umbrella association.
        if try registry.organisation(id: unit, reach: .everything, in: tx).state != .woundUp {
            _ = try registry.changeState(
                ofOrganisation: unit,
                OrganisationStateChange(
                    state: .woundUp,
                    on: LocalDate(year: 2015, month: 12, day: 31),
                    reason: "The social resources committee closed the unit; supervision moved to the umbrella association"
                ),
                today: today,
                reach: .everything,
                actor: actor,
                in: tx
            )
        }
        // What the unit cost the municipality each year it ran: two supervisors from 2009, its
        // last year wound down after the handover in April.
        if try tx.queryFirst("SELECT 1 FROM registry.unit_costs WHERE organisation_id = \(unit)") == nil {
            for year in 2001...2015 {
                let amount: Decimal =
                    year == 2015 ? 980_000 : year < 2009 ? 1_150_000 + Decimal(year - 2001) * 25_000 : 1_960_000 + Decimal(year - 2009) * 40_000
                _ = try registry.setUnitCost(
                    ofOrganisation: unit,
                    UnitCostEntry(year: year, amount: amount),
                    reach: .everything,
                    actor: actor,
                    in: tx
                )
            }
        }

        func person(_ name: String, _ number: String?, _ gender: Gender, roles: [RoleAssignment]) throws {
            var existing: Person?
            if let number {
                existing = try registry.person(
                    withIdentityNumber: try IdentityNumber(parsing: number, today: today),
                    reach: .everything,
                    in: tx
                )
            } else if let row = try tx.queryFirst("SELECT id FROM registry.people WHERE name = \(name) AND identity_status <> 'number'") {
                existing = try registry.person(id: try row.decode("id"), reach: .everything, in: tx)
            }
            guard let existing else {
                let draft = PersonDraft(
                    name: name,
                    identityNumber: number,
                    identityStatus: number == nil ? .protected : .number,
                    gender: gender,
                    roles: roles
                )
                _ = try registry.createPerson(draft, today: today, reach: .everything, actor: actor, in: tx)
                return
            }
            let held = try registry.roles(ofPerson: existing.id, reach: .everything, in: tx)
            for role in roles
            where !held.contains(where: { $0.organisationId == role.organisationId && $0.role == role.role && $0.from == role.from }) {
                _ = try registry.addRole(
                    RoleDraft(personId: existing.id, organisationId: role.organisationId, role: role.role, from: role.from, to: role.to),
                    reach: .everything,
                    actor: actor,
                    in: tx
                )
            }
        }
        func day(_ text: String) -> LocalDate { LocalDate(text)! }
        let (returbutiken, cafe, ortagarden, cykel, stad) = (cooperatives[0], cooperatives[1], cooperatives[2], cooperatives[3], cooperatives[4])
        // (name, identity number or nil for a protected identity, gender, roles: organisation, role, from, to)
        let people: [(String, String?, Gender, [(Int, RoleKind, String, String?)])] = [
            // The unit's two supervisors supervise for the umbrella association from the handover on 2015-04-01.
            ("Örjan Åkesson", "720315-1233", .male, [(unit, .supervisor, "2001-03-01", "2015-12-31"), (umbrella, .supervisor, "2015-04-01", nil)]),
            ("Åsa Öberg", "850722-4569", .female, [(unit, .supervisor, "2009-08-15", "2015-12-31"), (umbrella, .supervisor, "2015-04-01", nil)]),
            // Café Gläntan's own supervisor: 50 % for 18 months from its own pot.
            ("Lena Håkansson", "930924-6784", .female, [(cafe, .supervisor, "2016-02-01", "2017-07-31")]),
            ("Märta Ängström", "661109-2344", .female, [(studyAssociation, .circleLeader, "2001-01-15", nil)]),
            ("Mehmet Yılmaz", "901203-7892", .male, [(returbutiken, .cooperator, "2003-05-01", nil)]),
            ("Jörgen Lindqvist", "780412-3458", .male, [(cafe, .cooperator, "2004-09-01", nil)]),
            ("Ali Hassan", "880218-9012", .male, [(ortagarden, .cooperator, "2008-04-01", nil)]),
            ("Tomasz Nowak", "770661-4513", .male, [(cykel, .cooperator, "2010-03-15", nil)]),  // a samordningsnummer
            ("Sara Ekström", "000315-8128", .female, [(stad, .participant, "2018-09-01", nil)]),
            ("Per Sjöström", "750130-5671", .male, [(umbrella, .contact, "2016-01-01", nil)]),
            (
                "Birgitta Nordström", "650723-2384", .female,
                [(municipality, .contact, "2001-01-01", nil), (supportUnit, .contact, "2016-01-01", nil)]
            ),
            ("Skyddad person", nil, .unspecified, [(stad, .cooperator, "2012-06-01", nil)]),
        ]
        for (name, number, gender, roles) in people {
            try person(
                name,
                number,
                gender,
                roles: roles.map { RoleAssignment(organisationId: $0.0, role: $0.1, from: day($0.2), to: $0.3.map(day)) }
            )
        }
    }
}
