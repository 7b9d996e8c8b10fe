public import ArgumentParser
public import DataAccess
public import PluginKit

/// A feature store whose daily job raises reminders (reviews, reports and ends coming due) and
/// keeps those it raised, for ``RemindersCommand``.
public protocol ReminderKeeping: Sendable {
    /// What the store keeps of a reminder it raised.
    associatedtype Raised: RaisedReminder

    /// The feature's store in the command's context.
    static func make(context: FeatureContext) throws -> Self

    /// The pool the store reads and writes through.
    var database: Database { get }

    /// Raises the reminders of `day` in `transaction`.
    ///
    /// - Returns: How many were raised, or `nil` when `day`'s reminders were raised before.
    func raiseReminders(on day: LocalDate, in transaction: Transaction) throws -> Int?

    /// The reminders raised so far, newest first, with no reach applied (the operator's view).
    func raisedReminders(page: PageRequest, in executor: some SQLExecutor) throws -> Page<Raised>
}

/// A reminder as ``RemindersCommand`` lists it.
public protocol RaisedReminder: Sendable, Codable {
    /// The day the daily job raised it.
    var raisedOn: LocalDate { get }
    /// What is coming due (`review`, `report`, …).
    var kind: String { get }
    /// The day it is due.
    var due: LocalDate { get }
    /// The reminder's text.
    var message: String { get }
}

/// `kooperator <feature> reminders [--raise] [--limit N]`: lists the reminders a feature's daily
/// job raised and, with `--raise`, raises today's first (as the job does; a second time does
/// nothing). One command for every feature whose store is ``ReminderKeeping``.
public struct RemindersCommand<Store: ReminderKeeping>: FeatureCommand {
    /// `reminders`.
    public static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "reminders", abstract: "Show raised reminders; --raise raises today's now")
    }

    @Flag(help: "Raise today's reminders now (as the daily job does)") var raise = false
    @Option(help: "At most this many (1–500)") var limit = 50

    /// An empty command, as the argument parser needs.
    public init() {}

    /// Raises today's reminders when asked, then prints the raised ones as a table.
    public func run(context: FeatureContext) async throws {
        let store = try Store.make(context: context)
        if raise {
            let today = LocalDate.today()
            let raised = try await store.database.transaction { tx in try store.raiseReminders(on: today, in: tx) }
            print(raised.map { "raised \($0) reminder(s) for \(today)" } ?? "today's reminders were already raised")
        }
        let page = try PageRequest(limit: limit)
        let found = try await store.database.withConnection { db in try store.raisedReminders(page: page, in: db) }
        var table = TextTable("RAISED", "KIND", "DUE", "MESSAGE")
        for reminder in found.items { table.add(reminder.raisedOn.description, reminder.kind, reminder.due.description, reminder.message) }
        print(table.rendered)
    }
}
