import DataAccess
import FeatureSupport
import PageKit
import PluginKit

extension UserStore {
    /// A user's own settings.
    ///
    /// - Throws: ``FeatureError`` `.notFound` for an unknown user.
    func settings(ofUser id: Int) async throws -> UserSettings {
        try await database.withConnection { db in
            guard let row = try db.queryFirst("SELECT email, language, reminder_digest FROM kernel.users WHERE id = \(id)") else {
                throw FeatureError(.notFound, "no user \(id)")
            }
            return try Self.settings(row)
        }
    }

    /// Changes a user's own settings, audited (entity `user`, action `settings`).
    ///
    /// - Throws: ``FeatureError`` `.invalidInput` naming `/email` when it is not one plain
    ///   address; `.notFound` for an unknown user.
    func changeSettings(ofUser id: Int, to settings: UserSettings, actor: Actor) async throws -> UserSettings {
        var settings = settings
        settings.email = try Input.optionalText(settings.email, field: "/email", maxLength: 254)
        if let email = settings.email, !MailSettings.isAddress(email) {
            throw FeatureError(.invalidInput, "not an e-mail address (name@example.se)", field: "/email")
        }
        return try await database.transaction { [settings] tx in
            guard let row = try tx.queryFirst("SELECT email, language, reminder_digest FROM kernel.users WHERE id = \(id) FOR UPDATE") else {
                throw FeatureError(.notFound, "no user \(id)")
            }
            let before = try Self.settings(row)
            let after = try Self.settings(
                try tx.query(
                    """
                    UPDATE kernel.users SET email = \(settings.email), language = \(settings.language.rawValue),
                        reminder_digest = \(settings.reminderDigest)
                    WHERE id = \(id) RETURNING email, language, reminder_digest
                    """
                ).single()
            )
            try tx.audit(actor, feature: "kernel", entity: "user", id: id, action: "settings", before: before, after: after)
            return after
        }
    }

    static func settings(_ row: Row) throws -> UserSettings {
        UserSettings(
            email: try row.decode("email"),
            language: Language(code: try row.decode("language")),
            reminderDigest: try row.decode("reminder_digest")
        )
    }
}
