import ArgumentParser
import DataAccess
import FeatureSupport
import Foundation
import PluginKit
import Registry

/// `kooperator supervision pot …`.
struct PotCommand: FeatureCommand {
    static let configuration = CommandConfiguration(
        commandName: "pot",
        abstract: "Funding pots for a cooperative's own supervisor: add, show, spend, review",
        subcommands: [Show.self, Add.self, Spend.self, Review.self]
    )

    func run(context: FeatureContext) async throws { print(Self.helpMessage()) }

    struct Show: FeatureCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "Show a pot with what is spent and left, as JSON")
        @Argument(help: "The pot's id") var id: Int

        func run(context: FeatureContext) async throws {
            let store = try SupervisionStore(context: context)
            try CommandOutput.printJSON(
                try await store.database.withConnection { db in try store.pot(id: id, today: .today(), reach: .everything, in: db) }
            )
        }
    }

    struct Add: FeatureCommand {
        static let configuration = CommandConfiguration(commandName: "add", abstract: "Set up a funding pot; prints it as JSON")
        @Option(help: "The cooperative (registry organisation id)") var cooperative: Int
        @Option(help: "The funder (registry organisation id)") var funder: Int?
        @Option(help: "What it pays for") var purpose: String
        @Option(help: "The amount (SEK)") var amount: Decimal
        @Option(help: "Share of full time in percent") var share: Decimal
        @Option(help: "The first day") var from: LocalDate
        @Option(help: "The last day") var to: LocalDate
        @Option(help: "When to re-examine it") var reviewOn: LocalDate?

        func run(context: FeatureContext) async throws {
            let store = try SupervisionStore(context: context)
            let draft = FundingPotDraft(
                cooperativeId: cooperative,
                funderId: funder,
                purpose: purpose,
                amount: amount,
                sharePercent: share,
                from: from,
                to: to,
                reviewOn: reviewOn
            )
            let pot = try await store.database.transaction { [today = LocalDate.today()] tx in
                try store.createPot(draft, today: today, reach: .everything, actor: .commandLine, in: tx)
            }
            try CommandOutput.printJSON(pot)
        }
    }

    struct Spend: FeatureCommand {
        static let configuration = CommandConfiguration(commandName: "spend", abstract: "Record money spent from a pot")
        @Argument(help: "The pot's id") var id: Int
        @Option(help: "The amount (SEK)") var amount: Decimal
        @Option(help: "The day") var on: LocalDate
        @Option(help: "What for") var note: String

        func run(context: FeatureContext) async throws {
            let store = try SupervisionStore(context: context)
            let pot = try await store.database.transaction { [today = LocalDate.today()] tx in
                try store.spend(
                    Spending(on: on, amount: amount, note: note),
                    fromPot: id,
                    today: today,
                    reach: .everything,
                    actor: .commandLine,
                    in: tx
                )
            }
            print("pot \(pot.id): \(pot.spent) SEK spent, \(pot.remaining) SEK and \(pot.remainingMonths) month(s) left")
        }
    }

    struct Review: FeatureCommand {
        static let configuration = CommandConfiguration(commandName: "review", abstract: "Record that a pot was re-examined")
        @Argument(help: "The pot's id") var id: Int
        @Option(help: "The next review date (none when absent)") var next: LocalDate?

        func run(context: FeatureContext) async throws {
            let store = try SupervisionStore(context: context)
            let pot = try await store.database.transaction { [today = LocalDate.today()] tx in
                try store.reviewPot(id: id, next: next, today: today, reach: .everything, actor: .commandLine, in: tx)
            }
            try CommandOutput.printJSON(pot)
        }
    }
}
