import ArgumentParser
import DataAccess
import FeatureSupport
import PluginKit
import Registry

/// `kooperator partnerships reminders [--raise]`.
struct RemindersCommand: FeatureCommand {
    static let configuration = CommandConfiguration(commandName: "reminders", abstract: "Show raised reminders; --raise raises today's now")
    @Flag(help: "Raise today's reminders now (as the daily job does)") var raise = false
    @Option(help: "At most this many (1–500)") var limit = 50

    func run(context: FeatureContext) async throws {
        let store = try PartnershipStore(context: context)
        if raise {
            let today = LocalDate.today()
            let raised = try await store.database.transaction { tx in try store.raiseReminders(on: today, in: tx) }
            print(raised.map { "raised \($0) reminder(s) for \(today)" } ?? "today's reminders were already raised")
        }
        let page = try PageRequest(limit: limit)
        let found = try await store.database.withConnection { db in try store.reminders(page: page, reach: .everything, in: db) }
        var table = TextTable("RAISED", "KIND", "DUE", "MESSAGE")
        for reminder in found.items { table.add(reminder.raisedOn.description, reminder.kind, reminder.due.description, reminder.message) }
        print(table.rendered)
    }
}
