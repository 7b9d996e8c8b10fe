import Crypto
import CryptoExtras
import Foundation

/// Slow password hashes for the sign-in page: scrypt with N = 2^cost, r = 8, p = 1 (N = 2^17 by
/// default, OWASP's figure: 128 MiB and a few hundred milliseconds a try), stored as
/// `scrypt$N$r$p$salt$hash`, so a hash made with other parameters still verifies and is made anew
/// at the next good sign-in (``needsRehash(_:)``).
///
/// The work itself is synchronous and slow: the host runs it on ``PasswordHashing``'s threads,
/// never on the cooperative pool.
struct PasswordHasher: Sendable {
    /// `security.passwordHashCost` when not set: log2 of scrypt's N.
    static let defaultCost = 17
    /// The costs the configuration accepts; below ``productionMinimumCost`` only for tests and development.
    static let costs = 10...20
    /// The least cost `environment: production` accepts.
    static let productionMinimumCost = 15
    static let blockSize = 8
    static let parallelism = 1
    static let minimumLength = 12
    static let maximumLength = 200

    /// log2 of scrypt's N for new hashes.
    let cost: Int

    /// scrypt's N for new hashes.
    var rounds: Int { 1 << cost }

    /// The stored form of `password`, with a new salt.
    func hash(_ password: String) throws -> String {
        let salt = SymmetricKey(size: .bits128).withUnsafeBytes { Data($0) }
        let derived = try Self.derive(password, salt: salt, rounds: rounds, blockSize: Self.blockSize, parallelism: Self.parallelism)
        return "scrypt$\(rounds)$\(Self.blockSize)$\(Self.parallelism)$\(salt.base64EncodedString())$\(derived.base64EncodedString())"
    }

    /// Whether `stored` was made with other parameters than this hasher's, so the next good
    /// sign-in stores a new hash.
    func needsRehash(_ stored: String) -> Bool {
        let parts = stored.split(separator: "$")
        return parts.count != 6 || parts[0] != "scrypt" || Int(parts[1]) != rounds || Int(parts[2]) != Self.blockSize
            || Int(parts[3]) != Self.parallelism
    }

    /// Whether `password` matches a stored hash, with the parameters stored in it; a malformed
    /// hash, or one asking for more than 2^20 rounds, matches nothing.
    static func verify(_ password: String, against stored: String) -> Bool {
        let parts = stored.split(separator: "$").map(String.init)
        guard parts.count == 6, parts[0] == "scrypt", let rounds = Int(parts[1]), let blockSize = Int(parts[2]),
            let parallelism = Int(parts[3]), let salt = Data(base64Encoded: parts[4]), let expected = Data(base64Encoded: parts[5]),
            rounds > 1, rounds <= 1 << 20, blockSize >= 1, blockSize <= 32, parallelism >= 1, parallelism <= 16,
            let derived = try? derive(password, salt: salt, rounds: rounds, blockSize: blockSize, parallelism: parallelism)
        else { return false }
        return constantTimeEqual(derived, expected)
    }

    /// A random password for a demo user: 16 letters and digits.
    static func randomPassword() -> String {
        let alphabet = Array("abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789")
        var generator = SystemRandomNumberGenerator()
        return String((0..<16).map { _ in alphabet[Int(generator.next(upperBound: UInt(alphabet.count)))] })
    }

    static func derive(_ password: String, salt: Data, rounds: Int, blockSize: Int, parallelism: Int) throws -> Data {
        let key = try KDF.Scrypt.deriveKey(
            from: Data(password.utf8),
            salt: salt,
            outputByteCount: 32,
            rounds: rounds,
            blockSize: blockSize,
            parallelism: parallelism,
            maxMemory: 128 * rounds * blockSize * parallelism + 1_048_576
        )
        return key.withUnsafeBytes { Data($0) }
    }

    static func constantTimeEqual(_ a: Data, _ b: Data) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for (x, y) in zip(a, b) { difference |= x ^ y }
        return difference == 0
    }
}
