import DataAccess
import Foundation
import PluginKit
import Registry

/// `kooperator db backup` and `db restore`: every schema the host owns, through `pg_dump` and
/// `pg_restore`, as the role that owns them.
extension HostRuntime {
    /// The schemas the host owns: the kernel's, the registry's and every feature's it knows,
    /// switched on or not (a feature switched off keeps its data).
    var ownedSchemas: [String] { ["kernel"] + features.available.map { $0.id } }

    /// The extensions the schemas use (the registry's trigram search).
    static let extensions = ["pg_trgm"]

    /// The URL of the role that owns the schemas: the migration URL, else `database.url`.
    private var ownerURL: String {
        get throws {
            if let migrationURL { return migrationURL }
            guard let url = configuration.host.database.url else { throw CommandFailure("no database URL to back up from") }
            return url
        }
    }

    /// Writes every owned schema that exists to `path`; returns the schemas written.
    ///
    /// - Throws: ``CommandFailure`` when the database holds no Kooperator journal (the wrong
    ///   database); ``DatabaseDumpError`` when `pg_dump` fails.
    func backup(to path: String) async throws -> [String] {
        let present = try await presentSchemas()
        guard present.contains("kernel") else {
            throw CommandFailure(
                "the database has no Kooperator schemas (no kernel.migrations): check database.url; nothing was written to \(path)"
            )
        }
        let extensions = try await database.query("SELECT extname::text AS name FROM pg_extension WHERE extname = ANY(\(Self.extensions))")
            .map { try $0.decode("name", as: String.self) }
        let ownerURL = try ownerURL
        // Blocks its thread for the dump: only the command line runs it.
        try DatabaseDump(url: ownerURL).backup(schemas: present, extensions: extensions, to: path)
        return present
    }

    /// Restores a backup into this host's database, which must be empty; returns the schemas
    /// restored. The serving role gets its grants afterwards.
    ///
    /// - Throws: ``CommandFailure`` when the file is not a Kooperator backup or the database is
    ///   not empty; ``DatabaseDumpError`` when `pg_restore` fails (nothing is restored then).
    func restore(from path: String) async throws -> [String] {
        let inDump = try DatabaseDump.schemas(inDumpAt: path)
        guard inDump.contains("kernel") else {
            throw CommandFailure("\(path) is not a Kooperator backup: it holds no kernel schema (it holds: \(inDump.joined(separator: ", ")))")
        }
        let present = try await presentSchemas()
        guard present.isEmpty else {
            throw CommandFailure(
                "the database is not empty: it has the schemas \(present.joined(separator: ", ")); "
                    + "restore only into an empty database (create one and point database.url at it); nothing was changed"
            )
        }
        let ownerURL = try ownerURL
        try DatabaseDump(url: ownerURL).restore(from: path)
        try await grantServingRole()
        let restored = inDump.filter { ownedSchemas.contains($0) }
        do {
            try await registry.verifyKey()
        } catch {
            throw CommandFailure(
                "restored \(restored.joined(separator: ", ")), but this host's identity key does not open the restored identity numbers: "
                    + "start the host with the key the backup was made with (KOOPERATOR_IDENTITY_KEY or security.identityKeyFile)"
            )
        }
        return restored
    }

    private func presentSchemas() async throws -> [String] {
        let owned = ownedSchemas
        let names = try await database.query("SELECT nspname::text AS name FROM pg_namespace WHERE nspname = ANY(\(owned))")
            .map { try $0.decode("name", as: String.self) }
        // The journal marks a Kooperator database; a lone schema of the same name does not.
        let journal = try await database.query("SELECT to_regclass('kernel.migrations') IS NOT NULL AS present").single()
            .decode("present", as: Bool.self)
        return owned.filter { names.contains($0) && ($0 != "kernel" || journal) }
    }
}
