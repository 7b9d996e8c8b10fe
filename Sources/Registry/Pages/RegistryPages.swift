import CSVKit
import DataAccess
import FeatureSupport
import Foundation
import Hummingbird
import PageKit
import PluginKit

/// The registry's pages: organisations and people to search, an organisation's page with its
/// people and what every enabled feature knows about it, a person's page with their roles, and
/// the form that registers an organisation. Every read goes through the viewer's reach, so a
/// supervisor asking for an organisation outside it gets 404, as for a missing one.
struct RegistryPages: PageProvider {
    let registry: Registry
    let templates: PageTemplates

    var navigation: [NavigationEntry] {
        [
            NavigationEntry(titleKey: "organisationsTitle", path: "/registry/organisations", permission: RegistryPermissions.organisationRead),
            NavigationEntry(titleKey: "peopleTitle", path: "/registry/people", permission: RegistryPermissions.personRead),
        ]
    }

    func addPages(to router: PageRouter) {
        let registry = self.registry
        router.get("", requiring: RegistryPermissions.organisationRead) { _, page in page.redirect(to: "/registry/organisations") }
        router.get("organisations", requiring: RegistryPermissions.organisationRead) { request, page in
            try await organisations(request: request, page: page)
        }
        // The generic form of `createOrganisation`, kept at its old address for bookmarks.
        router.get("organisations/new", requiring: RegistryPermissions.organisationWrite) { _, page in
            page.redirect(to: "/registry/forms/createOrganisation?back=/registry/organisations")
        }
        router.get("organisations/{id}", requiring: RegistryPermissions.organisationRead) { _, page in
            let id = try page.requestContext.parameters.require("id", as: Int.self)
            let reach = registry.reach(of: page.principal)
            let today = LocalDate.today()
            let (organisation, roles, independence) = try await registry.database.withConnection { db in
                let organisation = try registry.organisation(id: id, reach: reach, in: db)
                let roles =
                    page.principal.holds(RegistryPermissions.personRead) ? try registry.roleRows(inOrganisation: id, reach: reach, in: db) : []
                let independence = Independence(
                    today: try registry.isIndependentOfPublicSector(organisation, on: today, in: db),
                    periods: try registry.publicSupervision(ofOrganisation: id, in: db)
                )
                return (organisation, roles, independence)
            }
            let sections = try await page.organisationSections(id)
            return try page.render(
                "organisation",
                title: organisation.name,
                [
                    "organisation": OrganisationView(organisation, independence: independence, page: page),
                    "people": roles.map { RoleView($0, page: page) },
                    "showPeople": page.principal.holds(RegistryPermissions.personRead),
                    "sections": sections,
                    "actions": Self.organisationActions(organisation, page: page),
                ]
            )
        }
        router.get("people", requiring: RegistryPermissions.personRead) { request, page in
            try await people(request: request, page: page)
        }
        router.post("people/lookup", requiring: RegistryPermissions.personRead) { _, page in
            try await lookUp(page: page)
        }
        router.get("people/{id}", requiring: RegistryPermissions.personRead) { _, page in
            let id = try page.requestContext.parameters.require("id", as: Int.self)
            let reach = registry.reach(of: page.principal)
            let (person, roles) = try await registry.database.withConnection { db in
                (try registry.person(id: id, reach: reach, in: db), try registry.roleRows(ofPerson: id, reach: reach, in: db))
            }
            return try page.render(
                "person",
                title: person.name,
                [
                    "person": PersonView(person, page: page), "roles": roles.map { RoleView($0, page: page) },
                    "actions": person.erasedAt == nil ? Self.personActions(id, page: page) : [],
                ]
            )
        }
    }

    // MARK: - Actions

    /// The forms an organisation's page links to, those the viewer may use.
    static func organisationActions(_ organisation: Organisation, page: PageContext) -> [[String: String]] {
        let (id, write) = (organisation.id, RegistryPermissions.organisationWrite)
        let unit = organisation.legalForm == .municipalUnit
        return [
            ("changeOrganisation", page.formLink("registry", "updateOrganisation", ["id": String(id)], requiring: write)),
            ("changeOrganisationState", page.formLink("registry", "changeOrganisationState", ["id": String(id)], requiring: write)),
            ("giveRoleHere", page.formLink("registry", "createRole", ["organisationId": String(id)], requiring: RegistryPermissions.personWrite)),
            ("setUnitCost", unit ? page.formLink("registry", "setUnitCost", ["id": String(id)], requiring: RegistryPermissions.unitCostWrite) : nil),
        ]
        .compactMap { key, link in link.map { ["label": page.text(key), "link": $0] } }
    }

    /// The forms a person's page links to, those the viewer may use.
    static func personActions(_ id: Int, page: PageContext) -> [[String: String]] {
        let write = RegistryPermissions.personWrite
        return [
            ("changePerson", page.formLink("registry", "updatePerson", ["id": String(id)], requiring: write)),
            ("giveRole", page.formLink("registry", "createRole", ["personId": String(id)], requiring: write)),
            ("erasePerson", page.formLink("registry", "erasePerson", ["id": String(id)], requiring: RegistryPermissions.personErase)),
        ]
        .compactMap { key, link in link.map { ["label": page.text(key), "link": $0] } }
    }

    // MARK: - Lists

    func organisations(request: Request, page: PageContext) async throws -> PageResult {
        let query = try ListQuery(request, sortKeys: Array(Registry.organisationSorts.keys), defaultSort: "name")
        let kind = try request.queryValue("kind", as: OrganisationKind.self)
        let reach = registry.reach(of: page.principal)
        if request.wantsCSV {
            let found = try await registry.database.withConnection { db in
                try registry.organisationList(query, kind: kind, limit: ListQuery.downloadLimit, offset: 0, reach: reach, in: db)
            }
            var csv = CSV("id", "name", "organisationNumber", "legalForm", "kind", "state")
            for o in found.rows {
                csv.add(String(o.id), o.name, o.organisationNumber?.formatted ?? "", o.legalForm.rawValue, o.kind.rawValue, o.state.rawValue)
            }
            return .csv(csv, filename: "organisationer.csv")
        }
        let found = try await registry.database.withConnection { db in
            try registry.organisationList(query, kind: kind, limit: query.pageSize, offset: query.offset, reach: reach, in: db)
        }
        let list = ListView(
            query: query,
            total: found.total,
            columns: [
                ("name", page.text("name")), ("number", page.text("organisationNumber")), ("kind", page.text("kind")),
                ("state", page.text("state")),
            ],
            context: page
        )
        let kinds =
            [FormField.Option(value: "", label: page.text("allKinds"), selected: kind == nil)]
            + OrganisationKind.allCases.map { FormField.Option(value: $0.rawValue, label: page.text("kind_" + $0.rawValue), selected: $0 == kind) }
        var data: [String: Any] = ["list": list, "rows": found.rows.map { OrganisationView($0, page: page) }, "kinds": kinds]
        data["newOrganisation"] = page.formLink("registry", "createOrganisation", requiring: RegistryPermissions.organisationWrite)
        return try page.render("organisations", title: page.text("organisationsTitle"), data)
    }

    func people(request: Request, page: PageContext) async throws -> PageResult {
        do {
            try IdentityNumberInURLRefusal<AppRequestContext>.check(request, instead: "the form Find by identity number")
        } catch {
            throw page.localized(error)
        }
        let query = try ListQuery(request, sortKeys: Array(Registry.personSorts.keys), defaultSort: "name")
        let reach = registry.reach(of: page.principal)
        let today = LocalDate.today()
        if request.wantsCSV {
            let found = try await registry.database.withConnection { db in
                try registry.personList(query, limit: ListQuery.downloadLimit, offset: 0, reach: reach, today: today, in: db)
            }
            var csv = CSV("id", "name", "identityNumber", "gender", "birthDate")
            for p in found.rows {
                csv.add(String(p.id), p.name, p.identityNumber ?? "", p.gender.rawValue, p.birthDate?.description ?? "")
            }
            return .csv(csv, filename: "personer.csv")
        }
        let found = try await registry.database.withConnection { db in
            try registry.personList(query, limit: query.pageSize, offset: query.offset, reach: reach, today: today, in: db)
        }
        let list = ListView(
            query: query,
            total: found.total,
            columns: [
                ("name", page.text("name")), (nil, page.text("identityNumber")), (nil, page.text("gender")), ("birth", page.text("birthDate")),
            ],
            context: page
        )
        var data: [String: Any] = ["list": list, "rows": found.rows.map { PersonView($0, page: page) }, "lookup": lookUpForm(page)]
        data["newPerson"] = page.formLink("registry", "createPerson", requiring: RegistryPermissions.personWrite)
        return try page.render("people", title: page.text("peopleTitle"), data)
    }

    // MARK: - Look a person up by identity number

    /// The form that looks a person up by identity number: it posts the number, so it never
    /// travels in a URL.
    func lookUpForm(_ page: PageContext) -> PageForm {
        PageForm(
            action: "/registry/people/lookup",
            submit: page.text("lookUp"),
            fields: [
                FormField("identityNumber", label: page.text("identityNumber"), required: true, hint: page.text("lookUpHint"), autocomplete: "off")
            ]
        )
    }

    /// The person with the posted identity number, within reach: a redirect to their page; one
    /// out of reach answers as one never registered (404, the form again), an invalid number 422.
    /// The number is not written back into the form.
    func lookUp(page: PageContext) async throws -> PageResult {
        let reach = registry.reach(of: page.principal)
        let today = LocalDate.today()
        do {
            let query = PersonQuery(identityNumber: page.form.raw("identityNumber") ?? "")
            let found = try await registry.database.withConnection { db in
                try registry.people(matching: query, page: try PageRequest(limit: 1), reach: reach, today: today, in: db)
            }
            guard let person = found.items.first else {
                throw FeatureError(.notFound, "no person with this identity number", field: "/identityNumber", wording: "lookUpNotFound")
            }
            return page.redirect(to: "/registry/people/\(person.id)")
        } catch let error as FeatureError where error.code == .invalidInput || error.code == .notFound {
            var form = lookUpForm(page)
            form.fill(FormValues([]), error: error, in: page)
            return try page.render(
                "personLookup",
                title: page.text("lookUpTitle"),
                ["form": form],
                status: error.code == .notFound ? .notFound : .unprocessableContent
            )
        }
    }

    // MARK: - The organisation form
}
