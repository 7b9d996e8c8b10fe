import Foundation
import Logging
import Registry

#if canImport(Glibc)
import Glibc
#endif

/// Finds the identity key: `KOOPERATOR_IDENTITY_KEY` (or `security.identityKey`) first, else
/// the key file, which is created with a new random key (mode 0600) the first time.
///
/// The key never goes into the database or the repository (`.kooperator/` is ignored by git).
/// Losing it makes every stored identity number unreadable and unfindable: back it up.
enum IdentityKeyFile {
    static func vault(settings: HostConfiguration.SecuritySettings, logger: Logger) throws -> IdentityVault {
        if let key = settings.identityKey { return try IdentityVault(base64: key) }
        let path = settings.identityKeyFile
        if let text = try? String(contentsOfFile: path, encoding: .utf8) {
            do {
                return try IdentityVault(base64: text)
            } catch {
                throw IdentityKeyError(message: "the identity key file \(path) is damaged: \(error)")
            }
        }
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty { try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) }
        let key = IdentityVault.generateKey()
        // O_EXCL: two processes starting at once must not write two different keys.
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        if descriptor < 0 {
            guard errno == EEXIST, let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                throw IdentityKeyError(message: "cannot create the identity key file \(path): \(String(cString: strerror(errno)))")
            }
            return try IdentityVault(base64: text)
        }
        let bytes = Array((key + "\n").utf8)
        let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        close(descriptor)
        guard written == bytes.count else { throw IdentityKeyError(message: "cannot write the identity key file \(path)") }
        logger.warning("created a new identity key in \(path); back it up: without it stored identity numbers cannot be read")
        return try IdentityVault(base64: key)
    }
}
