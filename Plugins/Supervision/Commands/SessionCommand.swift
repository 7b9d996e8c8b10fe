import ArgumentParser
import DataAccess
import FeatureSupport
import PluginKit
import Registry

/// `kooperator supervision session …`.
struct SessionCommand: FeatureCommand {
    static let configuration = CommandConfiguration(
        commandName: "session",
        abstract: "Record and list supervision sessions",
        subcommands: [List.self, Add.self]
    )

    func run(context: FeatureContext) async throws { print(Self.helpMessage()) }

    struct List: FeatureCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List sessions")
        @Option(help: "Only this cooperative's") var cooperative: Int?
        @Option(help: "From this day") var from: LocalDate?
        @Option(help: "To this day") var to: LocalDate?
        @Option(help: "At most this many (1–500)") var limit = 100

        func run(context: FeatureContext) async throws {
            let store = try SupervisionStore(context: context)
            let query = SessionQuery(cooperativeId: cooperative, from: from, to: to)
            let page = try PageRequest(limit: limit)
            let found = try await store.database.withConnection { db in try store.sessions(matching: query, page: page, reach: .everything, in: db) }
            var table = TextTable("ID", "ASSIGNMENT", "COOPERATIVE", "DAY", "MINUTES", "TOPICS", "ATTENDEES")
            for s in found.items {
                table.add(
                    String(s.id),
                    String(s.assignmentId),
                    String(s.cooperativeId),
                    s.on.description,
                    String(s.minutes),
                    s.topics.map(\.rawValue).joined(separator: ","),
                    String(s.attendeeIds.count)
                )
            }
            print(table.rendered)
        }
    }

    struct Add: FeatureCommand {
        static let configuration = CommandConfiguration(commandName: "add", abstract: "Record a session; prints it as JSON")
        @Option(help: "The assignment") var assignment: Int
        @Option(help: "The day") var on: LocalDate
        @Option(help: "Duration in minutes (1–720)") var minutes: Int
        @Option(help: "A topic (repeat): \(SessionTopic.allCases.map(\.rawValue).joined(separator: ", "))") var topic: [SessionTopic] = []
        @Option(help: "An attendee, a member of the cooperative (repeat)") var attendee: [Int] = []
        @Option(help: "A goal worked on (repeat)") var goal: [Int] = []
        @Option(help: "Notes") var notes: String?

        func run(context: FeatureContext) async throws {
            let store = try SupervisionStore(context: context)
            let draft = SessionDraft(
                assignmentId: assignment,
                on: on,
                minutes: minutes,
                attendeeIds: attendee,
                topics: topic,
                actions: nil,
                goalIds: goal,
                notes: notes
            )
            let session = try await store.database.transaction { tx in try store.createSession(draft, reach: .everything, actor: .commandLine, in: tx)
            }
            try CommandOutput.printJSON(session)
        }
    }
}

extension SessionTopic: ExpressibleByArgument {}
