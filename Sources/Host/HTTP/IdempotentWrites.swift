import Crypto
import DataAccess
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import PluginKit

/// Safe retries of writes: a `POST`, `PUT` or `PATCH` sent with an `Idempotency-Key` header is done
/// once per caller and key. A repeat within ``lifetime`` with the same method, path and body gets
/// the first answer (its status, `Location`, `Content-Type` and body, marked
/// `Idempotent-Replayed: true`) without writing again; a repeat with another request is refused
/// with 422. The pages' one-time form tokens go through the same door (``WebSessionMiddleware``).
///
/// The key, the caller and the answer are stored in the write's own transaction: the whole
/// request runs inside ``Database/withTaskTransaction(_:)``, so the feature's store, which opens its
/// transactions with `database.transaction` as always, writes in savepoints of one transaction that
/// begins with the key's row and ends with its answer. The row therefore exists exactly when the
/// write does. A client whose `COMMIT` answer was lost (a fail-over, a dropped connection) and
/// retries finds either nothing (the write was rolled back, and is done now) or the stored answer
/// (the write committed) — never a second write. The other ways were worse: storing the answer
/// after the write's commit leaves a window where the write exists but its answer does not, which
/// is the very failure a retry must cover; a claim before the write in a transaction of its own
/// leaves the key stuck as "in progress" when the host dies between the two.
///
/// A concurrent repeat waits: the first request's uncommitted `INSERT` of the key holds the unique
/// index entry, so the second `INSERT … ON CONFLICT` blocks until the first commits (and then
/// replays its answer) or rolls back (and then does the write itself). Only a successful answer
/// (below 400) is kept; a refusal or failure rolls everything back, the key included, so a retry
/// runs again. The connection is held for the request's length, which is why only requests that
/// ask for it pay that price.
struct IdempotentWrites: Sendable {
    /// How long a key is remembered; a repeat after that writes again.
    static let lifetime = "24 hours"
    /// The longest key a caller may send.
    static let maxKeyLength = 255

    let database: Database

    /// The request's `Idempotency-Key`, checked: 1 to 255 visible ASCII characters.
    ///
    /// - Returns: The key, or `nil` when the request has none.
    /// - Throws: ``FeatureError`` `.invalidInput` naming the header when it is malformed.
    static func key(of request: Request) throws -> String? {
        guard let key = request.headers[.idempotencyKey] else { return nil }
        guard (1...maxKeyLength).contains(key.utf8.count), key.utf8.allSatisfy({ (0x21...0x7E).contains($0) }) else {
            throw FeatureError(
                .invalidInput,
                "the Idempotency-Key header must be 1 to \(maxKeyLength) visible ASCII characters (a UUID, say)",
                field: "Idempotency-Key"
            )
        }
        return key
    }

    /// What identifies a request for its key: a SHA-256 of its method, path and query, and body.
    static func fingerprint(method: HTTPRequest.Method, path: String, body: some Sequence<UInt8>) -> Data {
        var hash = SHA256()
        hash.update(data: Data("\(method.rawValue) \(path)\n".utf8))
        hash.update(data: Data(body))
        return Data(hash.finalize())
    }

    /// Answers `write`'s response once per `(userID, key)`, stored with the write in its transaction.
    ///
    /// - Parameters:
    ///   - userID: The caller; keys of different callers are independent.
    ///   - key: The caller's key.
    ///   - fingerprint: The request's ``fingerprint(method:path:body:)``.
    ///   - write: The request's handler.
    /// - Returns: The handler's response, or the stored one for a repeat.
    /// - Throws: ``FeatureError`` `.invalidInput` for a repeat with another request; what `write`
    ///   threw; ``DatabaseError``.
    func respond(
        userID: Int,
        key: String,
        fingerprint: Data,
        _ write: () async throws -> Response
    ) async throws -> Response {
        do {
            return try await database.withTaskTransaction {
                // A key older than its lifetime is taken over as new; a live one is left and locked.
                let claimed = try await database.query(
                    """
                    INSERT INTO kernel.idempotency_keys AS k (user_id, key, request_hash) VALUES (\(userID), \(key), \(fingerprint))
                    ON CONFLICT (user_id, key) DO UPDATE
                        SET request_hash = EXCLUDED.request_hash, created_at = now(), status = NULL, location = NULL, content_type = NULL, body = NULL
                        WHERE k.created_at < now() - \(Self.lifetime)::interval
                    RETURNING k.user_id
                    """
                )
                if claimed.isEmpty { return try await replay(userID: userID, key: key, fingerprint: fingerprint) }
                let response = try await write()
                guard response.status.code < 400 else { throw Unstored(response: response) }
                let collector = BodyCollector()
                try await response.body.write(collector.writer)
                let body = Data(collector.bytes)
                try await database.execute(
                    """
                    UPDATE kernel.idempotency_keys
                    SET status = \(response.status.code), location = \(response.headers[.location]),
                        content_type = \(response.headers[.contentType]), body = \(body)
                    WHERE user_id = \(userID) AND key = \(key)
                    """
                )
                var stored = response
                stored.body = ResponseBody(byteBuffer: ByteBuffer(bytes: collector.bytes))
                return stored
            }
        } catch let unstored as Unstored {
            return unstored.response
        }
    }

    /// The stored answer of a key already used, or a refusal when the request differs.
    private func replay(userID: Int, key: String, fingerprint: Data) async throws -> Response {
        let row = try await database.query(
            "SELECT request_hash, status, location, content_type, body FROM kernel.idempotency_keys WHERE user_id = \(userID) AND key = \(key)"
        ).single()
        guard try row.decode("request_hash", as: Data.self) == fingerprint else {
            throw FeatureError(
                .invalidInput,
                "this Idempotency-Key was used for another request (another method, path or body) in the last 24 hours; use a new key",
                field: "Idempotency-Key",
                wording: "idempotencyKeyReused"
            )
        }
        var headers: HTTPFields = [.idempotentReplayed: "true"]
        if let location: String = try row.decode("location") { headers[.location] = location }
        if let type: String = try row.decode("content_type") { headers[.contentType] = type }
        let body: Data = try row.decode("body")
        return Response(
            status: HTTPResponse.Status(code: try row.decode("status")),
            headers: headers,
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: body))
        )
    }

    /// Removes the keys past their lifetime (an hourly job of the host; a key past its lifetime is
    /// never replayed, removed or not).
    ///
    /// - Returns: How many were removed, or `nil` when none were.
    static func removeExpired(in transaction: Transaction) throws -> Int? {
        let removed = try transaction.execute("DELETE FROM kernel.idempotency_keys WHERE created_at < now() - \(lifetime)::interval")
        return removed == 0 ? nil : removed
    }

    /// A response not kept: the request's writes and the key are rolled back.
    private struct Unstored: Error {
        let response: Response
    }
}

extension HTTPField.Name {
    /// A write's key for safe retries (``IdempotentWrites``).
    static let idempotencyKey = HTTPField.Name("Idempotency-Key")!
    /// Marks a stored answer given again.
    static let idempotentReplayed = HTTPField.Name("Idempotent-Replayed")!
}
