import Crypto
public import Foundation

/// Encrypts identity numbers at rest and finds them again without decrypting anything.
///
/// One 256-bit master key (from `KOOPERATOR_IDENTITY_KEY` or the key file, never from the
/// database or the repository) is split with HKDF into two keys:
///
/// - an AES-GCM key that seals each identity number with a fresh nonce (`nonce ‖ ciphertext ‖
///   tag` in `registry.people.identity_cipher`), and
/// - an HMAC-SHA256 key for the blind index (`identity_hash`), so "find the person with this
///   personnummer" is an indexed equality lookup on the keyed hash.
///
/// A third derived value, the key check, is stored in the database so a host started with a
/// different key stops with a clear error instead of writing unreadable or unfindable rows. A
/// fourth, the signing key, lets the host sign short values it hands out and takes back (the
/// sign-in form's token), so every host that shares the key accepts what any of them signed.
public struct IdentityVault: Sendable {
    private let sealingKey: SymmetricKey
    private let indexKey: SymmetricKey
    private let signingKey: SymmetricKey
    /// The fingerprints' HMAC, keyed and fed its prefix once: each fingerprint starts from a copy
    /// of it instead of setting the key up again (most of what a short value's HMAC costs).
    private let fingerprints: HMAC<SHA256>
    /// An HMAC of a constant under a derived key: identifies the master key without revealing it.
    public let keyCheck: Data
    /// The key that signs paging cursors (``PageCursor``), the same on every host of an
    /// installation, and unrelated to the keys of the identity numbers.
    public let cursorKey: Data

    /// Creates a vault from the 32-byte master key.
    ///
    /// - Throws: ``IdentityKeyError`` when the key is not 32 bytes.
    public init(masterKey: Data) throws(IdentityKeyError) {
        guard masterKey.count == 32 else {
            throw IdentityKeyError(message: "the identity key must be 32 bytes (44 characters of base64), not \(masterKey.count) bytes")
        }
        let master = SymmetricKey(data: masterKey)
        let salt = Data("kooperator identity numbers".utf8)
        func derive(_ info: String) -> SymmetricKey {
            HKDF<SHA256>.deriveKey(inputKeyMaterial: master, salt: salt, info: Data(info.utf8), outputByteCount: 32)
        }
        sealingKey = derive("aes-gcm sealing v1")
        indexKey = derive("hmac blind index v1")
        signingKey = derive("host signatures v1")
        var fingerprints = HMAC<SHA256>(key: indexKey)
        fingerprints.update(data: Data("fingerprint:".utf8))
        self.fingerprints = fingerprints
        keyCheck = Data(HMAC<SHA256>.authenticationCode(for: Data("key check".utf8), using: derive("key check v1")))
        cursorKey = derive("page cursor v1").withUnsafeBytes { Data($0) }
    }

    /// Creates a vault from the base64 text of a key (as in the key file or the environment).
    ///
    /// - Throws: ``IdentityKeyError`` when the text is not base64 of 32 bytes.
    public init(base64 text: String) throws(IdentityKeyError) {
        guard let data = Data(base64Encoded: text.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw IdentityKeyError(message: "the identity key is not valid base64")
        }
        try self.init(masterKey: data)
    }

    /// A new random master key, base64-encoded, for a new key file.
    public static func generateKey() -> String {
        SymmetricKey(size: .bits256).withUnsafeBytes { Data($0).base64EncodedString() }
    }

    /// An HMAC-SHA256 of `message` under the signing key, bound to `purpose`, so a signature made
    /// for one purpose is never valid for another.
    ///
    /// - Parameters:
    ///   - message: What is signed.
    ///   - purpose: A fixed name of what the signature is for (`"sign-in form"`).
    public func signature(of message: String, purpose: String) -> Data {
        Data(HMAC<SHA256>.authenticationCode(for: Data((purpose + "\u{0}" + message).utf8), using: signingKey))
    }

    /// Whether `signature` is ``signature(of:purpose:)`` of `message` for `purpose`, compared in
    /// constant time.
    public func isSignature(_ signature: Data, of message: String, purpose: String) -> Bool {
        HMAC<SHA256>.isValidAuthenticationCode(signature, authenticating: Data((purpose + "\u{0}" + message).utf8), using: signingKey)
    }

    /// Seals the 12 stored digits of an identity number.
    ///
    /// - Throws: ``IdentityKeyError`` if sealing fails (it fails only for a bad key or nonce size).
    public func seal(_ number: IdentityNumber) throws(IdentityKeyError) -> Data {
        guard let sealed = try? AES.GCM.seal(Data(number.digits.utf8), using: sealingKey).combined else {
            throw IdentityKeyError(message: "an identity number could not be sealed")
        }
        return sealed
    }

    /// Opens a sealed identity number.
    ///
    /// - Throws: ``IdentityKeyError`` when the data was sealed with another key or is damaged.
    public func open(_ sealed: Data) throws(IdentityKeyError) -> IdentityNumber {
        do {
            let box = try AES.GCM.SealedBox(combined: sealed)
            let digits = String(decoding: try AES.GCM.open(box, using: sealingKey), as: UTF8.self)
            return try IdentityNumber(storedDigits: digits)
        } catch {
            throw IdentityKeyError(message: "a stored identity number cannot be opened with this key")
        }
    }

    /// A short keyed fingerprint of identifying text (a name, an e-mail address) for the audit
    /// log: two different values almost surely differ, and the text cannot be read back.
    public func fingerprint(_ text: String) -> String {
        var (hmac, text) = (fingerprints, text)
        text.withUTF8 { hmac.update(data: UnsafeRawBufferPointer($0)) }  // no copy into a Data
        // The code's first four bytes as eight hex digits.
        let hex = String(hmac.finalize().prefix(4).reduce(UInt32(0)) { $0 << 8 | UInt32($1) }, radix: 16)
        return "fingerprint:" + String(repeating: "0", count: 8 - hex.count) + hex
    }

    /// The blind index of an identity number: equal numbers give equal values under one key.
    public func blindIndex(_ number: IdentityNumber) -> Data {
        Data(HMAC<SHA256>.authenticationCode(for: Data(number.digits.utf8), using: indexKey))
    }
}

/// The identity key is missing, malformed, or not the key the data was written with.
public struct IdentityKeyError: Error, Sendable, CustomStringConvertible {
    /// What was wrong; never contains key material.
    public let message: String

    /// Creates an error.
    public init(message: String) { self.message = message }
    public var description: String { message }
}
