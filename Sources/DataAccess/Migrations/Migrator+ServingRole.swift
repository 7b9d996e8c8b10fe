import Logging

/// The serving role's grants: what a host that owns nothing needs to serve.
extension Migrator {
    /// Gives `role` (the role the host serves as) what it needs on everything the connected
    /// role (the owner, which ran the migrations) owns, and no more: `USAGE` on each of the
    /// owner's schemas; `SELECT`, `INSERT`, `UPDATE` and `DELETE` on their tables (never
    /// `TRUNCATE`, `REFERENCES` or `TRIGGER`, and never ownership, so no `ALTER`, `DROP` or
    /// `DISABLE TRIGGER`); `USAGE`, `SELECT` and `UPDATE` on their sequences. Default privileges
    /// of the owner give the same on schemas, tables and sequences it makes later, so a feature
    /// added later is covered without code of its own; this call, run after every migration,
    /// covers what existed before. `appendOnlyTables` (`schema.table`) keep only `SELECT` and
    /// `INSERT`.
    ///
    /// Nothing happens when `role` is the connected role (one role migrates and serves), and
    /// every statement runs in one transaction under the migrations' advisory lock, so hosts
    /// starting at once do not collide.
    ///
    /// - Parameters:
    ///   - role: The serving role.
    ///   - appendOnlyTables: Tables the serving role may only read and add to.
    /// - Throws: ``DatabaseError`` when a grant fails (the owner does not own a table in its
    ///   schema, say).
    public func grantServingRole(_ role: String, appendOnlyTables: [String]) async throws {
        try await database.withConnection { connection in
            let owner = try connection.query("SELECT current_user::text AS name").single().decode("name", as: String.self)
            guard owner != role else { return }
            try connection.transaction { tx in
                try tx.execute("SELECT pg_advisory_xact_lock(\(Self.lockKey))")
                let schemas = try tx.query(
                    """
                    SELECT nspname::text AS name FROM pg_namespace
                    WHERE nspowner = (SELECT oid FROM pg_roles WHERE rolname = current_user)
                      AND nspname NOT LIKE 'pg\\_%' AND nspname <> 'information_schema'
                    ORDER BY nspname
                    """
                ).map { try $0.decode("name", as: String.self) }
                for schema in schemas {
                    try tx.execute("GRANT USAGE ON SCHEMA \(identifier: schema) TO \(identifier: role)")
                    try tx.execute("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA \(identifier: schema) TO \(identifier: role)")
                    try tx.execute("GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA \(identifier: schema) TO \(identifier: role)")
                }
                try tx.execute("ALTER DEFAULT PRIVILEGES GRANT USAGE ON SCHEMAS TO \(identifier: role)")
                try tx.execute("ALTER DEFAULT PRIVILEGES GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO \(identifier: role)")
                try tx.execute("ALTER DEFAULT PRIVILEGES GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO \(identifier: role)")
                for table in appendOnlyTables {
                    let parts = table.split(separator: ".", maxSplits: 1).map(String.init)
                    guard parts.count == 2 else { continue }
                    let exists = try tx.query("SELECT to_regclass(\(table)) IS NOT NULL AS present").single().decode("present", as: Bool.self)
                    guard exists else { continue }
                    try tx.execute(
                        "REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON TABLE \(identifier: parts[0]).\(identifier: parts[1]) FROM \(identifier: role)"
                    )
                    try tx.execute("GRANT SELECT, INSERT ON TABLE \(identifier: parts[0]).\(identifier: parts[1]) TO \(identifier: role)")
                }
            }
            logger.debug("granted the serving role \(role) its privileges on the schemas of \(owner)")
        }
    }
}
