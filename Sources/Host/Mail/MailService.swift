import DataAccess
import Foundation
import Logging
import ServiceLifecycle

/// The host's mail, a service of its one `ServiceGroup`: every `mail.pollIntervalSeconds` it
/// writes the day's reminder digests (from `mail.digestHour` on, Swedish time, so the features' reminder jobs
/// of the day have run) and sends what the outbox holds. Ends on graceful shutdown, after the
/// message it is sending.
struct MailService: Service {
    let database: Database
    let settings: MailSettings
    let writer: DigestWriter
    let outbox: MailOutbox
    let logger: Logger

    /// - Throws: ``PageSetupError`` when the host's texts cannot be read.
    init(database: Database, settings: MailSettings, logger: Logger) throws {
        self.database = database
        self.settings = settings
        self.logger = logger
        writer = try DigestWriter(settings: settings)
        outbox = MailOutbox(
            database: database,
            settings: settings,
            transport: MailTransport(transport: settings.transport, logger: logger),
            logger: logger
        )
    }

    func run() async throws {
        while !Task.isShuttingDownGracefully {
            await look(at: Date())
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: settings.pollInterval) }
            } catch {
                return
            }
        }
    }

    /// One look: the day's digests once the digest hour has come, then whatever is due to be sent.
    func look(at now: Date) async {
        do {
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = LocalDate.defaultTimeZone
            if calendar.component(.hour, from: now) >= settings.digestHour {
                let day = LocalDate(containing: now)
                let written = try await database.transaction { tx in try writer.write(on: day, in: tx) }
                if written > 0 { logger.notice("reminder digests written", metadata: ["day": "\(day)", "digests": "\(written)"]) }
            }
            try await outbox.sendDue()
        } catch {
            // A database outage is tried again at the next look.
            logger.warning("mail not done: \(error)")
        }
    }
}
