public import DataAccess
public import Logging
public import ServiceLifecycle

/// A feature's once-a-day work, such as raising reminders, as a `Service` for the host's
/// `ServiceGroup`: it looks every ``interval`` (an hour), and each look runs the work for today in
/// one transaction. The work claims its day itself (for example by inserting it into a table of
/// runs with `ON CONFLICT DO NOTHING`), so that only the first look on any host does anything, and
/// returns how many items it produced, or `nil` when the day was done already. A failure (a
/// database outage) is logged and tried again at the next look. Ends on graceful shutdown.
///
/// ```swift
/// public func services(context: FeatureContext) throws -> [any Service] {
///     let store = try SupervisionStore(context: context)
///     return [
///         DailyJob("supervision reminders", database: context.database, logger: context.logger) { day, tx in
///             try store.raiseReminders(on: day, in: tx)
///         }
///     ]
/// }
/// ```
public struct DailyJob: Service {
    /// What the job does, for its log lines (e.g. `supervision reminders`).
    public let name: String
    /// How long to wait between looks.
    public var interval: Duration
    let database: Database
    let logger: Logger
    let work: @Sendable (LocalDate, Transaction) throws -> Int?

    /// Creates the job.
    ///
    /// - Parameters:
    ///   - name: What the job does, for its log lines.
    ///   - database: The pool the work's transaction comes from.
    ///   - logger: The feature's logger.
    ///   - interval: How long to wait between looks (an hour).
    ///   - work: The day's work in a transaction: the number of items produced, or `nil` when the
    ///     day was done already.
    public init(
        _ name: String,
        database: Database,
        logger: Logger,
        interval: Duration = .seconds(3600),
        work: @escaping @Sendable (LocalDate, Transaction) throws -> Int?
    ) {
        self.name = name
        self.interval = interval
        self.database = database
        self.logger = logger
        self.work = work
    }

    /// Looks every ``interval`` until graceful shutdown.
    public func run() async throws {
        while !Task.isShuttingDownGracefully {
            await runToday()
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
            } catch {
                return
            }
        }
    }

    /// Runs the work for today once, logging what it did or why it failed.
    public func runToday() async {
        let today = LocalDate.today()
        let work = self.work
        do {
            if let done = try await database.transaction({ tx in try work(today, tx) }) {
                logger.notice("\(name) raised", metadata: ["day": "\(today)", "raised": "\(done)"])
            }
        } catch {
            // A database outage is retried at the next look; the day is not claimed until it works.
            logger.warning("\(name) not raised", metadata: ["day": "\(today)", "error": "\(error)"])
        }
    }
}
