import ArgumentParser
import DataAccess
import FeatureSupport
import PluginKit
import Registry

/// `kooperator supervision goal …`.
struct GoalCommand: FeatureCommand {
    static let configuration = CommandConfiguration(
        commandName: "goal",
        abstract: "Open development goals and change their state (open → inProgress → met | dropped)",
        subcommands: [Add.self, State.self]
    )

    func run(context: FeatureContext) async throws { print(Self.helpMessage()) }

    struct Add: FeatureCommand {
        static let configuration = CommandConfiguration(commandName: "add", abstract: "Open a goal; prints it as JSON")
        @Option(help: "The cooperative") var cooperative: Int
        @Option(help: "The member it is about (absent: the cooperative's own)") var person: Int?
        @Option(help: "The goal") var title: String

        func run(context: FeatureContext) async throws {
            let store = try SupervisionStore(context: context)
            let draft = GoalDraft(cooperativeId: cooperative, personId: person, title: title)
            let goal = try await store.database.transaction { [today = LocalDate.today()] tx in
                try store.createGoal(draft, today: today, reach: .everything, actor: .commandLine, in: tx)
            }
            try CommandOutput.printJSON(goal)
        }
    }

    struct State: FeatureCommand {
        static let configuration = CommandConfiguration(commandName: "state", abstract: "Change a goal's state")
        @Argument(help: "The goal's id") var id: Int
        @Option(help: "The new state") var to: GoalState
        @Option(help: "The day (default today)") var on: LocalDate?

        func run(context: FeatureContext) async throws {
            let store = try SupervisionStore(context: context)
            let goal = try await store.database.transaction { [today = LocalDate.today()] tx in
                try store.changeState(ofGoal: id, GoalStateChange(state: to, on: on), today: today, reach: .everything, actor: .commandLine, in: tx)
            }
            try CommandOutput.printJSON(goal)
        }
    }
}

extension GoalState: ExpressibleByArgument {}
