package import ArgumentParser
package import DataAccess
package import FeatureSupport
package import Foundation
package import Hummingbird
package import PluginKit
package import Registry

/// A feature that lives only in the tests and proves the plugin contract: migrations, routes,
/// a command, a permission, settings and an event it publishes.
package struct NotesPlugin: FeaturePlugin {
    package static let id = "notes"
    package static let summary = "Notes (test feature)"
    package static let version = "0.1.0"

    package let maxLength: Int

    package init(settings: ConfigSection) throws {
        maxLength = settings.int("maxLength", default: 500, range: 1...10_000)
    }

    package var migrations: [Migration] {
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

    package var permissions: [Permission] { [Permission("notes.note.write", summary: "Write notes", grantedTo: [.officer])] }

    package var commands: [any FeatureCommand.Type] { [AddNote.self] }

    package struct NoteInput: Decodable {
        package var body: String
        package var slug: String?
    }

    package struct Note: ResponseCodable, Equatable {
        package var id: Int
        package var body: String
        package var slug: String?
    }

    package func addRoutes(to group: RouterGroup<AppRequestContext>, context: FeatureContext) {
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

    package static func add(_ body: String, slug: String?, context: FeatureContext) async throws -> Note {
        try await context.database.transaction { tx in
            let id: Int = try tx.query("INSERT INTO notes.notes (body, slug) VALUES (\(body), \(slug)) RETURNING id").single().decode("id")
            try context.events.publish(NoteAdded(noteID: id, body: body), in: tx)
            return Note(id: id, body: body, slug: slug)
        }
    }

    package struct AddNote: FeatureCommand {
        package static let configuration = CommandConfiguration(commandName: "add", abstract: "Add a note")
        @Option package var body: String
        package init() {}
        package func run(context: FeatureContext) async throws {
            _ = try await NotesPlugin.add(body, slug: nil, context: context)
        }
    }
}

/// Published by ``NotesPlugin`` when a note is added.
package struct NoteAdded: FeatureEvent {
    package static let name = "notes.noteAdded"
    package var noteID: Int
    package var body: String

    package init(noteID: Int, body: String) {
        self.noteID = noteID
        self.body = body
    }
}

/// A feature that depends on notes and handles its event without importing it: it decodes
/// the payload into its own type.
package struct EchoPlugin: FeaturePlugin {
    package static let id = "echo"
    package static let summary = "Echo of notes (test feature)"
    package static let version = "0.1.0"
    package static let dependencies = ["notes"]

    package let failTimes: Int

    package init(settings: ConfigSection) throws {
        failTimes = settings.int("failTimes", default: 0, range: 0...100)
    }

    package struct HandlerFailure: Error {}

    package struct Payload: Decodable {
        var noteID: Int
        package var body: String
    }

    package var migrations: [Migration] {
        [
            Migration(
                step: 1,
                name: "received",
                sql: "CREATE SCHEMA echo; CREATE TABLE echo.received (event_id bigint PRIMARY KEY, note_id bigint, body text)"
            )
        ]
    }

    package func eventSubscriptions(context: FeatureContext) throws -> [EventSubscription] {
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

    package func health(context: FeatureContext) async -> HealthStatus {
        failTimes > 0 ? .degraded("configured to fail \(failTimes) times") : .up
    }
}

/// Two features that depend on each other, for the cycle check.
package struct CycleAPlugin: FeaturePlugin {
    package static let id = "cyclea"
    package static let summary = "Cycle A"
    package static let version = "0.1.0"
    package static let dependencies = ["cycleb"]
    package init(settings: ConfigSection) throws {}
}

package struct CycleBPlugin: FeaturePlugin {
    package static let id = "cycleb"
    package static let summary = "Cycle B"
    package static let version = "0.1.0"
    package static let dependencies = ["cyclea"]
    package init(settings: ConfigSection) throws {}
}
