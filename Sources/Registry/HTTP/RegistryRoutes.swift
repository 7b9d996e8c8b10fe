import DataAccess
public import Hummingbird
import PluginKit

/// The registry's HTTP API under `/api/v1/registry`. Every route checks a permission and reads
/// through the caller's reach, so a record outside it answers 404, as a missing one does.
struct RegistryRoutes: Sendable {
    let registry: Registry

    func register(on group: RouterGroup<AppRequestContext>) {
        registerOrganisations(on: group)
        registerPeople(on: group)
        registerRoles(on: group)
    }

    func registerOrganisations(on group: RouterGroup<AppRequestContext>) {
        let registry = self.registry
        group.on("organisations", method: .get, requiring: RegistryPermissions.organisationRead) { request, _, principal in
            let query = OrganisationQuery(
                text: request.queryText("q"),
                organisationNumber: request.queryText("organisationNumber"),
                kind: try request.queryValue("kind", as: OrganisationKind.self),
                state: try request.queryValue("state", as: OrganisationState.self)
            )
            let page = try request.pageRequest()
            let reach = registry.reach(of: principal)
            return try await registry.database.withConnection { db in
                try registry.organisations(matching: query, page: page, reach: reach, in: db)
            }
        }
        group.on("organisations", method: .post, requiring: RegistryPermissions.organisationWrite) { request, context, _ in
            let draft = try await request.decodeJSON(as: OrganisationDraft.self, context: context)
            let actor = try context.actor()
            let organisation = try await registry.database.transaction { tx in
                try registry.createOrganisation(draft, actor: actor, in: tx)
            }
            return EditedResponse(status: .created, headers: [.location: "/api/v1/registry/organisations/\(organisation.id)"], response: organisation)
        }
        group.on("organisations/{id}", method: .get, requiring: RegistryPermissions.organisationRead) { _, context, principal in
            let id = try context.parameters.require("id", as: Int.self)
            let reach = registry.reach(of: principal)
            return try await registry.database.withConnection { db in try registry.organisation(id: id, reach: reach, in: db) }
        }
        group.on("organisations/{id}", method: .patch, requiring: RegistryPermissions.organisationWrite) { request, context, principal in
            let id = try context.parameters.require("id", as: Int.self)
            let patch = try await request.decodeJSON(as: OrganisationPatch.self, context: context)
            let (reach, actor) = (registry.reach(of: principal), try context.actor())
            return try await registry.database.transaction { tx in
                try registry.updateOrganisation(id: id, patch, reach: reach, actor: actor, in: tx)
            }
        }
        group.on("organisations/{id}/state", method: .post, requiring: RegistryPermissions.organisationWrite) { request, context, principal in
            let id = try context.parameters.require("id", as: Int.self)
            let change = try await request.decodeJSON(as: OrganisationStateChange.self, context: context)
            let (reach, actor, today) = (registry.reach(of: principal), try context.actor(), LocalDate.today())
            return try await registry.database.transaction { tx in
                try registry.changeState(ofOrganisation: id, change, today: today, reach: reach, actor: actor, in: tx)
            }
        }
        group.on("organisations/{id}/roles", method: .get, requiring: RegistryPermissions.personRead) { _, context, principal in
            let id = try context.parameters.require("id", as: Int.self)
            let reach = registry.reach(of: principal)
            return try await registry.database.withConnection { db in
                RoleList(items: try registry.roles(inOrganisation: id, reach: reach, in: db))
            }
        }
    }

    func registerPeople(on group: RouterGroup<AppRequestContext>) {
        let registry = self.registry
        group.on("people", method: .get, requiring: RegistryPermissions.personRead) { request, _, principal in
            let query = PersonQuery(
                text: request.queryText("q"),
                identityNumber: request.queryText("identityNumber"),
                organisationId: try request.queryInt("organisationId")
            )
            let (page, reach, today) = (try request.pageRequest(), registry.reach(of: principal), LocalDate.today())
            return try await registry.database.withConnection { db in
                try registry.people(matching: query, page: page, reach: reach, today: today, in: db)
            }
        }
        group.on("people", method: .post, requiring: RegistryPermissions.personWrite) { request, context, principal in
            let draft = try await request.decodeJSON(as: PersonDraft.self, context: context)
            let (reach, actor, today) = (registry.reach(of: principal), try context.actor(), LocalDate.today())
            let person = try await registry.database.transaction { tx in
                try registry.createPerson(draft, today: today, reach: reach, actor: actor, in: tx)
            }
            return EditedResponse(status: .created, headers: [.location: "/api/v1/registry/people/\(person.id)"], response: person)
        }
        group.on("people/{id}", method: .get, requiring: RegistryPermissions.personRead) { _, context, principal in
            let id = try context.parameters.require("id", as: Int.self)
            let reach = registry.reach(of: principal)
            return try await registry.database.withConnection { db in try registry.person(id: id, reach: reach, in: db) }
        }
        group.on("people/{id}", method: .patch, requiring: RegistryPermissions.personWrite) { request, context, principal in
            let id = try context.parameters.require("id", as: Int.self)
            let patch = try await request.decodeJSON(as: PersonPatch.self, context: context)
            let (reach, actor, today) = (registry.reach(of: principal), try context.actor(), LocalDate.today())
            return try await registry.database.transaction { tx in
                try registry.updatePerson(id: id, patch, today: today, reach: reach, actor: actor, in: tx)
            }
        }
        group.on("people/{id}/roles", method: .get, requiring: RegistryPermissions.personRead) { _, context, principal in
            let id = try context.parameters.require("id", as: Int.self)
            let reach = registry.reach(of: principal)
            return try await registry.database.withConnection { db in RoleList(items: try registry.roles(ofPerson: id, reach: reach, in: db)) }
        }
        group.on("people/{id}/erasure", method: .post, requiring: RegistryPermissions.personErase) { _, context, _ in
            let id = try context.parameters.require("id", as: Int.self)
            let actor = try context.actor()
            return try await registry.database.transaction { tx in try registry.erasePerson(id: id, actor: actor, in: tx) }
        }
    }

    func registerRoles(on group: RouterGroup<AppRequestContext>) {
        let registry = self.registry
        group.on("roles", method: .post, requiring: RegistryPermissions.personWrite) { request, context, principal in
            let draft = try await request.decodeJSON(as: RoleDraft.self, context: context)
            let (reach, actor) = (registry.reach(of: principal), try context.actor())
            let role = try await registry.database.transaction { tx in try registry.addRole(draft, reach: reach, actor: actor, in: tx) }
            return EditedResponse(status: .created, headers: [.location: "/api/v1/registry/roles/\(role.id)"], response: role)
        }
        group.on("roles/{id}", method: .get, requiring: RegistryPermissions.personRead) { _, context, principal in
            let id = try context.parameters.require("id", as: Int.self)
            let reach = registry.reach(of: principal)
            return try await registry.database.withConnection { db in try registry.role(id: id, reach: reach, in: db) }
        }
        group.on("roles/{id}/end", method: .post, requiring: RegistryPermissions.personWrite) { request, context, principal in
            let id = try context.parameters.require("id", as: Int.self)
            let body = try await request.decodeJSON(as: RoleEnd.self, context: context)
            let (reach, actor) = (registry.reach(of: principal), try context.actor())
            return try await registry.database.transaction { tx in try registry.endRole(id: id, on: body.on, reach: reach, actor: actor, in: tx) }
        }
    }
}

/// The body of `POST roles/{id}/end`.
struct RoleEnd: Codable {
    var on: LocalDate
}

/// A list of roles as a JSON object (`{"items": […]}`), so it can grow fields later.
struct RoleList: ResponseEncodable {
    var items: [PersonRole]
}

extension Organisation: ResponseEncodable {}
extension Person: ResponseEncodable {}
extension PersonRole: ResponseEncodable {}
