import Crypto
import DataAccess
import Foundation
import PluginKit

/// Browser sessions in `kernel.sessions`: sign-in with a password, the session behind a
/// cookie (with its idle and absolute timeouts), sign-out, and the limits on failed sign-ins (``SignInThrottle``). Passwords are checked on ``PasswordHashing``'s
/// threads. Sign-ins, sign-outs and password changes are audited.
struct SessionStore: Sendable {
    let database: Database
    /// Gives each user's role its scope and permissions.
    let roles: RoleCatalogue
    let idleMinutes: Int
    let maxHours: Int
    /// Counts the attempts and says when to stop checking passwords.
    let throttle: SignInThrottle
    /// Checks passwords, off the cooperative pool.
    let passwords: PasswordHashing

    /// The cookie holding the session.
    static let cookieName = "kooperator_session"

    /// A signed-in session.
    struct Session: Sendable {
        var id: Int
        var principal: Principal
        var csrfToken: String
    }

    /// Why a sign-in was refused; the page says the same for a wrong name and a wrong password.
    enum SignInRefusal: Error, Equatable {
        case wrongNameOrPassword
        /// The name is locked for the address (or for all); try again after this many seconds.
        case locked(retryAfter: Int)
        /// The address made too many attempts; try again after this many seconds.
        case throttled(retryAfter: Int)
        /// Too many passwords are being checked at once; try again in a moment.
        case busy
    }

    /// A session record as the audit log describes it.
    struct SessionRecord: Auditable {
        let user: String
        let event: String
        var auditFields: [String: JSONValue] { ["user": .string(user), "event": .string(event)] }
    }

    // MARK: - Sign-in and out

    /// Checks a user name and password and opens a session.
    ///
    /// The attempt is counted (atomically, before the slow check) against the name, the address
    /// and the name from this address; the password is checked on the hashing threads; a good
    /// password stored with older scrypt parameters is stored anew at the host's cost.
    ///
    /// - Parameters:
    ///   - address: The client's address (``ClientAddress``), for the throttle.
    /// - Returns: The session and the cookie value (shown once, stored hashed).
    /// - Throws: ``SignInRefusal`` for a wrong name or password, a disabled user, a locked name,
    ///   a throttled address or a full hashing queue.
    func signIn(name rawName: String, password: String, address: String, requestID: String?) async throws -> (Session, String) {
        let name = rawName.trimmingCharacters(in: .whitespaces).lowercased()
        guard !name.isEmpty, name.count <= 63, password.count <= PasswordHasher.maximumLength else {
            throw SignInRefusal.wrongNameOrPassword
        }
        switch try await throttle.attempt(name: name, address: address) {
        case .proceed: break
        case .locked(let seconds): throw SignInRefusal.locked(retryAfter: seconds)
        case .throttled(let seconds): throw SignInRefusal.throttled(retryAfter: seconds)
        }
        let row = try await database.query(
            "SELECT id, name, role, organisation_id, password_hash FROM kernel.users WHERE name = \(name) AND disabled_at IS NULL"
        ).first
        let stored: String? = try row?.decode("password_hash")
        // The same slow comparison whether or not the user exists.
        let verdict: (matches: Bool, rehashed: String?)
        do {
            verdict = try await passwords.verify(password, against: stored)
        } catch is PasswordHashingError {
            // Not a failure of the user's: the attempt goes back.
            try await throttle.givenBack(name: name, address: address)
            throw SignInRefusal.busy
        }
        guard let row, let stored, verdict.matches else {
            try await throttle.failed()
            throw SignInRefusal.wrongNameOrPassword
        }
        let principal = roles.principal(
            userID: try row.decode("id"),
            name: try row.decode("name"),
            role: try row.decode("role"),
            organisationID: try row.decode("organisation_id")
        )
        let (cookie, hash) = TokenAuthenticator.newToken()
        let csrf = TokenAuthenticator.newToken().token
        try await throttle.succeeded(name: name, address: address)
        let rehashed = verdict.rehashed
        let id = try await database.transaction { tx in
            if let rehashed {
                // Only if the password was not changed meanwhile; the user's sessions stay.
                _ = try tx.execute(
                    "UPDATE kernel.users SET password_hash = \(rehashed) WHERE id = \(principal.userID) AND password_hash = \(stored)"
                )
            }
            let id = try tx.query(
                "INSERT INTO kernel.sessions (user_id, hash, csrf_token) VALUES (\(principal.userID), \(hash), \(csrf)) RETURNING id"
            ).single().decode("id", as: Int.self)
            let actor = Actor(userID: principal.userID, name: principal.name, requestID: requestID)
            try tx.audit(
                actor,
                feature: "kernel",
                entity: "session",
                id: id,
                action: "signIn",
                after: SessionRecord(user: principal.name, event: "signIn")
            )
            return id
        }
        return (Session(id: id, principal: principal, csrfToken: csrf), cookie)
    }

    /// The session behind a cookie; `nil` when it is unknown, ended, idle too long, too old, or
    /// its user is disabled. Marks it seen (at most every 30 seconds).
    func session(forCookie cookie: String) async throws -> Session? {
        guard cookie.hasPrefix(TokenAuthenticator.prefix), cookie.count < 200 else { return nil }
        let hash = TokenAuthenticator.hash(cookie)
        let idle = Int32(idleMinutes)
        let maximum = Int32(maxHours)
        guard
            let row = try await database.query(
                """
                WITH hit AS (
                    SELECT s.id AS session_id, s.csrf_token, u.id, u.name, u.role, u.organisation_id, s.last_seen_at
                    FROM kernel.sessions s JOIN kernel.users u ON u.id = s.user_id
                    WHERE s.hash = \(hash) AND s.ended_at IS NULL AND u.disabled_at IS NULL
                      AND s.last_seen_at > now() - make_interval(mins => \(idle))
                      AND s.created_at > now() - make_interval(hours => \(maximum))
                ), touched AS (
                    UPDATE kernel.sessions SET last_seen_at = now()
                    WHERE id IN (SELECT session_id FROM hit WHERE last_seen_at < now() - interval '30 seconds')
                )
                SELECT * FROM hit
                """
            ).first
        else { return nil }
        let principal = roles.principal(
            userID: try row.decode("id"),
            name: try row.decode("name"),
            role: try row.decode("role"),
            organisationID: try row.decode("organisation_id")
        )
        return Session(id: try row.decode("session_id"), principal: principal, csrfToken: try row.decode("csrf_token"))
    }

    /// Ends a session (sign-out).
    func signOut(_ session: Session, requestID: String?) async throws {
        try await database.transaction { tx in
            let ended = try tx.query("UPDATE kernel.sessions SET ended_at = now() WHERE id = \(session.id) AND ended_at IS NULL RETURNING id")
            guard !ended.isEmpty else { return }
            let actor = Actor(userID: session.principal.userID, name: session.principal.name, requestID: requestID)
            try tx.audit(
                actor,
                feature: "kernel",
                entity: "session",
                id: session.id,
                action: "signOut",
                after: SessionRecord(user: session.principal.name, event: "signOut")
            )
        }
    }
}
