public import DataAccess
import Foundation
public import PluginKit

/// An "already registered" answer about a person outside the caller's reach: it tells a scoped
/// user that somebody holds the number, so such answers are limited and audited
/// (``Registry/guardingIdentityProbes(carriesNumber:reach:actor:_:)``).
struct IdentityProbe: Error, Sendable {
    /// The person who holds the number.
    let holder: Int
}

extension Registry {
    /// The refusal for a number another person holds, or `nil` when nobody else does. For a
    /// holder outside `reach` the refusal carries an ``IdentityProbe``; its text is the same.
    ///
    /// - Parameter id: The person being changed (who may hold the number already), or `nil`.
    func identityTaken(_ number: IdentityNumber, hash: Data, byOtherThan id: Int?, reach: Reach, in tx: Transaction) throws -> FeatureError? {
        guard
            let row = try tx.queryFirst(
                """
                SELECT p.id, \(reach.allowsPerson("p.id")) AS within_reach FROM registry.people p
                WHERE p.identity_hash = \(hash) AND p.id <> \(id ?? 0)
                """
            )
        else { return nil }
        let withinReach: Bool = try row.decode("within_reach")
        return Self.identityTaken(number, cause: withinReach ? nil : IdentityProbe(holder: try row.decode("id")))
    }

    /// Runs a write that may register or change a person's identity number, limiting what it can
    /// tell a scoped caller about people outside its reach: each "already registered" answer
    /// about such a person is audited and counted in the database (so every host sees the
    /// count), and once the caller has had ``identityProbesPerHour`` of them in the last hour,
    /// every write that carries a number is refused with 429 before anything is looked up, so
    /// the refusal itself tells nothing. Callers who see everything are not limited.
    ///
    /// - Parameters:
    ///   - carriesNumber: Whether the write gives an identity number.
    ///   - reach: What the caller may see.
    ///   - actor: The caller, whose answers are counted.
    ///   - body: The write, run in a transaction.
    /// - Throws: ``FeatureError`` `.tooManyRequests` with ``FeatureError/retryAfter`` over the
    ///   limit; whatever `body` throws.
    public func guardingIdentityProbes<Result: Sendable>(
        carriesNumber: Bool,
        reach: Reach,
        actor: Actor,
        _ body: @escaping @Sendable (Transaction) throws -> Result
    ) async throws -> Result {
        guard carriesNumber, reach != .everything else { return try await database.transaction(body) }
        let limit = identityProbesPerHour
        let recent = try await database.query(
            """
            SELECT count(*) AS n, ceil(extract(epoch FROM min(at) + interval '1 hour' - now()))::bigint AS wait
            FROM (SELECT at FROM registry.identity_probes
                  WHERE actor = \(actor.name) AND at > now() - interval '1 hour' ORDER BY at DESC LIMIT \(limit)) recent
            """
        ).single()
        if try recent.decode("n", as: Int.self) >= limit {
            var refusal = FeatureError(
                .tooManyRequests,
                "too many identity numbers already registered outside your reach were given in the last hour (at most \(limit)); try again later",
                field: "/identityNumber"
            )
            refusal.retryAfter = max(1, try recent.decode("wait", as: Int?.self) ?? 3600)
            throw refusal
        }
        do {
            return try await database.transaction(body)
        } catch let error as FeatureError {
            guard let probe = error.cause as? IdentityProbe else { throw error }
            // Kept although the request fails, also when it runs in one transaction (an Idempotency-Key).
            try await database.separateTransaction { tx in
                try tx.execute("DELETE FROM registry.identity_probes WHERE actor = \(actor.name) AND at <= now() - interval '1 hour'")
                try tx.execute("INSERT INTO registry.identity_probes (actor) VALUES (\(actor.name))")
                try tx.audit(
                    actor,
                    feature: Self.feature,
                    entity: "person",
                    id: probe.holder,
                    action: "identity number probe: already registered outside reach"
                )
            }
            throw error
        }
    }
}
