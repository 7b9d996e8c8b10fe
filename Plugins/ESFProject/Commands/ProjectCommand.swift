import ArgumentParser
import DataAccess
import FeatureSupport
import Foundation
import PluginKit
import Registry

/// `kooperator esf project …`.
struct ProjectCommand: FeatureCommand {
    static let configuration = CommandConfiguration(
        commandName: "project",
        abstract: "ESF projects: add, show, state, progress",
        subcommands: [Show.self, Add.self, State.self, Progress.self]
    )

    func run(context: FeatureContext) async throws { print(Self.helpMessage()) }

    struct Show: FeatureCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "Show a project as JSON")
        @Argument(help: "The project's id") var id: Int

        func run(context: FeatureContext) async throws {
            let store = try ESFStore(context: context)
            try CommandOutput.printJSON(try await store.database.withConnection { db in try store.project(id: id, in: db) })
        }
    }

    struct Add: FeatureCommand {
        static let configuration = CommandConfiguration(commandName: "add", abstract: "Record an applied-for project; prints it as JSON")
        @Option(help: "The case number (diarienummer)") var caseNumber: String
        @Option(help: "The project's name") var name: String
        @Option(help: "The owner (registry organisation id)") var owner: Int
        @Option(help: "The first day") var from: LocalDate
        @Option(help: "The last day") var to: LocalDate
        @Option(help: "The programme area") var programmeArea: String
        @Option(help: "The EU share in percent (default: features.esf.defaultEUSharePercent)") var euShare: Decimal?
        @Option(help: "The jobs target") var jobsTarget: Int?
        @Option(help: "The day the jobs target is for") var jobsTargetOn: LocalDate?

        func run(context: FeatureContext) async throws {
            let store = try ESFStore(context: context)
            let draft = ProjectDraft(
                caseNumber: caseNumber,
                name: name,
                ownerId: owner,
                from: from,
                to: to,
                programmeArea: programmeArea,
                euSharePercent: euShare,
                jobsTarget: jobsTarget,
                jobsTargetOn: jobsTargetOn
            )
            let project = try await store.database.transaction { tx in try store.createProject(draft, reach: .everything, actor: .commandLine, in: tx)
            }
            try CommandOutput.printJSON(project)
        }
    }

    struct State: FeatureCommand {
        static let configuration = CommandConfiguration(
            commandName: "state",
            abstract: "Move a project one step (applied → granted → running → closing → closed)"
        )
        @Argument(help: "The project's id") var id: Int
        @Argument(help: "The new state") var state: ProjectState

        func run(context: FeatureContext) async throws {
            let store = try ESFStore(context: context)
            let project = try await store.database.transaction { tx in try store.changeState(ofProject: id, to: state, actor: .commandLine, in: tx) }
            print("project \(project.id) (\(project.caseNumber)) is \(project.state.rawValue)")
        }
    }

    struct Progress: FeatureCommand {
        static let configuration = CommandConfiguration(commandName: "progress", abstract: "Jobs toward the target, with the projection")
        @Argument(help: "The project's id") var id: Int
        @Option(help: "The day (default today)") var asOf: LocalDate?

        func run(context: FeatureContext) async throws {
            let store = try ESFStore(context: context)
            let progress = try await store.database.withConnection { [asOf = asOf ?? .today()] db in
                try store.progress(ofProject: id, asOf: asOf, in: db)
            }
            let target = progress.target.map { " of \($0) by \(progress.targetOn?.description ?? "")" } ?? ""
            print("\(progress.jobs) jobs\(target) on \(progress.asOf)")
            if let projected = progress.projected, let onTrack = progress.onTrack {
                print("projected: \(projected) — \(onTrack ? "on track" : "not on track")")
            }
            for employer in progress.byEmployer { print("  \(employer.employer): \(employer.jobs)") }
        }
    }
}

extension ProjectState: ExpressibleByArgument {}
