import Crypto
import CryptoExtras
import Foundation

/// Slow password hashes for the sign-in page: scrypt with N = 2^15, r = 8, p = 1 (32 MiB and
/// tens of milliseconds a try), stored as `scrypt$N$r$p$salt$hash` so the cost can be raised
/// later without invalidating stored hashes.
enum PasswordHasher {
    static let rounds = 1 << 15
    static let blockSize = 8
    static let parallelism = 1
    static let minimumLength = 12
    static let maximumLength = 200

    /// The stored form of `password`.
    static func hash(_ password: String) throws -> String {
        let salt = SymmetricKey(size: .bits128).withUnsafeBytes { Data($0) }
        let derived = try derive(password, salt: salt, rounds: rounds, blockSize: blockSize, parallelism: parallelism)
        return "scrypt$\(rounds)$\(blockSize)$\(parallelism)$\(salt.base64EncodedString())$\(derived.base64EncodedString())"
    }

    /// Whether `password` matches a stored hash; a malformed hash matches nothing.
    static func verify(_ password: String, against stored: String) -> Bool {
        let parts = stored.split(separator: "$").map(String.init)
        guard parts.count == 6, parts[0] == "scrypt", let rounds = Int(parts[1]), let blockSize = Int(parts[2]),
            let parallelism = Int(parts[3]), let salt = Data(base64Encoded: parts[4]), let expected = Data(base64Encoded: parts[5]),
            rounds <= 1 << 20, blockSize <= 32, parallelism <= 16,
            let derived = try? derive(password, salt: salt, rounds: rounds, blockSize: blockSize, parallelism: parallelism)
        else { return false }
        return constantTimeEqual(derived, expected)
    }

    /// A hash to compare against when the user does not exist, so a sign-in takes as long
    /// either way and does not tell which user names exist.
    static let decoy: String = (try? hash("decoy password that nobody has")) ?? ""

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
