import DataAccess
import FeatureSupport
import Foundation
import PluginKit
import Testing

@testable import Registry

@Suite("Organisations")
struct OrganisationTests {
    typealias F = RegistryFixture

    @Test("an organisation is registered with its number, kind and state, and the write is audited")
    func create() async throws {
        try await F.withRegistry { registry async throws in
            let created = try await registry.write { r, tx in try r.createOrganisation(F.cooperative(), actor: F.actor, in: tx) }
            #expect(created.organisationNumber?.formatted == "769615-4322")
            #expect(created.state == .prospect)
            let read = try await registry.read { r, db in try r.organisation(id: created.id, reach: .everything, in: db) }
            #expect(read.name == "Returbutiken Återbruk")
            let audit = try await registry.database.query(
                "SELECT actor, feature, entity, entity_id, action, after FROM kernel.audit_log WHERE entity = 'organisation'"
            )
            #expect(audit.count == 1)
            #expect(try audit[0].decode("action", as: String.self) == "create")
            #expect(try audit[0].decode("entity_id", as: String.self) == String(created.id))
            #expect(try audit[0].decode("actor", as: String.self) == "test")
        }
    }

    @Test(
        "an invalid organisation number is refused naming the field, and nothing is stored",
        arguments: ["769615-4323", "12345", "761615-432X", "701615-4325", "7696154322111"]
    )
    func invalidNumber(_ number: String) async throws {
        try await F.withRegistry { registry async throws in
            let error = await #expect(throws: FeatureError.self) {
                try await registry.write { r, tx in try r.createOrganisation(F.cooperative(number: number), actor: F.actor, in: tx) }
            }
            #expect(error?.code == .invalidInput)
            #expect(error?.field == "/organisationNumber")
            #expect(try await registry.count("organisations") == 0)
            #expect(try await registry.database.query("SELECT id FROM kernel.audit_log").isEmpty)
        }
    }

    @Test("a taken organisation number is a conflict; the first organisation is untouched")
    func duplicate() async throws {
        try await F.withRegistry { registry async throws in
            _ = try await registry.write { r, tx in try r.createOrganisation(F.cooperative(), actor: F.actor, in: tx) }
            let error = await #expect(throws: FeatureError.self) {
                try await registry.write { r, tx in try r.createOrganisation(F.cooperative("Another", number: "7696154322"), actor: F.actor, in: tx) }
            }
            #expect(error?.code == .conflict)
            #expect(try await registry.count("organisations") == 1)
        }
    }

    @Test("names: too long, empty and control characters are refused with the reason")
    func badNames() async throws {
        try await F.withRegistry { registry async throws in
            for (name, reason) in [
                (String(repeating: "a", count: 201), "at most 200"), ("   ", "must not be empty"), ("Bad\u{7}name", "control character"),
            ] {
                let error = await #expect(throws: FeatureError.self) {
                    try await registry.write { r, tx in try r.createOrganisation(F.cooperative(name, number: nil), actor: F.actor, in: tx) }
                }
                #expect(error?.field == "/name")
                #expect(error?.message.contains(reason) == true, "\(error?.message ?? "")")
            }
            #expect(try await registry.count("organisations") == 0)
        }
    }

    @Test("prospect → active → wound up, with day and reason; the event is in the outbox; no way back")
    func stateMachine() async throws {
        try await F.withRegistry { registry async throws in
            let id = try await registry.write { r, tx in try r.createOrganisation(F.cooperative(), actor: F.actor, in: tx).id }
            let active = try await registry.write { r, tx in
                try r.changeState(
                    ofOrganisation: id,
                    OrganisationStateChange(state: .active),
                    today: F.today,
                    reach: .everything,
                    actor: F.actor,
                    in: tx
                )
            }
            #expect(active.state == .active)
            let missingReason = await #expect(throws: FeatureError.self) {
                try await registry.write { r, tx in
                    try r.changeState(
                        ofOrganisation: id,
                        OrganisationStateChange(state: .woundUp, on: F.today),
                        today: F.today,
                        reach: .everything,
                        actor: F.actor,
                        in: tx
                    )
                }
            }
            #expect(missingReason?.field == "/reason")
            let woundUp = try await registry.write { r, tx in
                try r.changeState(
                    ofOrganisation: id,
                    OrganisationStateChange(state: .woundUp, on: LocalDate(year: 2015, month: 12, day: 31), reason: "Closed"),
                    today: F.today,
                    reach: .everything,
                    actor: F.actor,
                    in: tx
                )
            }
            #expect(woundUp.state == .woundUp)
            #expect(woundUp.woundUpOn == LocalDate(year: 2015, month: 12, day: 31))
            let back = await #expect(throws: FeatureError.self) {
                try await registry.write { r, tx in
                    try r.changeState(
                        ofOrganisation: id,
                        OrganisationStateChange(state: .active),
                        today: F.today,
                        reach: .everything,
                        actor: F.actor,
                        in: tx
                    )
                }
            }
            #expect(back?.code == .conflict)
            let events = try await registry.database.query("SELECT name, payload::text AS payload FROM kernel.outbox")
            #expect(events.count == 1)
            #expect(try events[0].decode("name", as: String.self) == "registry.organisationWoundUp")
            #expect(try events[0].decode("payload", as: String.self).contains("\"organisationId\": \(id)"))
        }
    }

    @Test("the ASF assessment warns when the highest wage exceeds 2.5 × the lowest and when publicly dependent")
    func asf() async throws {
        var criteria = ASFCriteria(
            integratesPeopleFarFromWork: true,
            participationThroughOwnership: true,
            profitsMainlyReinvested: true,
            hasPublicOwner: false,
            hasPubliclyEmployedSupervisor: false,
            highestMonthlyWage: 50_000,
            lowestMonthlyWage: 20_000
        )
        #expect(criteria.meetsAllCriteria)
        #expect(criteria.warnings.isEmpty)
        criteria.highestMonthlyWage = 50_001
        #expect(criteria.warnings == ["the highest wage (50001) exceeds 2.5 × the lowest (20000)"])
        criteria.hasPubliclyEmployedSupervisor = true
        #expect(!criteria.independentOfPublicSector)
        #expect(!criteria.meetsAllCriteria)
    }

    @Test("search ignores case and accents, and pages with a cursor through every match once")
    func searchAndPaging() async throws {
        try await F.withRegistry { registry async throws in
            let names = ["Örtagården", "Ortens café", "Café Gläntan", "Cykelverkstan", "Städ i Öst", "ÖRNEN ek. för."]
            for name in names {
                _ = try await registry.write { r, tx in try r.createOrganisation(F.cooperative(name, number: nil), actor: F.actor, in: tx) }
            }
            let found = try await registry.read { r, db in
                try r.organisations(matching: OrganisationQuery(text: "or"), page: PageRequest(limit: 50), reach: .everything, in: db)
            }
            #expect(Set(found.items.map(\.name)) == ["Örtagården", "Ortens café", "ÖRNEN ek. för."])
            let cafe = try await registry.read { r, db in
                try r.organisations(matching: OrganisationQuery(text: "CAFE"), page: PageRequest(limit: 50), reach: .everything, in: db)
            }
            #expect(cafe.items.count == 2)
            var seen: [String] = []
            var cursor: String?
            repeat {
                let page = try PageRequest(limit: 2, cursor: cursor)
                let result = try await registry.read { r, db in
                    try r.organisations(matching: OrganisationQuery(), page: page, reach: .everything, in: db)
                }
                seen += result.items.map(\.name)
                cursor = result.nextCursor
            } while cursor != nil
            #expect(seen.count == names.count)
            #expect(Set(seen) == Set(names))
        }
    }

    @Test("a scoped reach sees its own organisation and those granted to it, nothing else (404, not 403)")
    func reach() async throws {
        try await F.withRegistry { registry async throws in
            let (provider, granted, other) = try await registry.write { r, tx in
                let provider = try r.createOrganisation(F.cooperative("Umbrella", number: nil), actor: F.actor, in: tx).id
                let granted = try r.createOrganisation(F.cooperative("Granted", number: nil), actor: F.actor, in: tx).id
                let other = try r.createOrganisation(F.cooperative("Other", number: nil), actor: F.actor, in: tx).id
                try r.grantScope(provider: provider, organisation: granted, feature: "test", in: tx)
                return (provider, granted, other)
            }
            let reach = Reach.provider(provider)
            let visible = try await registry.read { r, db in
                try r.organisations(matching: OrganisationQuery(), page: PageRequest(), reach: reach, in: db)
            }
            #expect(Set(visible.items.map(\.id)) == [provider, granted])
            let error = await #expect(throws: FeatureError.self) {
                try await registry.read { r, db in try r.organisation(id: other, reach: reach, in: db) }
            }
            #expect(error?.code == .notFound)
            #expect(error?.message == "no organisation with id \(other)")
        }
    }
}
