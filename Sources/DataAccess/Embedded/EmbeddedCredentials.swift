import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The roles of an embedded cluster and their generated passwords, kept in the cluster's
/// folder in a password file (`pgpass`, mode 0600, in libpq's `.pgpass` format, so that
/// `PGPASSFILE=<folder>/pgpass psql -h <folder>/socket -p <port> -U <role> kooperator` works).
///
/// Three roles: the bootstrap superuser `postgres` (creating databases and roles), the owner
/// `kooperator_owner` (owns the database and every schema; migrations run as it) and the serving
/// role `kooperator` (owns nothing; the host serves as it with the grants
/// ``Migrator/grantServingRole(_:appendOnlyTables:)`` gives).
public struct EmbeddedCredentials: Sendable, Equatable {
    /// A role of the embedded cluster.
    public enum Role: String, Sendable, CaseIterable {
        /// The bootstrap superuser, `postgres`.
        case superuser = "postgres"
        /// The owner of the database and its schemas, `kooperator_owner`: migrations run as it.
        case owner = "kooperator_owner"
        /// The role the host serves as, `kooperator`: it owns nothing.
        case server = "kooperator"
    }

    /// Each role's password.
    let passwords: [Role: String]

    /// The password of `role`.
    public func password(for role: Role) -> String { passwords[role] ?? "" }

    /// The file's name in the cluster's folder.
    static let fileName = "pgpass"

    /// New random passwords (32 hex digits, 128 bits each: safe in a URL and in SQL).
    static func generate() -> EmbeddedCredentials {
        var generator = SystemRandomNumberGenerator()
        var passwords: [Role: String] = [:]
        for role in Role.allCases {
            passwords[role] = (0..<16).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
        }
        return EmbeddedCredentials(passwords: passwords)
    }

    /// The file's text: one `*:*:*:role:password` line per role.
    var fileText: String {
        "# The embedded cluster's roles and passwords (libpq password file), made by kooperator; keep it mode 0600.\n"
            + Role.allCases.map { "*:*:*:\($0.rawValue):\(password(for: $0))" }.joined(separator: "\n") + "\n"
    }

    /// Reads a password file; `nil` when it does not exist.
    ///
    /// - Throws: ``EmbeddedPostgresError`` when the file is open to group or others, unreadable
    ///   or lacks a role.
    static func read(path: String) throws -> EmbeddedCredentials? {
        var status = stat()
        guard stat(path, &status) == 0 else { return nil }
        guard status.st_mode & 0o077 == 0 else {
            throw EmbeddedPostgresError(
                step: "password file",
                message:
                    "\(path) may be read by group or others (mode \(String(status.st_mode & 0o777, radix: 8))); make it the owner's alone: chmod 600 \(path)"
            )
        }
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw EmbeddedPostgresError(step: "password file", message: "cannot read \(path)")
        }
        var passwords: [Role: String] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            let fields = line.split(separator: ":", omittingEmptySubsequences: false)
            guard fields.count == 5, let role = Role(rawValue: String(fields[3])), !fields[4].isEmpty else { continue }
            passwords[role] = String(fields[4])
        }
        guard passwords.count == Role.allCases.count else {
            let missing = Role.allCases.filter { passwords[$0] == nil }.map(\.rawValue).joined(separator: ", ")
            throw EmbeddedPostgresError(step: "password file", message: "\(path) has no password for \(missing)")
        }
        return EmbeddedCredentials(passwords: passwords)
    }

    /// The passwords in `path`, made and written there (mode 0600) when the file does not exist.
    ///
    /// Written under a temporary name and renamed, and never over an existing file: when two
    /// processes start at once, both use the first file.
    ///
    /// - Returns: The credentials, and whether this call made them.
    /// - Throws: ``EmbeddedPostgresError`` when the file cannot be read or written.
    static func readOrCreate(path: String) throws -> (EmbeddedCredentials, created: Bool) {
        if let existing = try read(path: path) { return (existing, false) }
        let credentials = generate()
        let temporary = path + ".new-\(getpid())"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        guard descriptor >= 0 else {
            throw EmbeddedPostgresError(step: "password file", message: "cannot create \(temporary): \(String(cString: strerror(errno)))")
        }
        let bytes = Array(credentials.fileText.utf8)
        let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        fsync(descriptor)
        close(descriptor)
        guard written == bytes.count else {
            unlink(temporary)
            throw EmbeddedPostgresError(step: "password file", message: "cannot write \(temporary)")
        }
        // link() fails when the file appeared meanwhile: then the other process's passwords win.
        let linked = link(temporary, path)
        let linkError = errno
        unlink(temporary)
        if linked != 0 {
            if linkError == EEXIST, let existing = try read(path: path) { return (existing, false) }
            throw EmbeddedPostgresError(step: "password file", message: "cannot create \(path): \(String(cString: strerror(linkError)))")
        }
        return (credentials, true)
    }
}
