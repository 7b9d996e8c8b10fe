import ArgumentParser
import DataAccess
import FeatureSupport
import Foundation
import PluginKit
import Registry

/// `kooperator partnerships agreement …`.
struct AgreementCommand: FeatureCommand {
    static let configuration = CommandConfiguration(
        commandName: "agreement",
        abstract: "List, show and record agreements and grant applications, and change their state",
        subcommands: [List.self, Show.self, Add.self, State.self]
    )

    func run(context: FeatureContext) async throws { print(Self.helpMessage()) }

    struct List: FeatureCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List agreements, oldest first")
        @Option(help: "Only of this kind") var kind: AgreementKind?
        @Option(help: "Only in this state") var state: AgreementState?
        @Option(help: "Only those this organisation is party to") var organisation: Int?
        @Flag(help: "Only those flagged for review") var flagged = false
        @Option(help: "Only those whose case number (diarienummer) contains this") var caseNumber: String?
        @Option(help: "At most this many (1–500)") var limit = 100

        func run(context: FeatureContext) async throws {
            let store = try PartnershipStore(context: context)
            let query = AgreementQuery(
                kind: kind,
                state: state,
                organisationId: organisation,
                flagged: flagged ? true : nil,
                caseNumber: caseNumber
            )
            let page = try PageRequest(limit: limit)
            let found = try await store.database.withConnection { db in try store.agreements(matching: query, page: page, reach: .everything, in: db)
            }
            var table = TextTable("ID", "CASE", "KIND", "TITLE", "PARTIES", "FROM", "TO", "STATE")
            for a in found.items {
                table.add(
                    String(a.id),
                    a.caseNumber ?? "-",
                    a.kind.rawValue,
                    a.title,
                    a.parties.map { String($0.organisationId) }.joined(separator: ","),
                    a.from.description,
                    a.to?.description ?? "-",
                    a.state.rawValue + (a.flaggedForReview ? " (flagged)" : "")
                )
            }
            print(table.rendered)
            if found.nextCursor != nil { print("(more than \(limit); narrow the list or raise --limit)") }
        }
    }

    struct Show: FeatureCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "Show an agreement as JSON")
        @Argument(help: "The agreement's id") var id: Int

        func run(context: FeatureContext) async throws {
            let store = try PartnershipStore(context: context)
            try CommandOutput.printJSON(try await store.database.withConnection { db in try store.agreement(id: id, reach: .everything, in: db) })
        }
    }

    struct Add: FeatureCommand {
        static let configuration = CommandConfiguration(
            commandName: "add",
            abstract: "Record an agreement (draft) or a grant application (applied); prints it as JSON"
        )
        @Option(help: "iop, associationGrant, frameworkAgreement or supervisionContract") var kind: AgreementKind
        @Option(help: "The title") var title: String
        @Option(help: "The purpose") var purpose: String
        @Option(name: .customLong("party"), help: "A party (registry organisation id); repeat for each") var parties: [Int]
        @Option(help: "The first day (YYYY-MM-DD)") var from: LocalDate
        @Option(help: "The last day, if known") var to: LocalDate?
        @Option(help: "The review date") var reviewOn: LocalDate?
        @Option(help: "The termination terms") var terminationTerms: String?
        @Option(help: "The party that took the initiative (an IOP: the idea-based one)") var initiatedBy: Int?
        @Option(help: "A grant's year (default: the year of --from)") var grantYear: Int?
        @Option(help: "A grant's amount applied for (SEK)") var applied: Decimal?
        @Option(help: "The case number (diarienummer), e.g. \"SN 2016/123\"") var caseNumber: String?

        func run(context: FeatureContext) async throws {
            let store = try PartnershipStore(context: context)
            let draft = AgreementDraft(
                kind: kind,
                caseNumber: caseNumber,
                title: title,
                purpose: purpose,
                partyIds: parties,
                from: from,
                to: to,
                reviewOn: reviewOn,
                terminationTerms: terminationTerms,
                initiatedById: initiatedBy,
                grantYear: grantYear,
                appliedAmount: applied
            )
            let agreement = try await store.database.transaction { tx in
                try store.createAgreement(draft, reach: .everything, actor: .commandLine, in: tx)
            }
            try CommandOutput.printJSON(agreement)
        }
    }

    struct State: FeatureCommand {
        static let configuration = CommandConfiguration(
            commandName: "state",
            abstract: "Change an agreement's state (draft → legalCheck → signed → active → evaluated → …; applied → inReview → granted → …)"
        )
        @Argument(help: "The agreement's id") var id: Int
        @Option(help: "The new state") var to: AgreementState
        @Option(help: "The day (default today)") var on: LocalDate?
        @Option(help: "A comment") var comment: String?
        @Option(help: "A grant decision's amount granted") var granted: Decimal?
        @Option(help: "A grant decision's conditions") var conditions: String?
        @Option(help: "A grant decision's own report due date (default 31 March of the following year)") var reportDueOn: LocalDate?
        @Option(help: "A repayment claim's or repayment's amount") var amount: Decimal?
        @Option(help: "A repayment claim's reason") var reason: String?

        func run(context: FeatureContext) async throws {
            let store = try PartnershipStore(context: context)
            let change = AgreementStateChange(
                state: to,
                on: on,
                comment: comment,
                grantedAmount: granted,
                conditions: conditions,
                reportDueOn: reportDueOn,
                amount: amount,
                reason: reason
            )
            let agreement = try await store.database.transaction { [today = LocalDate.today()] tx in
                try store.changeState(ofAgreement: id, change, today: today, reach: .everything, actor: .commandLine, in: tx)
            }
            try CommandOutput.printJSON(agreement)
        }
    }
}

extension AgreementKind: ExpressibleByArgument {}
extension AgreementState: ExpressibleByArgument {}
