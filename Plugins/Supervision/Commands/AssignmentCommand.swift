import ArgumentParser
import DataAccess
import FeatureSupport
import Foundation
import PluginKit
import Registry

/// `kooperator supervision assignment …`.
struct AssignmentCommand: FeatureCommand {
    static let configuration = CommandConfiguration(
        commandName: "assignment",
        abstract: "List, show, record assignments and change their state",
        subcommands: [List.self, Show.self, Add.self, State.self]
    )

    func run(context: FeatureContext) async throws { print(Self.helpMessage()) }

    struct List: FeatureCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List assignments, oldest first")
        @Option(help: "Only this cooperative's") var cooperative: Int?
        @Option(help: "Only this provider's") var provider: Int?
        @Option(help: "Only in this state") var state: AssignmentState?
        @Option(help: "At most this many (1–500)") var limit = 100

        func run(context: FeatureContext) async throws {
            let store = try SupervisionStore(context: context)
            let query = AssignmentQuery(cooperativeId: cooperative, providerId: provider, state: state)
            let page = try PageRequest(limit: limit)
            let found = try await store.database.withConnection { db in try store.assignments(matching: query, page: page, reach: .everything, in: db)
            }
            var table = TextTable("ID", "COOPERATIVE", "PROVIDER", "SUPERVISOR", "SHARE %", "FROM", "TO", "STATE")
            for a in found.items {
                table.add(
                    String(a.id),
                    String(a.cooperativeId),
                    String(a.providerId),
                    String(a.supervisorId),
                    "\(a.sharePercent)",
                    a.from.description,
                    a.to?.description ?? "-",
                    a.state.rawValue
                )
            }
            print(table.rendered)
            if found.nextCursor != nil { print("(more than \(limit); narrow the list or raise --limit)") }
        }
    }

    struct Show: FeatureCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "Show an assignment as JSON")
        @Argument(help: "The assignment's id") var id: Int

        func run(context: FeatureContext) async throws {
            let store = try SupervisionStore(context: context)
            try CommandOutput.printJSON(try await store.database.withConnection { db in try store.assignment(id: id, reach: .everything, in: db) })
        }
    }

    struct Add: FeatureCommand {
        static let configuration = CommandConfiguration(commandName: "add", abstract: "Record an assignment; prints it as JSON")
        @Option(help: "The cooperative (registry organisation id)") var cooperative: Int
        @Option(help: "The provider organisation (registry organisation id)") var provider: Int
        @Option(help: "The supervisor (registry person id)") var supervisor: Int
        @Option(help: "Share of full time in percent, e.g. 50") var share: Decimal
        @Option(help: "The first day (YYYY-MM-DD)") var from: LocalDate
        @Option(help: "The last day, if known") var to: LocalDate?
        @Option(help: "Who pays, in words") var funding: String
        @Option(help: "The funding pot it is paid from") var pot: Int?
        @Option(help: "The review date") var reviewOn: LocalDate?
        @Option(help: "Agreed supervision hours per month") var targetHours: Decimal?
        @Flag(help: "Record it as active (default: proposed)") var active = false

        func run(context: FeatureContext) async throws {
            let store = try SupervisionStore(context: context)
            let draft = AssignmentDraft(
                cooperativeId: cooperative,
                providerId: provider,
                supervisorId: supervisor,
                sharePercent: share,
                from: from,
                to: to,
                fundingSource: funding,
                potId: pot,
                reviewOn: reviewOn,
                targetHoursPerMonth: targetHours,
                state: active ? .active : .proposed
            )
            let assignment = try await store.database.transaction { tx in
                try store.createAssignment(draft, reach: .everything, actor: .commandLine, in: tx)
            }
            try CommandOutput.printJSON(assignment)
        }
    }

    struct State: FeatureCommand {
        static let configuration = CommandConfiguration(
            commandName: "state",
            abstract: "Change an assignment's state (proposed → active → underReview → renewed | ended)"
        )
        @Argument(help: "The assignment's id") var id: Int
        @Option(help: "The new state") var to: AssignmentState
        @Option(help: "The day (the last day for ended; default today)") var on: LocalDate?
        @Option(help: "Why") var reason: String?
        @Option(help: "A renewal's new last day") var until: LocalDate?
        @Option(help: "A renewal's next review date") var reviewOn: LocalDate?

        func run(context: FeatureContext) async throws {
            let store = try SupervisionStore(context: context)
            let change = AssignmentStateChange(state: to, on: on, reason: reason, to: until, reviewOn: reviewOn)
            let assignment = try await store.database.transaction { [today = LocalDate.today()] tx in
                try store.changeState(ofAssignment: id, change, today: today, reach: .everything, actor: .commandLine, in: tx)
            }
            try CommandOutput.printJSON(assignment)
        }
    }
}

extension AssignmentState: ExpressibleByArgument {}
