import Foundation
import Logging

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The embedded cluster's roles, passwords, ownership and `pg_hba.conf`: made on the first
/// start, checked (and an earlier version's cluster upgraded) on every start.
extension EmbeddedPostgres {
    /// `pg_hba.conf`: every connection, over the socket or TCP, proves its role's password.
    static let hostBasedAuthentication = """
        # Written by kooperator on every start of the embedded cluster (changes here are replaced).
        # Every connection proves its role's password (SCRAM); the passwords are in ../pgpass.
        # TYPE  DATABASE  USER  ADDRESS         METHOD
        local   all       all                   scram-sha-256
        host    all       all   127.0.0.1/32    scram-sha-256
        host    all       all   ::1/128         scram-sha-256

        """

    /// Attributes each role gets besides its password.
    static func attributes(of role: EmbeddedCredentials.Role) -> String {
        switch role {
        case .superuser: ""
        case .owner, .server: "LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS"
        }
    }

    /// Makes the roles and gives them their passwords, creates `databases` owned by the owner
    /// (and hands the owner what the superuser made in them), and writes `pg_hba.conf`.
    /// Every step is idempotent, so an interrupted start is finished by the next.
    func secure(credentials: EmbeddedCredentials, databases: [String], logger: Logger) throws {
        let superuser = try connect(database: "postgres", credentials: credentials, logger: logger)
        defer { superuser.close() }
        try Self.ensureRoles(credentials, on: superuser)
        for name in databases {
            try ensureDatabase(name, on: superuser)
            let connection = try connect(database: name, credentials: credentials, logger: logger)
            defer { connection.close() }
            try Self.handOwnership(on: connection)
        }
        try writeHostBasedAuthentication(on: superuser, logger: logger)
        try checkSettings(on: superuser, logger: logger)
    }

    /// A connection as the superuser over the socket.
    func connect(database: String, credentials: EmbeddedCredentials, logger: Logger) throws -> PGConnection {
        let url = url(database: database, role: .superuser, password: credentials.password(for: .superuser))
        do {
            return try PGConnection(conninfo: url, statementTimeoutMilliseconds: 0, connectTimeoutSeconds: 10, logger: logger)
        } catch let error as DatabaseError {
            throw EmbeddedPostgresError(
                step: "connect as \(EmbeddedCredentials.Role.superuser.rawValue)",
                message: "\(error.message): \(error.detail ?? "") (the passwords are in \(passwordFile); "
                    + "if it was lost, the cluster must be opened by hand: set pg_hba.conf to trust, start it, and remove the file)"
            )
        }
    }

    /// Creates the owner and serving roles when missing and (re)sets every role's attributes and
    /// password. The password reaches the server as a bound parameter, through a setting of
    /// this session only, never spliced into SQL text.
    static func ensureRoles(_ credentials: EmbeddedCredentials, on connection: PGConnection) throws {
        for role in EmbeddedCredentials.Role.allCases {
            _ = try connection.query(
                """
                SELECT set_config('kooperator.role', \(role.rawValue), false),
                       set_config('kooperator.attributes', \(attributes(of: role)), false),
                       set_config('kooperator.password', \(credentials.password(for: role)), false)
                """
            )
            _ = try connection.query(
                """
                DO $$
                BEGIN
                    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = current_setting('kooperator.role')) THEN
                        EXECUTE format('CREATE ROLE %I', current_setting('kooperator.role'));
                    END IF;
                    EXECUTE format('ALTER ROLE %I WITH %s PASSWORD %L', current_setting('kooperator.role'),
                        current_setting('kooperator.attributes'), current_setting('kooperator.password'));
                END
                $$
                """
            )
        }
        _ = try connection.query("SELECT set_config('kooperator.password', '', false)")
    }

    /// Creates the database owned by the owner role, or makes the owner role own it.
    func ensureDatabase(_ name: String, on connection: PGConnection) throws {
        let owner = EmbeddedCredentials.Role.owner.rawValue
        let rows = try connection.query("SELECT pg_get_userbyid(datdba) AS owner FROM pg_database WHERE datname = \(name)")
        guard let row = rows.first else {
            do {
                _ = try connection.query("CREATE DATABASE \(identifier: name) OWNER \(identifier: owner)")
            } catch let error as DatabaseError where error.sqlState == "42P04" {
                // Created concurrently by another process: make sure of its owner below.
                _ = try connection.query("ALTER DATABASE \(identifier: name) OWNER TO \(identifier: owner)")
            }
            return
        }
        if try row.decode("owner", as: String.self) != owner {
            _ = try connection.query("ALTER DATABASE \(identifier: name) OWNER TO \(identifier: owner)")
        }
    }

    /// Gives the owner role every schema, table, view, sequence, type and function the
    /// superuser made in the connected database (an earlier version migrated as the superuser).
    /// Objects of extensions, and sequences and indexes that belong to a table, stay as they are
    /// (the latter follow their table).
    static func handOwnership(on connection: PGConnection) throws {
        _ = try connection.query("SELECT set_config('kooperator.owner', \(EmbeddedCredentials.Role.owner.rawValue), false)")
        _ = try connection.query(
            """
            DO $$
            DECLARE
                item record;
                owner_name text := current_setting('kooperator.owner');
            BEGIN
                FOR item IN
                    SELECT n.nspname FROM pg_namespace n
                    WHERE n.nspowner = current_user::text::regrole AND n.nspname NOT LIKE 'pg\\_%'
                      AND n.nspname NOT IN ('information_schema', 'public')
                LOOP
                    EXECUTE format('ALTER SCHEMA %I OWNER TO %I', item.nspname, owner_name);
                END LOOP;
                FOR item IN
                    SELECT c.oid::regclass AS name, c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                    WHERE c.relowner = current_user::text::regrole AND n.nspname NOT LIKE 'pg\\_%' AND n.nspname <> 'information_schema'
                      AND c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S', 'c')
                      AND NOT EXISTS (
                          SELECT FROM pg_depend d
                          WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype IN ('a', 'i', 'e'))
                LOOP
                    EXECUTE format('ALTER %s %s OWNER TO %I',
                        CASE item.relkind WHEN 'S' THEN 'SEQUENCE' WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW'
                            WHEN 'f' THEN 'FOREIGN TABLE' WHEN 'c' THEN 'TYPE' ELSE 'TABLE' END,
                        item.name, owner_name);
                END LOOP;
                FOR item IN
                    SELECT p.oid::regprocedure AS name FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
                    WHERE p.proowner = current_user::text::regrole AND n.nspname NOT LIKE 'pg\\_%' AND n.nspname <> 'information_schema'
                      AND p.prokind IN ('f', 'p')
                      AND NOT EXISTS (SELECT FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e')
                LOOP
                    EXECUTE format('ALTER ROUTINE %s OWNER TO %I', item.name, owner_name);
                END LOOP;
                FOR item IN
                    SELECT t.oid::regtype AS name, t.typtype FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
                    WHERE t.typowner = current_user::text::regrole AND n.nspname NOT LIKE 'pg\\_%' AND n.nspname <> 'information_schema'
                      AND t.typtype IN ('e', 'd', 'r')
                      AND NOT EXISTS (SELECT FROM pg_depend d WHERE d.classid = 'pg_type'::regclass AND d.objid = t.oid AND d.deptype = 'e')
                LOOP
                    EXECUTE format('ALTER %s %s OWNER TO %I', CASE item.typtype WHEN 'd' THEN 'DOMAIN' ELSE 'TYPE' END, item.name, owner_name);
                END LOOP;
            END
            $$
            """
        )
    }

    /// Writes ``hostBasedAuthentication`` to `pg_hba.conf` when it differs (a new cluster, or one
    /// of an earlier version that trusted every local connection) and reloads the server.
    func writeHostBasedAuthentication(on connection: PGConnection, logger: Logger) throws {
        let path = dataDirectory + "/pg_hba.conf"
        if (try? String(contentsOfFile: path, encoding: .utf8)) != Self.hostBasedAuthentication {
            let temporary = path + ".kooperator-new"
            guard
                FileManager.default.createFile(
                    atPath: temporary,
                    contents: Data(Self.hostBasedAuthentication.utf8),
                    attributes: [.posixPermissions: 0o600]
                )
            else {
                throw EmbeddedPostgresError(step: "pg_hba.conf", message: "cannot write \(temporary)")
            }
            if getuid() == 0 { try run("/bin/chown", ["postgres:postgres", temporary], step: "chown") }
            guard rename(temporary, path) == 0 else {
                throw EmbeddedPostgresError(step: "pg_hba.conf", message: "cannot replace \(path): \(String(cString: strerror(errno)))")
            }
            _ = try connection.query("SELECT pg_reload_conf()")
            logger.notice("wrote \(path): every connection to the embedded cluster proves its role's password (scram-sha-256)")
        }
        let broken = try connection.query("SELECT count(*) AS broken FROM pg_hba_file_rules WHERE error IS NOT NULL").single()
        guard try broken.decode("broken", as: Int.self) == 0 else {
            throw EmbeddedPostgresError(step: "pg_hba.conf", message: "the server refuses \(path); see pg_hba_file_rules")
        }
    }

    /// Warns when a server that was already running (started by an earlier version, or left by
    /// a host that died) runs with settings this one would not start it with; a restart
    /// (`kooperator db stop`, then start) applies them.
    func checkSettings(on connection: PGConnection, logger: Logger) throws {
        let row = try connection.query(
            "SELECT current_setting('fsync') AS fsync, current_setting('full_page_writes') AS full_page_writes, current_setting('listen_addresses') AS listen"
        ).single()
        let fsync = try row.decode("fsync", as: String.self)
        let fullPageWrites = try row.decode("full_page_writes", as: String.self)
        let listen = try row.decode("listen", as: String.self)
        var differences: [String] = []
        if durable, fsync != "on" { differences.append("fsync is \(fsync)") }
        if durable, fullPageWrites != "on" { differences.append("full_page_writes is \(fullPageWrites)") }
        if !listensOnTCP, !listen.isEmpty { differences.append("it listens on TCP (\(listen))") }
        if !differences.isEmpty {
            let message =
                "the embedded cluster in \(directory) was started by an earlier version: \(differences.joined(separator: ", ")); "
                + "stop the host and run `kooperator db stop` so that the next start applies this version's settings"
            logger.warning("\(message)")
        }
    }
}
