import Foundation
import Registry
import Testing

@Suite("IdentityVault")
struct IdentityVaultTests {
    /// Values computed outside Swift (Python's `hmac`, HKDF-SHA256 by hand) for the master key of
    /// 32 bytes of 7: HMAC-SHA256 under the derived "hmac blind index v1" key of
    /// "fingerprint:" + the text, its first four bytes in hex.
    @Test(
        "an audit fingerprint is the keyed HMAC the log's earlier rows hold, so a change still shows against them",
        arguments: [("070-1111111", "fingerprint:a5bb3859"), ("Åsa Öberg", "fingerprint:6cace7d5")]
    )
    func fingerprint(text: String, expected: String) throws {
        let vault = try IdentityVault(masterKey: Data(repeating: 7, count: 32))
        #expect(vault.fingerprint(text) == expected)
        // The same vault gives the same value again: nothing of one call is left for the next.
        #expect(vault.fingerprint(text) == expected)
        #expect(vault.fingerprint(text + " ") != expected)
    }
}
