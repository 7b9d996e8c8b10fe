import Foundation
import Logging
import Registry

#if canImport(Glibc)
import Glibc
#endif

/// Finds the identity key: `KOOPERATOR_IDENTITY_KEY` first, else the key file.
///
/// The key file may be read and written by its owner only (mode 0600 or 0400): a file group or
/// others can reach stops the host in any environment. A missing file is created with a new
/// random key (mode 0600) in `development`; in `production` it stops the host, since a new key
/// would leave every stored identity number unreadable and a lost key file must be restored, not
/// replaced.
///
/// The key never goes into the database or the repository (`.kooperator/` is ignored by git).
/// Losing it makes every stored identity number unreadable and unfindable: back it up.
enum IdentityKeyFile {
    /// The vault of the configured key.
    ///
    /// - Throws: ``IdentityKeyError`` when the key is unusable, the file is open to group or
    ///   others, or (in production) missing.
    static func vault(
        settings: HostConfiguration.SecuritySettings,
        environment: HostConfiguration.Environment,
        logger: Logger
    ) throws -> IdentityVault {
        if let key = settings.identityKey { return try IdentityVault(base64: key) }
        let path = settings.identityKeyFile
        var status = stat()
        if stat(path, &status) == 0 {
            try checkPrivate(path, mode: status.st_mode)
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                throw IdentityKeyError(message: "cannot read the identity key file \(path)")
            }
            do {
                return try IdentityVault(base64: text)
            } catch {
                throw IdentityKeyError(message: "the identity key file \(path) is damaged: \(error)")
            }
        }
        guard environment == .development else {
            throw IdentityKeyError(
                message: "the identity key file \(path) does not exist and KOOPERATOR_IDENTITY_KEY is not set; in production "
                    + "the host does not make a new key, which would leave every stored identity number unreadable. Restore the "
                    + "file from its backup, or for a new installation create one: "
                    + "(umask 077; openssl rand -base64 32 > \(path))"
            )
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

    /// Refuses a key file that group or others may read, write or run.
    static func checkPrivate(_ path: String, mode: mode_t) throws {
        let shared = mode & 0o077
        guard shared == 0 else {
            throw IdentityKeyError(
                message: "the identity key file \(path) can be reached by group or others (mode \(String(mode & 0o777, radix: 8))); "
                    + "make it the owner's alone: chmod 600 \(path)"
            )
        }
    }
}
