import DataAccess
import FeatureSupport
import OpenAPIRuntime
import PluginKit

/// The registry's API under `/api/v1/registry`, implementing the operations of the registry's
/// `openapi.yaml`. The host has checked each operation's permission before a handler runs; reads
/// go through the caller's reach, so a record outside it answers 404 as a missing one does.
struct RegistryAPI: APIProtocol, ReachScopedAPI {
    let registry: Registry

    // MARK: - Organisations

    func listOrganisations(_ input: Operations.ListOrganisations.Input) async throws -> Operations.ListOrganisations.Output {
        let (reach, _, _) = try caller()
        let query = OrganisationQuery(
            text: input.query.q,
            organisationNumber: input.query.organisationNumber,
            kind: input.query.kind,
            state: input.query.state
        )
        let page = try PageRequest(limit: input.query.limit, cursor: input.query.cursor)
        return .ok(.init(body: .json(try await read { db in try registry.organisations(matching: query, page: page, reach: reach, in: db) })))
    }

    func createOrganisation(_ input: Operations.CreateOrganisation.Input) async throws -> Operations.CreateOrganisation.Output {
        let draft =
            switch input.body {
            case .json(let body): body
            }
        let (_, actor, _) = try caller()
        let organisation = try await write { tx in try registry.createOrganisation(draft, actor: actor, in: tx) }
        return .created(.init(headers: .init(location: "/api/v1/registry/organisations/\(organisation.id)"), body: .json(organisation)))
    }

    func getOrganisation(_ input: Operations.GetOrganisation.Input) async throws -> Operations.GetOrganisation.Output {
        let (reach, _, _) = try caller()
        return .ok(.init(body: .json(try await read { db in try registry.organisation(id: input.path.id, reach: reach, in: db) })))
    }

    func updateOrganisation(_ input: Operations.UpdateOrganisation.Input) async throws -> Operations.UpdateOrganisation.Output {
        let patch =
            switch input.body {
            case .json(let body): body
            }
        let (reach, actor, _) = try caller()
        let organisation = try await write { tx in try registry.updateOrganisation(id: input.path.id, patch, reach: reach, actor: actor, in: tx) }
        return .ok(.init(body: .json(organisation)))
    }

    func changeOrganisationState(_ input: Operations.ChangeOrganisationState.Input) async throws -> Operations.ChangeOrganisationState.Output {
        let change =
            switch input.body {
            case .json(let body): body
            }
        let ((reach, actor, _), today) = (try caller(), LocalDate.today())
        let organisation = try await write { tx in
            try registry.changeState(ofOrganisation: input.path.id, change, today: today, reach: reach, actor: actor, in: tx)
        }
        return .ok(.init(body: .json(organisation)))
    }

    func setUnitCost(_ input: Operations.SetUnitCost.Input) async throws -> Operations.SetUnitCost.Output {
        let entry =
            switch input.body {
            case .json(let body): body
            }
        let (reach, actor, _) = try caller()
        return .ok(
            .init(
                body: .json(
                    try await write { tx in try registry.setUnitCost(ofOrganisation: input.path.id, entry, reach: reach, actor: actor, in: tx) }
                )
            )
        )
    }

    func listOrganisationRoles(_ input: Operations.ListOrganisationRoles.Input) async throws -> Operations.ListOrganisationRoles.Output {
        let (reach, _, _) = try caller()
        let roles = try await read { db in try registry.roles(inOrganisation: input.path.id, reach: reach, in: db) }
        return .ok(.init(body: .json(Items(items: roles))))
    }

    // MARK: - People

    func listPeople(_ input: Operations.ListPeople.Input) async throws -> Operations.ListPeople.Output {
        let ((reach, _, _), today) = (try caller(), LocalDate.today())
        let query = PersonQuery(text: input.query.q, organisationId: input.query.organisationId)
        let page = try PageRequest(limit: input.query.limit, cursor: input.query.cursor)
        return .ok(
            .init(body: .json(try await read { db in try registry.people(matching: query, page: page, reach: reach, today: today, in: db) }))
        )
    }

    func lookUpPerson(_ input: Operations.LookUpPerson.Input) async throws -> Operations.LookUpPerson.Output {
        let lookup =
            switch input.body {
            case .json(let body): body
            }
        let ((reach, _, _), today) = (try caller(), LocalDate.today())
        let query = PersonQuery(identityNumber: lookup.identityNumber, organisationId: lookup.organisationId)
        let page = try PageRequest(limit: 1, cursor: nil)
        return .ok(
            .init(body: .json(try await read { db in try registry.people(matching: query, page: page, reach: reach, today: today, in: db) }))
        )
    }

    func createPerson(_ input: Operations.CreatePerson.Input) async throws -> Operations.CreatePerson.Output {
        let draft =
            switch input.body {
            case .json(let body): body
            }
        let ((reach, actor, _), today) = (try caller(), LocalDate.today())
        let person = try await registry.guardingIdentityProbes(carriesNumber: draft.identityNumber != nil, reach: reach, actor: actor) { tx in
            try registry.createPerson(draft, today: today, reach: reach, actor: actor, in: tx)
        }
        return .created(.init(headers: .init(location: "/api/v1/registry/people/\(person.id)"), body: .json(person)))
    }

    func getPerson(_ input: Operations.GetPerson.Input) async throws -> Operations.GetPerson.Output {
        let (reach, _, _) = try caller()
        return .ok(.init(body: .json(try await read { db in try registry.person(id: input.path.id, reach: reach, in: db) })))
    }

    func updatePerson(_ input: Operations.UpdatePerson.Input) async throws -> Operations.UpdatePerson.Output {
        let patch =
            switch input.body {
            case .json(let body): body
            }
        let ((reach, actor, _), today) = (try caller(), LocalDate.today())
        let person = try await registry.guardingIdentityProbes(carriesNumber: patch.identityNumber != nil, reach: reach, actor: actor) { tx in
            try registry.updatePerson(id: input.path.id, patch, today: today, reach: reach, actor: actor, in: tx)
        }
        return .ok(.init(body: .json(person)))
    }

    func listPersonRoles(_ input: Operations.ListPersonRoles.Input) async throws -> Operations.ListPersonRoles.Output {
        let (reach, _, _) = try caller()
        let roles = try await read { db in try registry.roles(ofPerson: input.path.id, reach: reach, in: db) }
        return .ok(.init(body: .json(Items(items: roles))))
    }

    func erasePerson(_ input: Operations.ErasePerson.Input) async throws -> Operations.ErasePerson.Output {
        // Erasure is not bounded by reach: only an admin holds the permission, as before.
        let (_, actor, _) = try caller()
        return .ok(.init(body: .json(try await write { tx in try registry.erasePerson(id: input.path.id, actor: actor, in: tx) })))
    }

    // MARK: - Roles

    func createRole(_ input: Operations.CreateRole.Input) async throws -> Operations.CreateRole.Output {
        let draft =
            switch input.body {
            case .json(let body): body
            }
        let (reach, actor, _) = try caller()
        let role = try await write { tx in try registry.addRole(draft, reach: reach, actor: actor, in: tx) }
        return .created(.init(headers: .init(location: "/api/v1/registry/roles/\(role.id)"), body: .json(role)))
    }

    func getRole(_ input: Operations.GetRole.Input) async throws -> Operations.GetRole.Output {
        let (reach, _, _) = try caller()
        return .ok(.init(body: .json(try await read { db in try registry.role(id: input.path.id, reach: reach, in: db) })))
    }

    func endRole(_ input: Operations.EndRole.Input) async throws -> Operations.EndRole.Output {
        let end =
            switch input.body {
            case .json(let body): body
            }
        let (reach, actor, _) = try caller()
        return .ok(
            .init(body: .json(try await write { tx in try registry.endRole(id: input.path.id, on: end.on, reach: reach, actor: actor, in: tx) }))
        )
    }
}
