import ArgumentParser
import DataAccess
import FeatureSupport
import Foundation
import PluginKit
import Registry

/// `kooperator partnerships grant show|pay|report`.
struct GrantCommand: FeatureCommand {
    static let configuration = CommandConfiguration(
        commandName: "grant",
        abstract: "A grant's money: show it, record payments and the follow-up report",
        subcommands: [Show.self, Pay.self, Report.self]
    )

    func run(context: FeatureContext) async throws { print(Self.helpMessage()) }

    struct Show: FeatureCommand {
        static let configuration = CommandConfiguration(
            commandName: "show",
            abstract: "Show a grant's decision, payments, reports and claims as JSON"
        )
        @Argument(help: "The grant's id") var id: Int

        func run(context: FeatureContext) async throws {
            let store = try PartnershipStore(context: context)
            try CommandOutput.printJSON(try await store.database.withConnection { db in try store.grantAccount(id: id, reach: .everything, in: db) })
        }
    }

    struct Pay: FeatureCommand {
        static let configuration = CommandConfiguration(commandName: "pay", abstract: "Plan (--planned-on) or make (--paid-on) a payment")
        @Argument(help: "The grant's id") var id: Int
        @Option(help: "The amount (SEK)") var amount: Decimal
        @Option(help: "The day it is planned for") var plannedOn: LocalDate?
        @Option(help: "The day it was paid") var paidOn: LocalDate?
        @Option(help: "A note") var note: String?

        func run(context: FeatureContext) async throws {
            let store = try PartnershipStore(context: context)
            let draft = PaymentDraft(amount: amount, plannedOn: plannedOn, paidOn: paidOn, note: note)
            let payment = try await store.database.transaction { tx in
                try store.addPayment(draft, toGrant: id, reach: .everything, actor: .commandLine, in: tx)
            }
            try CommandOutput.printJSON(payment)
        }
    }

    struct Report: FeatureCommand {
        static let configuration = CommandConfiguration(commandName: "report", abstract: "Record a paid grant's follow-up report")
        @Argument(help: "The grant's id") var id: Int
        @Option(help: "The day it was submitted (default today)") var on: LocalDate?
        @Option(help: "What it says") var summary: String
        @Option(help: "The amount of the grant used (SEK); the rest is proposed for a repayment claim") var used: Decimal?

        func run(context: FeatureContext) async throws {
            let store = try PartnershipStore(context: context)
            let report = GrantReport(submittedOn: on ?? .today(), summary: summary, usedAmount: used)
            let stored = try await store.database.transaction { tx in
                try store.submitReport(report, forGrant: id, reach: .everything, actor: .commandLine, in: tx)
            }
            try CommandOutput.printJSON(stored)
        }
    }
}
