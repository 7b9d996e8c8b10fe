import DataAccess
import Logging
import PluginKit
import ServiceLifecycle

/// Raises the monthly-report reminders once a day: it looks every hour, and the first look on
/// a new day (on any host) raises that day's. Ends on graceful shutdown.
struct ReminderJob: Service {
    let store: ESFStore
    let logger: Logger
    var interval: Duration = .seconds(3600)

    func run() async throws {
        while !Task.isShuttingDownGracefully {
            let store = self.store
            let today = LocalDate.today()
            do {
                if let raised = try await store.database.transaction({ tx in try store.raiseReminders(on: today, in: tx) }) {
                    logger.notice("esf reminders raised", metadata: ["day": "\(today)", "raised": "\(raised)"])
                }
            } catch {
                logger.warning("esf reminders not raised", metadata: ["day": "\(today)", "error": "\(error)"])
            }
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
            } catch {
                return
            }
        }
    }
}
