import DataAccess
import FeatureSupport
import Foundation
import PageKit
import PluginKit

/// Puts the reminders queued for each person (``ReminderQueue``) into one digest a day, in the
/// person's language, with a link to each record, as a row of `kernel.mail_outbox` for
/// ``MailOutbox`` to send.
///
/// Several hosts may write at once: each takes the queued reminders with `FOR UPDATE SKIP
/// LOCKED`, and the outbox keeps one digest per person and day (a unique key), so a reminder
/// queued after the day's digest was written waits for the next day's. Reminders queued for a
/// person who has since turned the digest off, lost the address or been disabled are dropped.
struct DigestWriter: Sendable {
    /// The outbox's kind of message.
    static let kind = "reminderDigest"

    let settings: MailSettings
    /// The host's texts (`mailDigest…` in `Resources/strings.json`).
    let texts: StringCatalogue

    /// A writer with the host's texts.
    ///
    /// - Throws: ``PageSetupError`` when the host's texts cannot be read.
    init(settings: MailSettings) throws {
        self.settings = settings
        texts = try StringCatalogue(contentsOf: try PageTemplates.resources(of: .module).appendingPathComponent("strings.json"))
    }

    /// One queued reminder.
    struct Item {
        let id: Int
        let notice: ReminderNotice
    }

    /// The person a digest goes to.
    struct Reader {
        let userID: Int
        let displayName: String
        let email: String?
        let language: Language
        let wantsDigest: Bool
    }

    /// Writes the digest of `day` for everyone with reminders queued.
    ///
    /// - Returns: How many digests were written.
    @discardableResult
    func write(on day: LocalDate, in tx: Transaction) throws -> Int {
        let rows = try tx.query(
            """
            SELECT q.id, q.notice, u.id AS user_id, u.display_name, u.email, u.language,
                   u.reminder_digest AND u.disabled_at IS NULL AS wants_digest
            FROM kernel.mail_reminders q JOIN kernel.users u ON u.id = q.user_id
            WHERE q.digest_id IS NULL
            ORDER BY q.user_id, q.id
            FOR UPDATE OF q SKIP LOCKED
            """
        )
        var queued: [(reader: Reader, items: [Item])] = []
        for row in rows {
            let item = Item(id: try row.decode("id"), notice: try row.decode("notice", as: JSONB<ReminderNotice>.self).value)
            let userID: Int = try row.decode("user_id")
            if let last = queued.indices.last, queued[last].reader.userID == userID {
                queued[last].items.append(item)
                continue
            }
            let reader = Reader(
                userID: userID,
                displayName: try row.decode("display_name"),
                email: try row.decode("email"),
                language: Language(code: try row.decode("language")),
                wantsDigest: try row.decode("wants_digest")
            )
            queued.append((reader, [item]))
        }
        var written = 0
        for (reader, items) in queued {
            let ids = items.map(\.id)
            guard reader.wantsDigest, let email = reader.email else {
                try tx.execute("DELETE FROM kernel.mail_reminders WHERE id = ANY(\(ids))")
                continue
            }
            let (subject, body) = compose(items.map(\.notice), for: reader, on: day)
            guard
                let digest = try tx.queryFirst(
                    """
                    INSERT INTO kernel.mail_outbox (user_id, kind, day, recipient, subject, body)
                    VALUES (\(reader.userID), \(Self.kind), \(day), \(email), \(subject), \(body))
                    ON CONFLICT (user_id, kind, day) DO NOTHING RETURNING id
                    """
                )
            else { continue }
            try tx.execute("UPDATE kernel.mail_reminders SET digest_id = \(try digest.decode("id", as: Int.self)) WHERE id = ANY(\(ids))")
            written += 1
        }
        return written
    }

    /// The digest's subject and text in the reader's language: overdue reminders first, then by
    /// the day they are due, each with its record's link.
    func compose(_ notices: [ReminderNotice], for reader: Reader, on day: LocalDate) -> (subject: String, body: String) {
        let language = reader.language
        func text(_ key: String, _ values: [String: String] = [:]) -> String { Wording(key, values).filling(texts.text(key, language)) }
        let sorted = notices.sorted { ($0.overdue ? 0 : 1, $0.due, $0.path) < ($1.overdue ? 0 : 1, $1.due, $1.path) }
        var lines = [text("mailDigestGreeting", ["name": reader.displayName]), "", text("mailDigestIntro", ["day": day.description]), ""]
        for notice in sorted {
            let what = notice.text[language.rawValue] ?? notice.text[Language.sv.rawValue] ?? notice.kind
            let when = text(notice.overdue ? "mailDigestOverdue" : "mailDigestDue", ["due": notice.due.description])
            lines.append("- \(what): \(when)")
            lines.append("  \(settings.baseURL)\(notice.path)")
        }
        lines += ["", text("mailDigestFooter", ["link": settings.baseURL + AdminPages.settingsPath])]
        let subject = text("mailDigestSubject", ["day": day.description, "count": String(notices.count)])
        return (subject, lines.joined(separator: "\n"))
    }
}
