import ArgumentParser
import DataAccess
import FeatureSupport
import PluginKit
import Registry

/// `kooperator education circle …`.
struct CircleCommand: FeatureCommand {
    static let configuration = CommandConfiguration(
        commandName: "circle",
        abstract: "Plan circles, enrol people, record meetings and attendance, change state",
        subcommands: [List.self, Show.self, Add.self, Enrol.self, Meeting.self, Attendance.self, State.self]
    )

    func run(context: FeatureContext) async throws { print(Self.helpMessage()) }

    struct List: FeatureCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List circles")
        @Option(help: "Only this study association's") var studyAssociation: Int?
        @Option(help: "Only in this state") var state: CircleState?
        @Option(help: "At most this many (1–500)") var limit = 100

        func run(context: FeatureContext) async throws {
            let store = try EducationStore(context: context)
            let page = try PageRequest(limit: limit)
            let found = try await store.database.withConnection { db in
                try store.circles(matching: CircleQuery(studyAssociationId: studyAssociation, state: state), page: page, reach: .everything, in: db)
            }
            var table = TextTable("ID", "SUBJECT", "ASSOCIATION", "LEADER", "START", "END", "STATE")
            for c in found.items {
                table.add(
                    String(c.id),
                    c.subject,
                    String(c.studyAssociationId),
                    String(c.leaderId),
                    c.plannedStart.description,
                    c.plannedEnd.description,
                    c.state.rawValue
                )
            }
            print(table.rendered)
        }
    }

    struct Show: FeatureCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "Show a circle with its meetings as JSON")
        @Argument(help: "The circle's id") var id: Int

        func run(context: FeatureContext) async throws {
            let store = try EducationStore(context: context)
            let (circle, meetings) = try await store.database.withConnection { db in
                (try store.circle(id: id, reach: .everything, in: db), try store.meetings(ofCircle: id, reach: .everything, in: db))
            }
            try CommandOutput.printJSON(circle)
            try CommandOutput.printJSON(meetings)
        }
    }

    struct Add: FeatureCommand {
        static let configuration = CommandConfiguration(commandName: "add", abstract: "Plan a circle; prints it as JSON")
        @Option(help: "The study association (registry organisation id)") var studyAssociation: Int
        @Option(help: "The leader (registry person id)") var leader: Int
        @Option(help: "The assisting supervisor (registry person id)") var assistant: Int?
        @Option(help: "The subject") var subject: String
        @Option(help: "The study plan") var plan: String?
        @Option(help: "The cooperative it aims to form (registry organisation id)") var aims: Int?
        @Option(help: "Planned first day") var start: LocalDate
        @Option(help: "Planned last day") var end: LocalDate

        func run(context: FeatureContext) async throws {
            let store = try EducationStore(context: context)
            let draft = CircleDraft(
                studyAssociationId: studyAssociation,
                leaderId: leader,
                assistantId: assistant,
                subject: subject,
                studyPlan: plan,
                aimsCooperativeId: aims,
                plannedStart: start,
                plannedEnd: end
            )
            try CommandOutput.printJSON(try await store.database.transaction { tx in try store.createCircle(draft, actor: .commandLine, in: tx) })
        }
    }

    struct Enrol: FeatureCommand {
        static let configuration = CommandConfiguration(commandName: "enrol", abstract: "Enrol a person in a circle")
        @Argument(help: "The circle's id") var id: Int
        @Option(help: "The person (registry person id)") var person: Int

        func run(context: FeatureContext) async throws {
            let store = try EducationStore(context: context)
            let enrolled = try await store.database.transaction { [today = LocalDate.today()] tx in
                try store.enrol(EnrolmentDraft(personId: person), inCircle: id, today: today, reach: .everything, actor: .commandLine, in: tx)
            }
            print("circle \(id): \(enrolled.count) enrolled")
        }
    }

    struct Meeting: FeatureCommand {
        static let configuration = CommandConfiguration(commandName: "meeting", abstract: "Record a meeting; prints it as JSON")
        @Argument(help: "The circle's id") var id: Int
        @Option(help: "Local start time, YYYY-MM-DDTHH:MM") var start: String
        @Option(help: "Length in minutes (1–720)") var minutes: Int

        func run(context: FeatureContext) async throws {
            let store = try EducationStore(context: context)
            let meeting = try await store.database.transaction { tx in
                try store.addMeeting(MeetingDraft(startsAt: start, minutes: minutes), toCircle: id, reach: .everything, actor: .commandLine, in: tx)
            }
            try CommandOutput.printJSON(meeting)
        }
    }

    struct Attendance: FeatureCommand {
        static let configuration = CommandConfiguration(commandName: "attendance", abstract: "Record who was present at a meeting")
        @Argument(help: "The meeting's id") var meeting: Int
        @Option(help: "A person present (repeat); every other enrolled person is absent") var present: [Int] = []

        func run(context: FeatureContext) async throws {
            let store = try EducationStore(context: context)
            let recorded = try await store.database.transaction { tx in
                try store.recordAttendance(AttendanceDraft(presentIds: present), atMeeting: meeting, reach: .everything, actor: .commandLine, in: tx)
            }
            print("meeting \(meeting): \(recorded.presentIds.count) present, \(recorded.absentIds.count) absent, \(recorded.studyHours) study hours")
        }
    }

    struct State: FeatureCommand {
        static let configuration = CommandConfiguration(commandName: "state", abstract: "Change a circle's state")
        @Argument(help: "The circle's id") var id: Int
        @Option(help: "The new state") var to: CircleState
        @Option(help: "Why (needed for rejected)") var reason: String?
        @Option(help: "Report although a rule fails, for this reason") var override: String?
        @Option(help: "On completion: the name of the cooperative the circle formed") var formed: String?
        @Option(help: "On completion: the registry id of the cooperative it formed") var formedId: Int?
        @Option(help: "The day (default today)") var on: LocalDate?

        func run(context: FeatureContext) async throws {
            let store = try EducationStore(context: context)
            let change = CircleStateChange(
                state: to,
                reason: reason,
                overrideReason: override,
                formedCooperative: formed,
                formedCooperativeId: formedId,
                on: on
            )
            let circle = try await store.database.transaction { [today = LocalDate.today()] tx in
                try store.changeState(ofCircle: id, change, mayOverride: true, today: today, reach: .everything, actor: .commandLine, in: tx)
            }
            try CommandOutput.printJSON(circle)
        }
    }
}

extension CircleState: ExpressibleByArgument {}
