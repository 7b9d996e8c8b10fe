import DataAccess
import FeatureSupport
import Foundation
import PluginKit
import Registry

/// Users and their API tokens in `kernel.users` and `kernel.tokens`; every change audited.
struct UserStore: Sendable {
    /// A user as `users list` shows it.
    struct User: Codable, Sendable, Hashable, Auditable {
        var id: Int
        var name: String
        var displayName: String
        var role: Role
        var organisationId: Int?
        var createdAt: Date
        var disabledAt: Date?

        var auditFields: [String: JSONValue] {
            [
                "name": .string(name), "displayName": .string(displayName), "role": .string(role.rawValue),
                "organisationId": JSONValue(organisationId), "disabled": .bool(disabledAt != nil),
            ]
        }
    }

    /// A token as `tokens list` shows it (never the token itself).
    struct Token: Codable, Sendable, Hashable, Auditable {
        var id: Int
        var user: String
        var label: String
        var createdAt: Date
        var expiresAt: Date
        var revokedAt: Date?
        var lastUsedAt: Date?

        var auditFields: [String: JSONValue] {
            ["user": .string(user), "label": .string(label), "expiresAt": .string(expiresAt.formatted(.iso8601)), "revoked": .bool(revokedAt != nil)]
        }
    }

    let database: Database
    let registry: Registry
    /// The roles a user can be given.
    let roles: RoleCatalogue
    /// Hashes new passwords on the host's password threads.
    let passwords: PasswordHashing

    // MARK: - Users

    func add(name: String, displayName: String?, role: Role, organisationID: Int?, actor: Actor) async throws -> User {
        let name = try Input.text(name, field: "/name", maxLength: 63).lowercased()
        guard name.wholeMatch(of: /[a-z0-9][a-z0-9._-]*/) != nil else {
            throw FeatureError(
                .invalidInput,
                "a user name has only a–z, 0–9, '.', '_' and '-', and starts with a letter or digit",
                field: "/name",
                wording: "userName"
            )
        }
        let displayName = try Input.text(displayName ?? name, field: "/displayName", maxLength: 200)
        try checkRole(role, organisationID: organisationID)
        return try await database.transaction { [registry] tx in
            if let organisationID { try Self.checkOrganisation(organisationID, registry: registry, in: tx) }
            if try tx.queryFirst("SELECT id FROM kernel.users WHERE name = \(name)") != nil {
                throw FeatureError(.conflict, "a user named \(name) already exists", field: "/name", wording: Wording("userTaken", ["name": name]))
            }
            let row = try tx.query(
                """
                INSERT INTO kernel.users (name, display_name, role, organisation_id)
                VALUES (\(name), \(displayName), \(role), \(organisationID))
                RETURNING \(Self.userColumns)
                """
            ).single()
            let user = try Self.user(row)
            try tx.audit(actor, feature: "kernel", entity: "user", id: user.id, action: "create", after: user)
            return user
        }
    }

    /// Refuses a role the catalogue lacks, and a scoped role without the organisation it works for.
    func checkRole(_ role: Role, organisationID: Int?) throws(FeatureError) {
        guard let definition = roles.definition(of: role) else {
            throw FeatureError(.invalidInput, "no role named \(role); the roles are \(roles.ids)", field: "/role", wording: "unknownRole")
        }
        if definition.isScoped && organisationID == nil {
            throw FeatureError(
                .invalidInput,
                "a \(role) sees only what its organisation is assigned to: give the registry organisation it works for (--organisation to `kooperator users add`)",
                field: "/organisationId",
                wording: "roleNeedsOrganisation"
            )
        }
    }

    /// Refuses an organisation the registry lacks, at the field that names it.
    static func checkOrganisation(_ id: Int, registry: Registry, in tx: Transaction) throws {
        do {
            _ = try registry.organisation(id: id, reach: .everything, in: tx)
        } catch let error as FeatureError where error.code == .notFound {
            throw FeatureError(.invalidInput, "no organisation with id \(id) in the registry", field: "/organisationId", wording: "notFound")
        }
    }

    /// The user named `name`.
    ///
    /// - Throws: ``FeatureError`` `.notFound` for an unknown user.
    func user(named name: String) async throws -> User {
        guard let row = try await database.query("SELECT \(Self.userColumns) FROM kernel.users WHERE name = \(name.lowercased())").first else {
            throw FeatureError(.notFound, "no user named \(name)")
        }
        return try Self.user(row)
    }

    /// Changes a user's display name, role or organisation (only those given); the new role holds
    /// from the user's next request, since sessions and tokens read the role with the user.
    ///
    /// - Throws: ``FeatureError`` `.invalidInput` naming the field, `.notFound` for an unknown user
    ///   or organisation.
    func change(name: String, displayName: String?, role: Role?, organisationID: Int?, actor: Actor) async throws -> User {
        let displayName = try Input.optionalText(displayName, field: "/displayName", maxLength: 200)
        return try await database.transaction { [registry] tx in
            let before = try Self.lockedUser(name, in: tx)
            let (role, organisationID) = (role ?? before.role, organisationID ?? before.organisationId)
            try checkRole(role, organisationID: organisationID)
            if let organisationID { try Self.checkOrganisation(organisationID, registry: registry, in: tx) }
            let row = try tx.query(
                """
                UPDATE kernel.users SET display_name = \(displayName ?? before.displayName), role = \(role), organisation_id = \(organisationID)
                WHERE id = \(before.id) RETURNING \(Self.userColumns)
                """
            ).single()
            let after = try Self.user(row)
            try tx.audit(actor, feature: "kernel", entity: "user", id: after.id, action: "update", before: before, after: after)
            return after
        }
    }

    func list() async throws -> [User] {
        try await database.query("SELECT \(Self.userColumns) FROM kernel.users ORDER BY name").map(Self.user)
    }

    func disable(name: String, actor: Actor) async throws -> User {
        try await database.transaction { tx in
            let before = try Self.lockedUser(name, in: tx)
            guard before.disabledAt == nil else { return before }
            let row = try tx.query("UPDATE kernel.users SET disabled_at = now() WHERE id = \(before.id) RETURNING \(Self.userColumns)").single()
            let after = try Self.user(row)
            try tx.audit(actor, feature: "kernel", entity: "user", id: after.id, action: "disable", before: before, after: after)
            return after
        }
    }

    /// Sets a user's password for the sign-in page (audited: that it changed, never what to).
    ///
    /// - Throws: ``FeatureError`` `.invalidInput` for a password shorter than 12 or longer
    ///   than 200 characters; `.notFound` for an unknown user.
    func setPassword(user name: String, password: String, actor: Actor) async throws {
        guard password.count >= PasswordHasher.minimumLength, password.count <= PasswordHasher.maximumLength else {
            throw FeatureError(
                .invalidInput,
                "a password has \(PasswordHasher.minimumLength)–\(PasswordHasher.maximumLength) characters",
                field: "/password"
            )
        }
        let hash = try await passwords.hash(password)
        try await database.transaction { tx in
            let user = try Self.lockedUser(name, in: tx)
            _ = try tx.execute("UPDATE kernel.users SET password_hash = \(hash), password_set_at = now() WHERE id = \(user.id)")
            // Every browser session of the user ends with the old password.
            _ = try tx.execute("UPDATE kernel.sessions SET ended_at = now() WHERE user_id = \(user.id) AND ended_at IS NULL")
            try tx.audit(actor, feature: "kernel", entity: "user", id: user.id, action: "password", after: PasswordChange())
        }
    }

    /// The audit view of a password change.
    struct PasswordChange: Auditable {
        var auditFields: [String: JSONValue] { ["password": .string("changed")] }
    }

    // MARK: - Tokens

    /// Issues a token; the returned text is the only copy there will ever be.
    func issueToken(user name: String, days: Int, label: String?, actor: Actor) async throws -> (Token, String) {
        _ = try Input.number(days, field: "/expiresInDays", in: 1...3650)
        let label = try Input.optionalText(label, field: "/label", maxLength: 100) ?? ""
        let (token, hash) = TokenAuthenticator.newToken()
        let issued = try await database.transaction { tx in
            let user = try Self.lockedUser(name, in: tx)
            guard user.disabledAt == nil else { throw FeatureError(.conflict, "the user \(user.name) is disabled") }
            let row = try tx.query(
                """
                WITH t AS (
                    INSERT INTO kernel.tokens (user_id, hash, label, expires_at)
                    VALUES (\(user.id), \(hash), \(label), now() + make_interval(days => \(Int32(days))))
                    RETURNING *
                )
                SELECT t.id, \(user.name) AS user_name, t.label, t.created_at, t.expires_at, t.revoked_at, t.last_used_at FROM t
                """
            ).single()
            let issued = try Self.token(row)
            try tx.audit(actor, feature: "kernel", entity: "token", id: issued.id, action: "issue", after: issued)
            return issued
        }
        return (issued, token)
    }

    func revokeToken(id: Int, actor: Actor) async throws -> Token {
        try await database.transaction { tx in
            guard let row = try tx.queryFirst("\(Self.tokenSelect) WHERE t.id = \(id) FOR UPDATE OF t") else {
                throw FeatureError.notFound("token", id: id)
            }
            let before = try Self.token(row)
            guard before.revokedAt == nil else { return before }
            try tx.execute("UPDATE kernel.tokens SET revoked_at = now() WHERE id = \(id)")
            let after = try Self.token(try tx.query("\(Self.tokenSelect) WHERE t.id = \(id)").single())
            try tx.audit(actor, feature: "kernel", entity: "token", id: id, action: "revoke", before: before, after: after)
            return after
        }
    }

    func tokens(of user: String?) async throws -> [Token] {
        let condition: SQL = user.map { "WHERE u.name = \($0)" } ?? ""
        return try await database.query("\(Self.tokenSelect) \(condition) ORDER BY t.id").map(Self.token)
    }

    // MARK: - Rows

    static let userColumns: SQL = "id, name, display_name, role, organisation_id, created_at, disabled_at"
    static let tokenSelect: SQL = """
        SELECT t.id, u.name AS user_name, t.label, t.created_at, t.expires_at, t.revoked_at, t.last_used_at
        FROM kernel.tokens t JOIN kernel.users u ON u.id = t.user_id
        """

    static func lockedUser(_ name: String, in tx: Transaction) throws -> User {
        guard let row = try tx.queryFirst("SELECT \(userColumns) FROM kernel.users WHERE name = \(name.lowercased()) FOR UPDATE") else {
            throw FeatureError(.notFound, "no user named \(name)")
        }
        return try user(row)
    }

    static func user(_ row: Row) throws -> User {
        User(
            id: try row.decode("id"),
            name: try row.decode("name"),
            displayName: try row.decode("display_name"),
            role: try row.decode("role"),
            organisationId: try row.decode("organisation_id"),
            createdAt: try row.decode("created_at"),
            disabledAt: try row.decode("disabled_at")
        )
    }

    static func token(_ row: Row) throws -> Token {
        Token(
            id: try row.decode("id"),
            user: try row.decode("user_name"),
            label: try row.decode("label"),
            createdAt: try row.decode("created_at"),
            expiresAt: try row.decode("expires_at"),
            revokedAt: try row.decode("revoked_at"),
            lastUsedAt: try row.decode("last_used_at")
        )
    }
}
