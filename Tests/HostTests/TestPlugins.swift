import ArgumentParser
import DataAccess
import FeatureSupport
import Foundation
import Hummingbird
import PluginKit
import Registry

/// A feature that lives only in the tests and proves the plugin contract: migrations, routes,
/// a command, a permission, settings and an event it publishes.
struct NotesPlugin: FeaturePlugin {
    static let id = "notes"
    static let summary = "Notes (test feature)"
    static let version = "0.1.0"

    let maxLength: Int

    init(settings: ConfigSection) throws {
        maxLength = settings.int("maxLength", default: 500, range: 1...10_000)
    }

    var migrations: [Migration] {
        [
            Migration(
                step: 1,
                name: "notes",
                sql: """
                    CREATE SCHEMA notes;
                    CREATE TABLE notes.notes (
                        id bigserial PRIMARY KEY,
                        body text NOT NULL CONSTRAINT body_not_empty CHECK (length(body) > 0),
                        slug text UNIQUE
                    );
                    """
            )
        ]
    }

    var permissions: [Permission] { [Permission("notes.note.write", summary: "Write notes", grantedTo: [.officer])] }

    var commands: [any FeatureCommand.Type] { [AddNote.self] }

    struct NoteInput: Decodable {
        var body: String
        var slug: String?
    }

    struct Note: ResponseCodable, Equatable {
        var id: Int
        var body: String
        var slug: String?
    }

    func addRoutes(to group: RouterGroup<AppRequestContext>, context: FeatureContext) {
        let maxLength = self.maxLength
        group.post { request, requestContext -> EditedResponse<Note> in
            let input = try await request.decodeJSON(as: NoteInput.self, context: requestContext)
            guard input.body.count <= maxLength else {
                throw FeatureError(.invalidInput, "body is longer than \(maxLength) characters", field: "/body")
            }
            let note = try await Self.add(input.body, slug: input.slug, context: context)
            return EditedResponse(status: .created, response: note)
        }
        group.get(":id") { _, requestContext -> Note in
            let id = try requestContext.parameters.require("id", as: Int.self)
            let row = try await context.database.query("SELECT id, body, slug FROM notes.notes WHERE id = \(id)").first
            guard let row else { throw FeatureError(.notFound, "no note \(id)") }
            return Note(id: try row.decode("id"), body: try row.decode("body"), slug: try row.decode("slug"))
        }
    }

    static func add(_ body: String, slug: String?, context: FeatureContext) async throws -> Note {
        try await context.database.transaction { tx in
            let id: Int = try tx.query("INSERT INTO notes.notes (body, slug) VALUES (\(body), \(slug)) RETURNING id").single().decode("id")
            try context.events.publish(NoteAdded(noteID: id, body: body), in: tx)
            return Note(id: id, body: body, slug: slug)
        }
    }

    struct AddNote: FeatureCommand {
        static let configuration = CommandConfiguration(commandName: "add", abstract: "Add a note")
        @Option var body: String
        func run(context: FeatureContext) async throws {
            _ = try await NotesPlugin.add(body, slug: nil, context: context)
        }
    }
}

/// Published by ``NotesPlugin`` when a note is added.
struct NoteAdded: FeatureEvent {
    static let name = "notes.noteAdded"
    var noteID: Int
    var body: String
}

/// A feature that depends on notes and handles its event without importing it: it decodes
/// the payload into its own type.
struct EchoPlugin: FeaturePlugin {
    static let id = "echo"
    static let summary = "Echo of notes (test feature)"
    static let version = "0.1.0"
    static let dependencies = ["notes"]

    let failTimes: Int

    init(settings: ConfigSection) throws {
        failTimes = settings.int("failTimes", default: 0, range: 0...100)
    }

    struct HandlerFailure: Error {}

    struct Payload: Decodable {
        var noteID: Int
        var body: String
    }

    var migrations: [Migration] {
        [
            Migration(
                step: 1,
                name: "received",
                sql: "CREATE SCHEMA echo; CREATE TABLE echo.received (event_id bigint PRIMARY KEY, note_id bigint, body text)"
            )
        ]
    }

    func eventSubscriptions(context: FeatureContext) throws -> [EventSubscription] {
        let failTimes = self.failTimes
        return [
            EventSubscription("notes.noteAdded") { envelope, tx in
                let payload = try envelope.decode(Payload.self)
                try tx.execute(
                    "INSERT INTO echo.received (event_id, note_id, body) VALUES (\(envelope.id), \(payload.noteID), \(payload.body)) ON CONFLICT DO NOTHING"
                )
                if envelope.previousAttempts < failTimes { throw HandlerFailure() }
            }
        ]
    }

    func health(context: FeatureContext) async -> HealthStatus {
        failTimes > 0 ? .degraded("configured to fail \(failTimes) times") : .up
    }
}

/// Two features that depend on each other, for the cycle check.
struct CycleAPlugin: FeaturePlugin {
    static let id = "cyclea"
    static let summary = "Cycle A"
    static let version = "0.1.0"
    static let dependencies = ["cycleb"]
    init(settings: ConfigSection) throws {}
}

struct CycleBPlugin: FeaturePlugin {
    static let id = "cycleb"
    static let summary = "Cycle B"
    static let version = "0.1.0"
    static let dependencies = ["cyclea"]
    init(settings: ConfigSection) throws {}
}
