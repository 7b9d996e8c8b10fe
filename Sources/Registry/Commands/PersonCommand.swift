public import ArgumentParser
import DataAccess
import FeatureSupport
import PluginKit

/// `kooperator registry person …`.
struct PersonCommand: FeatureCommand {
    static let configuration = CommandConfiguration(
        commandName: "person",
        abstract: "Find, show, register and erase people (identity numbers masked)",
        subcommands: [Find.self, Show.self, Add.self, Update.self, Erase.self]
    )

    func run(context: FeatureContext) async throws { print(Self.helpMessage()) }

    struct Find: FeatureCommand {
        static let configuration = CommandConfiguration(commandName: "find", abstract: "Find people by name or identity number")
        @Option(name: .customLong("search"), help: "Part of the name (case and accents ignored)") var text: String?
        @Option(help: "An identity number (10 or 12 digits)") var identityNumber: String?
        @Option(help: "Only people with a role in this organisation") var organisation: Int?
        @Option(help: "At most this many (1–500)") var limit = 100

        func run(context: FeatureContext) async throws {
            let registry = try context.registry
            let query = PersonQuery(text: text, identityNumber: identityNumber, organisationId: organisation)
            let page = try PageRequest(limit: limit)
            let found = try await registry.database.withConnection { [today = LocalDate.today()] db in
                try registry.people(matching: query, page: page, reach: .everything, today: today, in: db)
            }
            var table = TextTable("ID", "NAME", "IDENTITY NUMBER", "GENDER")
            for person in found.items {
                table.add(String(person.id), person.name, person.identityNumber ?? person.identityStatus.rawValue, person.gender.rawValue)
            }
            print(table.rendered)
            if found.nextCursor != nil { print("(more than \(limit); narrow the search or raise --limit)") }
        }
    }

    struct Show: FeatureCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "Show a person as JSON, with roles")
        @Argument(help: "The person's id") var id: Int

        func run(context: FeatureContext) async throws {
            let registry = try context.registry
            let (person, roles) = try await registry.database.withConnection { db in
                (try registry.person(id: id, reach: .everything, in: db), try registry.roles(ofPerson: id, reach: .everything, in: db))
            }
            try CommandOutput.printJSON(person)
            var table = TextTable("ROLE", "ID", "ORGANISATION", "FROM", "TO")
            for role in roles {
                table.add(role.role.rawValue, String(role.id), String(role.organisationId), role.from.description, role.to?.description ?? "")
            }
            if !roles.isEmpty { print(table.rendered) }
        }
    }

    struct Add: FeatureCommand {
        static let configuration = CommandConfiguration(commandName: "add", abstract: "Register a person; prints the person as JSON")
        @Option(help: "The name") var name: String
        @Option(help: "A personnummer or samordningsnummer") var identityNumber: String?
        @Flag(help: "The person has a protected identity (no number is recorded)") var protected = false
        @Option(help: "female, male, other or unspecified") var gender: Gender = .unspecified
        @Option(help: "Give a role in this organisation") var organisation: Int?
        @Option(help: "The role: \(RoleKind.allCases.map(\.rawValue).joined(separator: ", "))") var role: RoleKind = .cooperator
        @Option(help: "The role's first day (default today)") var from: LocalDate?

        func run(context: FeatureContext) async throws {
            let registry = try context.registry
            let today = LocalDate.today()
            let roles = organisation.map { [RoleAssignment(organisationId: $0, role: role, from: from ?? today)] }
            let draft = PersonDraft(
                name: name,
                identityNumber: identityNumber,
                identityStatus: protected ? .protected : nil,
                gender: gender,
                roles: roles
            )
            let person = try await registry.database.transaction { tx in
                try registry.createPerson(draft, today: today, reach: .everything, actor: .commandLine, in: tx)
            }
            try CommandOutput.printJSON(person)
        }
    }

    struct Update: FeatureCommand {
        static let configuration = CommandConfiguration(
            commandName: "update",
            abstract: "Change a person's details (options not given stay as they are); prints the person as JSON"
        )
        @Argument(help: "The person's id") var id: Int
        @Option(help: "A new name") var name: String?
        @Option(help: "A corrected identity number") var identityNumber: String?
        @Option(help: "female, male, other or unspecified") var gender: Gender?
        @Option(help: "A new e-mail address (replaces the contact details with those given)") var email: String?
        @Option(help: "A new telephone number") var phone: String?
        @Option(help: "A new postal address") var address: String?

        func run(context: FeatureContext) async throws {
            let registry = try context.registry
            let contact = ContactDetails.replacing(email: email, phone: phone, address: address)
            let patch = PersonPatch(name: name, identityNumber: identityNumber, gender: gender, contact: contact)
            let person = try await registry.database.transaction { [today = LocalDate.today()] tx in
                try registry.updatePerson(id: id, patch, today: today, reach: .everything, actor: .commandLine, in: tx)
            }
            try CommandOutput.printJSON(person)
        }
    }

    struct Erase: FeatureCommand {
        static let configuration = CommandConfiguration(
            commandName: "erase",
            abstract: "Replace a person's identifying data with a pseudonym (cannot be undone; audited)",
            discussion: "The person's id, gender, birth year and roles stay, so counts and relations stay right."
        )
        @Argument(help: "The person's id") var id: Int

        func run(context: FeatureContext) async throws {
            let registry = try context.registry
            let person = try await registry.database.transaction { tx in try registry.erasePerson(id: id, actor: .commandLine, in: tx) }
            print("erased person \(person.id); now known as \(person.name)")
        }
    }
}

extension Gender: ExpressibleByArgument {}
extension RoleKind: ExpressibleByArgument {}
