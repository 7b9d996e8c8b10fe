import DataAccess
import FeatureSupport
import Foundation
import PluginKit
import Testing

@testable import Registry

@Suite("People and identity numbers")
struct PersonTests {
    typealias F = RegistryFixture

    static func draft(_ name: String = "Åsa Öberg", number: String? = "850722-4569", roles: [RoleAssignment]? = nil) -> PersonDraft {
        PersonDraft(name: name, identityNumber: number, gender: .female, roles: roles)
    }

    @Test("the identity number is sealed at rest: no column holds its digits, and the answer shows it masked")
    func sealedAtRest() async throws {
        try await F.withRegistry { registry async throws in
            let person = try await registry.write { r, tx in
                try r.createPerson(Self.draft(), today: F.today, reach: .everything, actor: F.actor, in: tx)
            }
            #expect(person.identityNumber == "19850722-****")
            #expect(person.birthDate == LocalDate(year: 1985, month: 7, day: 22))
            let row = try await registry.database.query("SELECT to_jsonb(p)::text AS everything FROM registry.people p").single()
            let everything: String = try row.decode("everything")
            #expect(!everything.contains("4569"))
            #expect(!everything.contains("8507224569"))
            let sealed = try await registry.database.query("SELECT identity_cipher FROM registry.people").single().decode(
                "identity_cipher",
                as: Data.self
            )
            #expect(try F.vault.open(sealed).digits == "198507224569")
            let audit = try await registry.database.query("SELECT coalesce(after::text, '') AS after FROM kernel.audit_log").map {
                try $0.decode("after", as: String.self)
            }
            #expect(audit.allSatisfy { !$0.contains("4569") && !$0.contains("Åsa") })
        }
    }

    @Test("a change of the telephone number is audited as that field alone, old and new as keyed fingerprints")
    func updateAuditsTheChangedFieldOnly() async throws {
        try await F.withRegistry { registry async throws in
            let person = try await registry.write { r, tx in
                try r.createPerson(
                    PersonDraft(name: "Åsa Öberg", identityNumber: nil, contact: ContactDetails(email: "asa@example.org", phone: "070-1111111")),
                    today: F.today,
                    reach: .everything,
                    actor: F.actor,
                    in: tx
                )
            }
            _ = try await registry.write { r, tx in
                try r.updatePerson(
                    id: person.id,
                    PersonPatch(contact: ContactDetails(email: "asa@example.org", phone: "070-2222222")),
                    today: F.today,
                    reach: .everything,
                    actor: F.actor,
                    in: tx
                )
            }
            let row = try await registry.database.query(
                "SELECT before::text AS before, after::text AS after FROM kernel.audit_log WHERE action = 'update'"
            ).single()
            let (before, after) = (try row.decode("before", as: String.self), try row.decode("after", as: String.self))
            #expect(before == #"{"phone": "\#(F.vault.fingerprint("070-1111111"))"}"#)
            #expect(after == #"{"phone": "\#(F.vault.fingerprint("070-2222222"))"}"#)
        }
    }

    @Test("the whole number comes only from revealIdentityNumber, which audits the reading with its purpose; the person encodes it masked")
    func revealIsAudited() async throws {
        try await F.withRegistry { registry async throws in
            let person = try await registry.write { r, tx in
                try r.createPerson(Self.draft(), today: F.today, reach: .everything, actor: F.actor, in: tx)
            }
            let json = String(decoding: try JSONEncoder().encode(person), as: UTF8.self)
            #expect(json.contains("19850722-****") && !json.contains("4569"))
            let revealed = try await registry.write { r, tx in
                try r.revealIdentityNumber(ofPerson: person.id, purpose: "test export", reach: .everything, actor: F.actor, in: tx)
            }
            #expect(revealed?.formatted == "19850722-4569")
            let encoded = String(decoding: try JSONEncoder().encode(revealed), as: UTF8.self)
            #expect(encoded == #""19850722-****""#, "even a revealed number encodes masked")
            let actions = try await registry.database.query("SELECT action FROM kernel.audit_log WHERE entity = 'person' ORDER BY id").map {
                try $0.decode("action", as: String.self)
            }
            #expect(actions.last == "reveal identity number: test export")
        }
    }

    @Test(
        "a person is found by identity number in any written form, through the keyed hash",
        arguments: ["850722-4569", "8507224569", "19850722-4569", "198507224569"]
    )
    func findByNumber(_ form: String) async throws {
        try await F.withRegistry { registry async throws in
            let person = try await registry.write { r, tx in
                try r.createPerson(Self.draft(), today: F.today, reach: .everything, actor: F.actor, in: tx)
            }
            _ = try await registry.write { r, tx in
                try r.createPerson(Self.draft("Other", number: "901203-7892"), today: F.today, reach: .everything, actor: F.actor, in: tx)
            }
            let found = try await registry.read { r, db in
                try r.people(matching: PersonQuery(identityNumber: form), page: PageRequest(), reach: .everything, today: F.today, in: db)
            }
            #expect(found.items.map(\.id) == [person.id])
        }
    }

    @Test(
        "invalid identity numbers are refused naming the field and the reason; nothing is stored",
        arguments: [
            ("850722-4568", "check digit"), ("85072-24569", "separator"), ("8507224", "digits"), ("851322-4561", "date"),
            ("850732-4563", "date"),
        ]
    )
    func invalidNumbers(_ number: String, _ reason: String) async throws {
        try await F.withRegistry { registry async throws in
            let error = await #expect(throws: FeatureError.self) {
                try await registry.write { r, tx in
                    try r.createPerson(Self.draft(number: number), today: F.today, reach: .everything, actor: F.actor, in: tx)
                }
            }
            #expect(error?.code == .invalidInput)
            #expect(error?.field == "/identityNumber")
            #expect(error?.message.contains(reason) == true, "\(error?.message ?? "")")
            #expect(error?.message.contains(number) == false)
            #expect(try await registry.count("people") == 0)
        }
    }

    @Test("an empty identity number is refused at its field, when registering and when changing; nil means none", arguments: ["", "  "])
    func emptyNumber(_ empty: String) async throws {
        try await F.withRegistry { registry async throws in
            let refused = await #expect(throws: FeatureError.self) {
                try await registry.write { r, tx in
                    try r.createPerson(Self.draft(number: empty), today: F.today, reach: .everything, actor: F.actor, in: tx)
                }
            }
            #expect(refused?.code == .invalidInput)
            #expect(refused?.field == "/identityNumber")
            #expect(try await registry.count("people") == 0)
            let none = try await registry.write { r, tx in
                try r.createPerson(Self.draft(number: nil), today: F.today, reach: .everything, actor: F.actor, in: tx)
            }
            #expect(none.identityStatus == .none)
            let change = await #expect(throws: FeatureError.self) {
                try await registry.write { r, tx in
                    try r.updatePerson(
                        id: none.id,
                        PersonPatch(identityNumber: empty),
                        today: F.today,
                        reach: .everything,
                        actor: F.actor,
                        in: tx
                    )
                }
            }
            #expect(change?.field == "/identityNumber")
        }
    }

    @Test("a samordningsnummer is accepted with the real birth date; a registered number is a conflict")
    func coordinationNumberAndDuplicate() async throws {
        try await F.withRegistry { registry async throws in
            let person = try await registry.write { r, tx in
                try r.createPerson(Self.draft("Tomasz Nowak", number: "770661-4513"), today: F.today, reach: .everything, actor: F.actor, in: tx)
            }
            #expect(person.identityKind == .samordningsnummer)
            #expect(person.birthDate == LocalDate(year: 1977, month: 6, day: 1))
            #expect(person.identityNumber == "19770661-****")
            let error = await #expect(throws: FeatureError.self) {
                try await registry.write { r, tx in
                    try r.createPerson(Self.draft("Someone", number: "19770661-4513"), today: F.today, reach: .everything, actor: F.actor, in: tx)
                }
            }
            #expect(error?.code == .conflict)
            #expect(try await registry.count("people") == 1)
        }
    }

    @Test("search by name ignores case and accents (å ä ö)")
    func nameSearch() async throws {
        try await F.withRegistry { registry async throws in
            for (name, number) in [("Åsa Öberg", "850722-4569"), ("Asa Oberg", nil), ("Märta Ängström", "661109-2344"), ("Per Sjöström", nil)] {
                _ = try await registry.write { r, tx in
                    try r.createPerson(Self.draft(name, number: number), today: F.today, reach: .everything, actor: F.actor, in: tx)
                }
            }
            func search(_ text: String) async throws -> Set<String> {
                Set(
                    try await registry.read { r, db in
                        try r.people(matching: PersonQuery(text: text), page: PageRequest(), reach: .everything, today: F.today, in: db)
                    }.items.map(\.name)
                )
            }
            #expect(try await search("ÖBERG") == ["Åsa Öberg", "Asa Oberg"])
            #expect(try await search("angstr") == ["Märta Ängström"])
            #expect(try await search("ström") == ["Märta Ängström", "Per Sjöström"])
            #expect(try await search("100%") == [])
        }
    }

    @Test("erasure replaces the identifying data with a pseudonym and keeps the roles and counts; audited, without the name")
    func erasure() async throws {
        try await F.withRegistry { registry async throws in
            let organisation = try await registry.write { r, tx in try r.createOrganisation(F.cooperative(), actor: F.actor, in: tx).id }
            let role = RoleAssignment(organisationId: organisation, role: .cooperator, from: LocalDate(year: 2010, month: 1, day: 1)!)
            let person = try await registry.write { r, tx in
                try r.createPerson(Self.draft(roles: [role]), today: F.today, reach: .everything, actor: F.actor, in: tx)
            }
            let erased = try await registry.write { r, tx in try r.erasePerson(id: person.id, actor: F.actor, in: tx) }
            #expect(erased.name.hasPrefix("Pseudonym "))
            #expect(erased.identityNumber == nil)
            #expect(erased.identityStatus == .erased)
            #expect(erased.gender == .female)
            #expect(try await registry.count("people") == 1)
            let roles = try await registry.read { r, db in try r.roles(ofPerson: person.id, reach: .everything, in: db) }
            #expect(roles.count == 1)
            let byNumber = try await registry.read { r, db in
                try r.people(matching: PersonQuery(identityNumber: "850722-4569"), page: PageRequest(), reach: .everything, today: F.today, in: db)
            }
            #expect(byNumber.items.isEmpty)
            let audit = try await registry.database.query(
                "SELECT action, coalesce(before::text, '') || coalesce(after::text, '') AS changes FROM kernel.audit_log WHERE entity = 'person'"
            )
            #expect(try audit.map { try $0.decode("action", as: String.self) } == ["create", "erase"])
            #expect(try audit.allSatisfy { !(try $0.decode("changes", as: String.self)).contains("Öberg") })
            let again = await #expect(throws: FeatureError.self) {
                try await registry.write { r, tx in try r.erasePerson(id: person.id, actor: F.actor, in: tx) }
            }
            #expect(again?.code == .conflict)
        }
    }

    @Test("a scoped user registers a person only with a role in an organisation within reach, and sees only people of its organisations")
    func scopedPeople() async throws {
        try await F.withRegistry { registry async throws in
            let (provider, mine, other) = try await registry.write { r, tx in
                let provider = try r.createOrganisation(F.cooperative("Umbrella", number: nil), actor: F.actor, in: tx).id
                let mine = try r.createOrganisation(F.cooperative("Mine", number: nil), actor: F.actor, in: tx).id
                let other = try r.createOrganisation(F.cooperative("Other", number: nil), actor: F.actor, in: tx).id
                try r.grantScope(provider: provider, organisation: mine, feature: "test", in: tx)
                return (provider, mine, other)
            }
            let reach = Reach.provider(provider)
            let from = LocalDate(year: 2020, month: 1, day: 1)!
            let noRole = await #expect(throws: FeatureError.self) {
                try await registry.write { r, tx in try r.createPerson(Self.draft(number: nil), today: F.today, reach: reach, actor: F.actor, in: tx)
                }
            }
            #expect(noRole?.field == "/roles")
            let outside = await #expect(throws: FeatureError.self) {
                try await registry.write { r, tx in
                    try r.createPerson(
                        Self.draft(number: nil, roles: [RoleAssignment(organisationId: other, role: .cooperator, from: from)]),
                        today: F.today,
                        reach: reach,
                        actor: F.actor,
                        in: tx
                    )
                }
            }
            #expect(outside?.code == .notFound)
            let inside = try await registry.write { r, tx in
                try r.createPerson(
                    Self.draft("Inside", number: nil, roles: [RoleAssignment(organisationId: mine, role: .cooperator, from: from)]),
                    today: F.today,
                    reach: reach,
                    actor: F.actor,
                    in: tx
                )
            }
            let hidden = try await registry.write { r, tx in
                try r.createPerson(
                    Self.draft("Hidden", number: "901203-7892", roles: [RoleAssignment(organisationId: other, role: .cooperator, from: from)]),
                    today: F.today,
                    reach: .everything,
                    actor: F.actor,
                    in: tx
                )
            }
            let visible = try await registry.read { r, db in
                try r.people(matching: PersonQuery(), page: PageRequest(), reach: reach, today: F.today, in: db)
            }
            #expect(visible.items.map(\.id) == [inside.id])
            let byNumber = try await registry.read { r, db in
                try r.people(matching: PersonQuery(identityNumber: "901203-7892"), page: PageRequest(), reach: reach, today: F.today, in: db)
            }
            #expect(byNumber.items.isEmpty)
            await #expect(throws: FeatureError.self) {
                try await registry.read { r, db in try r.person(id: hidden.id, reach: reach, in: db) }
            }
        }
    }

    @Test("paging from the cursor of a person or organisation out of reach tells nothing of its name (no bisection)")
    func foreignCursor() async throws {
        try await F.withRegistry { registry async throws in
            let from = LocalDate(year: 2020, month: 1, day: 1)!
            let (provider, foreign) = try await registry.write { r, tx in
                let provider = try r.createOrganisation(F.cooperative("Umbrella", number: nil), actor: F.actor, in: tx).id
                let mine = try r.createOrganisation(F.cooperative("Mellangården", number: nil), actor: F.actor, in: tx).id
                let early = try r.createOrganisation(F.cooperative("Aaltos kafé", number: nil), actor: F.actor, in: tx).id
                let late = try r.createOrganisation(F.cooperative("Östra verkstan", number: nil), actor: F.actor, in: tx).id
                try r.grantScope(provider: provider, organisation: mine, feature: "test", in: tx)
                func person(_ name: String, _ organisation: Int) throws -> Int {
                    let roles = [RoleAssignment(organisationId: organisation, role: .cooperator, from: from)]
                    return try r.createPerson(Self.draft(name, number: nil, roles: roles), today: F.today, reach: .everything, actor: F.actor, in: tx)
                        .id
                }
                _ = try person("Mira", mine)
                return (provider, (people: [try person("Adam", early), try person("Örjan", late)], organisations: [early, late]))
            }
            let reach = Reach.provider(provider)
            // Before: a foreign "Adam" let the own "Mira" follow, a foreign "Örjan" did not.
            for id in foreign.people {
                let page = try await registry.read { r, db in
                    try r.people(
                        matching: PersonQuery(),
                        page: PageRequest(cursor: PageRequest.cursor(after: id)),
                        reach: reach,
                        today: F.today,
                        in: db
                    )
                }
                #expect(page.items.isEmpty, "person \(id)")
            }
            for id in foreign.organisations {
                let page = try await registry.read { r, db in
                    try r.organisations(matching: OrganisationQuery(), page: PageRequest(cursor: PageRequest.cursor(after: id)), reach: reach, in: db)
                }
                #expect(page.items.isEmpty, "organisation \(id)")
            }
        }
    }

    @Test("roles: an end before the start and an overlapping duplicate are refused")
    func roles() async throws {
        try await F.withRegistry { registry async throws in
            let organisation = try await registry.write { r, tx in try r.createOrganisation(F.cooperative(), actor: F.actor, in: tx).id }
            let person = try await registry.write { r, tx in
                try r.createPerson(Self.draft(number: nil), today: F.today, reach: .everything, actor: F.actor, in: tx).id
            }
            let from = LocalDate(year: 2020, month: 1, day: 1)!
            let role = try await registry.write { r, tx in
                try r.addRole(
                    RoleDraft(personId: person, organisationId: organisation, role: .cooperator, from: from),
                    reach: .everything,
                    actor: F.actor,
                    in: tx
                )
            }
            let overlap = await #expect(throws: FeatureError.self) {
                try await registry.write { r, tx in
                    try r.addRole(
                        RoleDraft(personId: person, organisationId: organisation, role: .cooperator, from: from.adding(days: 10)),
                        reach: .everything,
                        actor: F.actor,
                        in: tx
                    )
                }
            }
            #expect(overlap?.code == .conflict)
            let early = await #expect(throws: FeatureError.self) {
                try await registry.write { r, tx in try r.endRole(id: role.id, on: from.adding(days: -1), reach: .everything, actor: F.actor, in: tx)
                }
            }
            #expect(early?.field == "/to")
            let ended = try await registry.write { r, tx in
                try r.endRole(id: role.id, on: from.adding(days: 30), reach: .everything, actor: F.actor, in: tx)
            }
            #expect(ended.to == from.adding(days: 30))
            #expect(!ended.holds(on: from.adding(days: 31)))
        }
    }

    @Test("the audit log is append-only: UPDATE, DELETE and TRUNCATE fail, even for the table's owner")
    func appendOnly() async throws {
        try await F.withRegistry { registry async throws in
            _ = try await registry.write { r, tx in try r.createOrganisation(F.cooperative(), actor: F.actor, in: tx) }
            for statement: SQL in ["UPDATE kernel.audit_log SET actor = 'x'", "DELETE FROM kernel.audit_log", "TRUNCATE kernel.audit_log"] {
                await #expect(throws: DatabaseError.self) { try await registry.database.execute(statement) }
            }
            #expect(try await registry.database.query("SELECT actor FROM kernel.audit_log").single().decode("actor", as: String.self) == "test")
        }
    }

    @Test("a write that fails leaves no audit row: the audit row shares the write's transaction")
    func auditRollsBack() async throws {
        try await F.withRegistry { registry async throws in
            await #expect(throws: FeatureError.self) {
                try await registry.write { r, tx in
                    _ = try r.createOrganisation(F.cooperative(), actor: F.actor, in: tx)
                    throw FeatureError(.conflict, "changed my mind")
                }
            }
            #expect(try await registry.database.query("SELECT id FROM kernel.audit_log").isEmpty)
            #expect(try await registry.count("organisations") == 0)
        }
    }

    @Test("a registry started with another key refuses to run instead of writing unreadable rows")
    func wrongKey() async throws {
        try await F.withRegistry { registry async throws in
            let other = Registry(
                database: registry.database,
                vault: try IdentityVault(masterKey: Data(repeating: 7, count: 32)),
                events: EventPublisher(featureID: "registry")
            )
            await #expect(throws: IdentityKeyError.self) { try await other.verifyKey() }
        }
    }
}
