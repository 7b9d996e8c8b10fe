public import ArgumentParser
import DataAccess
import FeatureSupport
import PluginKit

/// `kooperator registry organisation …`.
struct OrganisationCommand: FeatureCommand {
    static let configuration = CommandConfiguration(
        commandName: "organisation",
        abstract: "List, show, register and change organisations",
        subcommands: [List.self, Show.self, Add.self, Update.self, State.self]
    )

    func run(context: FeatureContext) async throws { print(Self.helpMessage()) }

    struct List: FeatureCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List organisations, by name")
        @Option(name: .customLong("search"), help: "Part of the name (case and accents ignored)") var text: String?
        @Option(help: "Only this kind") var kind: OrganisationKind?
        @Option(help: "Only this state") var state: OrganisationState?
        @Option(help: "At most this many (1–500)") var limit = 100

        func run(context: FeatureContext) async throws {
            let registry = try context.registry
            let query = OrganisationQuery(text: text, kind: kind, state: state)
            let page = try PageRequest(limit: limit)
            let found = try await registry.database.withConnection { db in
                try registry.organisations(matching: query, page: page, reach: .everything, in: db)
            }
            var table = TextTable("ID", "NAME", "ORG NUMBER", "KIND", "STATE")
            for organisation in found.items {
                table.add(
                    String(organisation.id),
                    organisation.name,
                    organisation.organisationNumber?.formatted ?? "-",
                    organisation.kind.rawValue,
                    organisation.state.rawValue
                )
            }
            print(table.rendered)
            if found.nextCursor != nil { print("(more than \(limit); narrow the search or raise --limit)") }
        }
    }

    struct Show: FeatureCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "Show an organisation as JSON")
        @Argument(help: "The organisation's id") var id: Int

        func run(context: FeatureContext) async throws {
            let registry = try context.registry
            let organisation = try await registry.database.withConnection { db in try registry.organisation(id: id, reach: .everything, in: db) }
            try CommandOutput.printJSON(organisation)
        }
    }

    struct Add: FeatureCommand {
        static let configuration = CommandConfiguration(commandName: "add", abstract: "Register an organisation; prints it as JSON")
        @Option(help: "The name") var name: String
        @Option(name: .customLong("number"), help: "The organisation number (NNNNNN-NNNN)") var organisationNumber: String?
        @Option(help: "The legal form: \(LegalForm.allCases.map(\.rawValue).joined(separator: ", "))") var legalForm: LegalForm
        @Option(help: "The kind: \(OrganisationKind.allCases.map(\.rawValue).joined(separator: ", "))") var kind: OrganisationKind
        @Option(help: "prospect (default) or active") var state: OrganisationState?

        func run(context: FeatureContext) async throws {
            let registry = try context.registry
            let draft = OrganisationDraft(name: name, organisationNumber: organisationNumber, legalForm: legalForm, kind: kind, state: state)
            let organisation = try await registry.database.transaction { tx in
                try registry.createOrganisation(draft, actor: .commandLine, in: tx)
            }
            try CommandOutput.printJSON(organisation)
        }
    }

    struct Update: FeatureCommand {
        static let configuration = CommandConfiguration(
            commandName: "update",
            abstract: "Change an organisation's details (options not given stay as they are); prints it as JSON"
        )
        @Argument(help: "The organisation's id") var id: Int
        @Option(help: "A new name") var name: String?
        @Option(name: .customLong("number"), help: "A new organisation number") var organisationNumber: String?
        @Option(help: "A new legal form") var legalForm: LegalForm?
        @Option(help: "A new kind") var kind: OrganisationKind?
        @Option(help: "A new e-mail address (replaces the contact details with those given)") var email: String?
        @Option(help: "A new telephone number") var phone: String?
        @Option(help: "A new postal address") var address: String?

        func run(context: FeatureContext) async throws {
            let registry = try context.registry
            let contact = ContactDetails.replacing(email: email, phone: phone, address: address)
            let patch = OrganisationPatch(name: name, organisationNumber: organisationNumber, legalForm: legalForm, kind: kind, contact: contact)
            let organisation = try await registry.database.transaction { tx in
                try registry.updateOrganisation(id: id, patch, reach: .everything, actor: .commandLine, in: tx)
            }
            try CommandOutput.printJSON(organisation)
        }
    }

    struct State: FeatureCommand {
        static let configuration = CommandConfiguration(
            commandName: "state",
            abstract: "Change an organisation's state (prospect → active → woundUp)"
        )
        @Argument(help: "The organisation's id") var id: Int
        @Option(help: "The new state: active or woundUp") var to: OrganisationState
        @Option(help: "The day it happened (YYYY-MM-DD; needed for woundUp)") var on: LocalDate?
        @Option(help: "Why (needed for woundUp)") var reason: String?

        func run(context: FeatureContext) async throws {
            let registry = try context.registry
            let change = OrganisationStateChange(state: to, on: on, reason: reason)
            let organisation = try await registry.database.transaction { [today = LocalDate.today()] tx in
                try registry.changeState(ofOrganisation: id, change, today: today, reach: .everything, actor: .commandLine, in: tx)
            }
            try CommandOutput.printJSON(organisation)
        }
    }
}

extension OrganisationKind: ExpressibleByArgument {}
extension OrganisationState: ExpressibleByArgument {}
extension LegalForm: ExpressibleByArgument {}
