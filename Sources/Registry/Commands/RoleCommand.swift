import ArgumentParser
import DataAccess
import FeatureSupport
import PluginKit

/// `kooperator registry role …`.
struct RoleCommand: FeatureCommand {
    static let configuration = CommandConfiguration(
        commandName: "role",
        abstract: "Give and end people's roles in organisations",
        subcommands: [Add.self, End.self]
    )

    func run(context: FeatureContext) async throws { print(Self.helpMessage()) }

    struct Add: FeatureCommand {
        static let configuration = CommandConfiguration(commandName: "add", abstract: "Give a person a role in an organisation")
        @Option(help: "The person's id") var person: Int
        @Option(help: "The organisation's id") var organisation: Int
        @Option(help: "The role: \(RoleKind.allCases.map(\.rawValue).joined(separator: ", "))") var role: RoleKind
        @Option(help: "The first day (YYYY-MM-DD; default today)") var from: LocalDate?
        @Option(help: "The last day (YYYY-MM-DD)") var to: LocalDate?

        func run(context: FeatureContext) async throws {
            let registry = try context.registry
            let draft = RoleDraft(personId: person, organisationId: organisation, role: role, from: from ?? LocalDate.today(), to: to)
            let added = try await registry.database.transaction { tx in
                try registry.addRole(draft, reach: .everything, actor: .commandLine, in: tx)
            }
            try CommandOutput.printJSON(added)
        }
    }

    struct End: FeatureCommand {
        static let configuration = CommandConfiguration(commandName: "end", abstract: "End a role on a day")
        @Argument(help: "The role's id") var id: Int
        @Option(help: "The last day (YYYY-MM-DD; default today)") var on: LocalDate?

        func run(context: FeatureContext) async throws {
            let registry = try context.registry
            let ended = try await registry.database.transaction { [day = on ?? LocalDate.today()] tx in
                try registry.endRole(id: id, on: day, reach: .everything, actor: .commandLine, in: tx)
            }
            try CommandOutput.printJSON(ended)
        }
    }
}
