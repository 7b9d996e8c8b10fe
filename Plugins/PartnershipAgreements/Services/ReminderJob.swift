import DataAccess
import Logging
import PluginKit
import ServiceLifecycle

/// Raises the partnership reminders once a day: it looks every hour, and the first look on a
/// new day (on any host) raises that day's reminders. Ends on graceful shutdown.
struct ReminderJob: Service {
    let store: PartnershipStore
    let logger: Logger
    var interval: Duration = .seconds(3600)

    func run() async throws {
        while !Task.isShuttingDownGracefully {
            await raiseToday()
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
            } catch {
                return
            }
        }
    }

    func raiseToday() async {
        let store = self.store
        let today = LocalDate.today()
        do {
            if let raised = try await store.database.transaction({ tx in try store.raiseReminders(on: today, in: tx) }) {
                logger.notice("partnership reminders raised", metadata: ["day": "\(today)", "raised": "\(raised)"])
            }
        } catch {
            // A database outage is retried at the next look; the day is not claimed until it works.
            logger.warning("partnership reminders not raised", metadata: ["day": "\(today)", "error": "\(error)"])
        }
    }
}
