import DataAccess
import Foundation

/// The limits on failed sign-ins, counted in `kernel.sign_in_counters` with one atomic upsert per
/// counter (`INSERT … ON CONFLICT DO UPDATE … RETURNING`), never read first and written after, so
/// concurrent attempts cannot slip past a limit. An attempt is counted before its password is
/// checked and uncounted when it succeeds; within a window of 15 minutes:
///
/// - per client address, over all user names: `security.signInAttemptsPerAddress` attempts, then
///   that address is throttled for 15 minutes (429 with `Retry-After`), without a password being
///   checked;
/// - per user name and address: `security.signInAttempts` attempts, then the name is locked for
///   that address for 15 minutes;
/// - per user name, over all addresses: failures from `security.signInAttempts` different
///   addresses lock the name for every address for 15 minutes.
///
/// So a flood of wrong passwords from one address locks the name for that address only, and a
/// guesser spread over many addresses still locks it everywhere. Once this host finds an address
/// throttled, it answers that address from memory (``ThrottledAddresses``) until the throttle
/// ends, so the flood costs no database work. A good sign-in clears the
/// name's counters (as before) and gives its address one attempt back.
struct SignInThrottle: Sendable {
    let database: Database
    /// Attempts per user name and address, and addresses per user name.
    let attempts: Int
    /// Attempts per address over all user names.
    let attemptsPerAddress: Int
    /// The addresses found throttled, answered without asking the database again.
    let throttled = ThrottledAddresses()

    /// The window of the counters and the length of a lock, in seconds.
    static let windowSeconds = 15 * 60

    /// What may happen to an attempt.
    enum Verdict: Equatable, Sendable {
        /// Check the password.
        case proceed
        /// The name is locked (for this address or for all); try again after this many seconds.
        case locked(retryAfter: Int)
        /// The address made too many attempts; try again after this many seconds.
        case throttled(retryAfter: Int)
    }

    /// Counts an attempt of `name` from `address` and says whether its password may be checked.
    func attempt(name: String, address: String) async throws -> Verdict {
        // A throttled address's attempts are not counted further: its throttle ends as it is.
        if let seconds = throttled.remaining(address) { return .throttled(retryAfter: seconds) }
        let (attempts, perAddress) = (attempts, attemptsPerAddress)
        let verdict = try await database.transaction { tx -> Verdict in
            let byAddress = try Self.count(tx, scope: "address", name: "", address: address, limit: perAddress)
            if byAddress.failures > perAddress { return .throttled(retryAfter: byAddress.retryAfter) }
            let pair = try Self.count(tx, scope: "pair", name: name, address: address, limit: attempts)
            // The name counts addresses: this one once, at its first attempt in its window.
            let byName: Counter
            if pair.failures == 1 {
                byName = try Self.count(tx, scope: "name", name: name, address: "", limit: attempts)
            } else {
                byName = try Self.lock(tx, name: name)
            }
            if byName.failures > attempts || (byName.retryAfter > 0 && pair.failures > 1) {
                return .locked(retryAfter: max(byName.retryAfter, 1))
            }
            if pair.failures > attempts { return .locked(retryAfter: pair.retryAfter) }
            return .proceed
        }
        if case .throttled(let seconds) = verdict { throttled.throttle(address, seconds: seconds) }
        return verdict
    }

    /// A good sign-in: the name's counters go (as the failures did before), and its address gets
    /// the attempt back.
    func succeeded(name: String, address: String) async throws {
        try await database.transaction { tx in
            _ = try tx.execute("DELETE FROM kernel.sign_in_counters WHERE scope IN ('pair', 'name') AND name = \(name)")
            _ = try tx.execute(
                """
                UPDATE kernel.sign_in_counters SET failures = greatest(failures - 1, 0)
                WHERE scope = 'address' AND name = '' AND address = \(address)
                """
            )
        }
    }

    /// An attempt whose password was not checked after all (the hashing threads were busy): the
    /// address and the name from that address get it back, and the name the address if it was
    /// the address's first.
    func givenBack(name: String, address: String) async throws {
        try await database.transaction { tx in
            let pair = try tx.query(
                """
                UPDATE kernel.sign_in_counters SET failures = greatest(failures - 1, 0)
                WHERE (scope = 'address' AND name = '' AND address = \(address)) OR (scope = 'pair' AND name = \(name) AND address = \(address))
                RETURNING scope, failures
                """
            ).first { (try? $0.decode("scope", as: String.self)) == "pair" }
            if try pair?.decode("failures", as: Int.self) == 0 {
                _ = try tx.execute(
                    """
                    UPDATE kernel.sign_in_counters SET failures = greatest(failures - 1, 0)
                    WHERE scope = 'name' AND name = \(name) AND address = ''
                    """
                )
            }
        }
    }

    /// A failed sign-in: counted already; forgets counters whose window and lock ended a day ago.
    func failed() async throws {
        _ = try await database.execute(
            """
            DELETE FROM kernel.sign_in_counters
            WHERE since < now() - interval '1 day' AND (locked_until IS NULL OR locked_until < now() - interval '1 day')
            """
        )
    }

    /// A counter after an attempt.
    struct Counter {
        /// Attempts in the window, this one included.
        var failures: Int
        /// Seconds the lock has left; 0 when not locked.
        var retryAfter: Int
    }

    /// Adds an attempt to one counter: a new window when the last one ended (and no lock holds),
    /// and a lock of 15 minutes from the attempt that reaches `limit`.
    static func count(_ tx: Transaction, scope: String, name: String, address: String, limit: Int) throws -> Counter {
        let window = Int32(windowSeconds)
        let row = try tx.query(
            """
            INSERT INTO kernel.sign_in_counters AS c (scope, name, address, failures, since, locked_until)
            VALUES (\(scope), \(name), \(address), 1, now(),
                    CASE WHEN \(limit) <= 1 THEN now() + make_interval(secs => \(window)) END)
            ON CONFLICT (scope, name, address) DO UPDATE SET
                failures = CASE WHEN c.since > now() - make_interval(secs => \(window)) OR c.locked_until > now()
                                THEN c.failures + 1 ELSE 1 END,
                since = CASE WHEN c.since > now() - make_interval(secs => \(window)) OR c.locked_until > now()
                             THEN c.since ELSE now() END,
                locked_until = CASE
                    WHEN c.locked_until > now() THEN c.locked_until
                    WHEN (c.since > now() - make_interval(secs => \(window)) AND c.failures + 1 >= \(limit)) OR \(limit) <= 1
                        THEN now() + make_interval(secs => \(window))
                    END
            RETURNING failures, coalesce(ceil(extract(epoch FROM locked_until - now())), 0)::int4 AS retry_after
            """
        ).single()
        return Counter(failures: try row.decode("failures"), retryAfter: max(try row.decode("retry_after", as: Int.self), 0))
    }

    /// The name's lock across addresses, without counting an attempt (this address was counted
    /// at its first attempt).
    static func lock(_ tx: Transaction, name: String) throws -> Counter {
        let row = try tx.query(
            """
            SELECT failures, coalesce(ceil(extract(epoch FROM locked_until - now())), 0)::int4 AS retry_after
            FROM kernel.sign_in_counters WHERE scope = 'name' AND name = \(name) AND address = ''
            """
        ).first
        guard let row else { return Counter(failures: 0, retryAfter: 0) }
        return Counter(failures: 0, retryAfter: max(try row.decode("retry_after", as: Int.self), 0))
    }
}
