import DataAccess
import PageKit
import PluginKit

/// A user's own settings: where the daily reminder digest goes, in which language, and whether
/// it is sent at all (the settings page, `GET`/`PUT /api/v1/settings`).
struct UserSettings: Sendable, Hashable, Auditable {
    /// The e-mail address; `nil`: no mail.
    var email: String?
    /// The language of the mail.
    var language: Language
    /// Whether the daily digest is sent.
    var reminderDigest: Bool

    var auditFields: [String: JSONValue] {
        ["email": JSONValue(email), "language": .string(language.rawValue), "reminderDigest": .bool(reminderDigest)]
    }
}
