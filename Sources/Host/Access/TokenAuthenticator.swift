import Crypto
import DataAccess
import Foundation
import PluginKit
import Synchronization

/// Turns a bearer token into the user it was issued to.
///
/// Tokens are stored as SHA-256 hashes; a token is valid while it is neither expired nor
/// revoked and its user is not disabled. A checked token is trusted for
/// `security.tokenCacheSeconds` (default 5) without asking the database again, so a revocation
/// or a disabled user takes effect within that time on every host.
final class TokenAuthenticator: Sendable {
    struct Entry {
        let principal: Principal
        let validUntil: ContinuousClock.Instant
    }

    let database: Database
    /// Gives each user's role its scope and permissions.
    let roles: RoleCatalogue
    let cacheTime: Duration
    /// Keyed by the token's digest as it is, not as `Data`: a 32-byte `Data` is an allocation
    /// on every request.
    let cache = Mutex<[SHA256.Digest: Entry]>([:])

    init(database: Database, roles: RoleCatalogue, cacheSeconds: Int) {
        self.database = database
        self.roles = roles
        self.cacheTime = .seconds(cacheSeconds)
    }

    /// The prefix of every token this host issues, so a leaked one is easy to recognise.
    static let prefix = "kop_"

    /// A new random token (256 bits) and its hash.
    static func newToken() -> (token: String, hash: Data) {
        let bytes = SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }
        let token =
            prefix
            + bytes.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
        return (token, hash(token))
    }

    static func hash(_ token: String) -> Data { Data(digest(token)) }

    /// The token's SHA-256 digest, hashed from its bytes where they lie.
    static func digest(_ token: String) -> SHA256.Digest {
        var token = token
        return token.withUTF8 { SHA256.hash(data: UnsafeRawBufferPointer($0)) }
    }

    /// The user of a valid token; `nil` for an unknown, expired or revoked token or a disabled user.
    func principal(forToken token: String) async throws -> Principal? {
        guard token.hasPrefix(Self.prefix), token.utf8.count < 200 else { return nil }
        let digest = Self.digest(token)
        let now = ContinuousClock.now
        if let entry = cache.withLock({ $0[digest] }), entry.validUntil > now { return entry.principal }
        let hash = Data(digest)
        let row = try await database.withConnection { db in
            try db.queryFirst(
                """
                WITH hit AS (
                    SELECT t.id AS token_id, u.id, u.name, u.role, u.organisation_id,
                           extract(epoch FROM t.expires_at - now())::float8 AS seconds_left
                    FROM kernel.tokens t JOIN kernel.users u ON u.id = t.user_id
                    WHERE t.hash = \(hash) AND t.revoked_at IS NULL AND t.expires_at > now() AND u.disabled_at IS NULL
                ), touched AS (
                    UPDATE kernel.tokens SET last_used_at = now()
                    WHERE id IN (SELECT token_id FROM hit) AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')
                )
                SELECT * FROM hit
                """
            )
        }
        guard let row else {
            cache.withLock { _ = $0.removeValue(forKey: digest) }
            return nil
        }
        let principal = roles.principal(
            userID: try row.decode("id"),
            name: try row.decode("name"),
            role: try row.decode("role"),
            organisationID: try row.decode("organisation_id")
        )
        if cacheTime > .zero {
            let secondsLeft: Double = try row.decode("seconds_left")
            let validUntil = now + min(cacheTime, .milliseconds(Int(secondsLeft * 1000)))
            cache.withLock { cache in
                if cache.count > 10_000 { cache.removeAll() }
                cache[digest] = Entry(principal: principal, validUntil: validUntil)
            }
        }
        return principal
    }

    /// Forgets every cached token (after a revocation in this process).
    func forgetAll() { cache.withLock { $0.removeAll() } }
}
