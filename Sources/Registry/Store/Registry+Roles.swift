public import DataAccess
public import PluginKit

extension Registry {
    /// The roles of a person or of an organisation (past and present), within reach.
    ///
    /// - Parameters:
    ///   - personID: Only this person's roles.
    ///   - organisationID: Only roles in this organisation.
    /// - Throws: ``FeatureError`` `.notFound` when the person or organisation is outside reach.
    public func roles(
        ofPerson personID: Int? = nil,
        inOrganisation organisationID: Int? = nil,
        reach: Reach,
        in executor: some SQLExecutor
    ) throws
        -> [PersonRole]
    {
        if let personID { _ = try person(id: personID, reach: reach, in: executor) }
        if let organisationID { _ = try organisation(id: organisationID, reach: reach, in: executor) }
        var conditions: [SQL] = [reach.allowsOrganisation("r.organisation_id")]
        if let personID { conditions.append("r.person_id = \(personID)") }
        if let organisationID { conditions.append("r.organisation_id = \(organisationID)") }
        return try executor.query(
            "SELECT \(PersonRole.columns) FROM registry.roles r WHERE \(SQL.joined(conditions, separator: " AND ")) ORDER BY r.from_date, r.id"
        ).map(PersonRole.init(row:))
    }

    /// The role with `id`, within reach.
    public func role(id: Int, reach: Reach, in executor: some SQLExecutor) throws -> PersonRole {
        guard
            let row = try executor.queryFirst(
                "SELECT \(PersonRole.columns) FROM registry.roles r WHERE r.id = \(id) AND \(reach.allowsOrganisation("r.organisation_id"))"
            )
        else { throw FeatureError.notFound("role", id: id) }
        return try PersonRole(row: row)
    }

    /// Gives a person a role in an organisation; both must be within reach.
    ///
    /// - Throws: ``FeatureError`` `.notFound` outside reach, `.invalidInput` for an end before
    ///   the start, `.conflict` for the same role already held in an overlapping period.
    public func addRole(_ draft: RoleDraft, reach: Reach, actor: Actor, in tx: Transaction) throws -> PersonRole {
        _ = try person(id: draft.personId, reach: reach, in: tx)
        _ = try organisation(id: draft.organisationId, reach: reach, in: tx)
        try Self.validate(from: draft.from, to: draft.to, field: "/to")
        return try insertRole(draft, actor: actor, in: tx)
    }

    /// Ends a role on a day.
    ///
    /// - Throws: ``FeatureError`` `.notFound` outside reach, `.invalidInput` for a day before the start.
    public func endRole(id: Int, on day: LocalDate, reach: Reach, actor: Actor, in tx: Transaction) throws -> PersonRole {
        let before = try role(id: id, reach: reach, in: tx)
        try Self.validate(from: before.from, to: day, field: "/to")
        let row = try tx.query(
            "UPDATE registry.roles r SET to_date = \(day) WHERE r.id = \(id) RETURNING \(PersonRole.columns)"
        ).single()
        let after = try PersonRole(row: row)
        try tx.audit(actor, feature: Self.feature, entity: "role", id: id, action: "end", before: before, after: after)
        return after
    }

    func insertRole(_ draft: RoleDraft, actor: Actor, in tx: Transaction) throws -> PersonRole {
        let overlapping = try tx.queryFirst(
            """
            SELECT id FROM registry.roles
            WHERE person_id = \(draft.personId) AND organisation_id = \(draft.organisationId) AND role = \(draft.role)
              AND daterange(from_date, to_date, '[]') && daterange(\(draft.from), \(draft.to), '[]')
            """
        )
        if overlapping != nil {
            throw FeatureError(
                .conflict,
                "person \(draft.personId) is already \(draft.role.rawValue) of organisation \(draft.organisationId) in that period",
                field: "/from"
            )
        }
        let row = try tx.query(
            """
            INSERT INTO registry.roles AS r (person_id, organisation_id, role, from_date, to_date)
            VALUES (\(draft.personId), \(draft.organisationId), \(draft.role), \(draft.from), \(draft.to))
            RETURNING \(PersonRole.columns)
            """
        ).single()
        let role = try PersonRole(row: row)
        try tx.audit(actor, feature: Self.feature, entity: "role", id: role.id, action: "create", after: role)
        return role
    }

    static func validate(from: LocalDate, to: LocalDate?, field: String) throws(FeatureError) {
        if let to, to < from {
            throw FeatureError(.invalidInput, "the last day (\(to)) is before the first (\(from))", field: field)
        }
    }

    // MARK: - Scope

    /// Lets the users of `provider` see `organisation` (and its people), on behalf of `feature`,
    /// for good: for tests and grants that no record of a feature makes. Idempotent.
    public func grantScope(provider: Int, organisation: Int, feature: String, in tx: Transaction) throws {
        try tx.execute(
            """
            INSERT INTO registry.scope_grants (provider_id, organisation_id, feature)
            VALUES (\(provider), \(organisation), \(feature))
            ON CONFLICT (provider_id, organisation_id, feature) WHERE source_id IS NULL DO NOTHING
            """
        )
    }

    /// Lets the users of `provider` see `organisation` (and its people) while the record `source`
    /// of `feature` is in force (a supervision assignment: its id), from `from` through `to`
    /// (open-ended when `nil`), plus the host's `security.reachGraceDays`. Granting again for the
    /// same source replaces the grant, so a renewal or an end moves its last day.
    public func grantScope(
        provider: Int,
        organisation: Int,
        feature: String,
        source: Int,
        from: LocalDate,
        to: LocalDate?,
        in tx: Transaction
    ) throws {
        try tx.execute(
            """
            INSERT INTO registry.scope_grants (provider_id, organisation_id, feature, source_id, from_date, to_date)
            VALUES (\(provider), \(organisation), \(feature), \(source), \(from), \(to))
            ON CONFLICT (feature, source_id) WHERE source_id IS NOT NULL DO UPDATE
            SET provider_id = EXCLUDED.provider_id, organisation_id = EXCLUDED.organisation_id,
                from_date = EXCLUDED.from_date, to_date = EXCLUDED.to_date
            """
        )
    }

    /// Removes `feature`'s grants made without a source (before grants were dated), once the
    /// feature has dated them again with ``grantScope(provider:organisation:feature:source:from:to:in:)``.
    ///
    /// - Returns: How many were removed.
    @discardableResult
    public func removeUndatedScopes(feature: String, in tx: Transaction) throws -> Int {
        try tx.execute("DELETE FROM registry.scope_grants WHERE feature = \(feature) AND source_id IS NULL")
    }
}

extension PersonRole {
    /// The columns `PersonRole(row:)` reads, from the alias `r`.
    static let columns: SQL = "r.id, r.person_id, r.organisation_id, r.role, r.from_date, r.to_date"

    init(row: Row) throws {
        self.init(
            id: try row.decode("id"),
            personId: try row.decode("person_id"),
            organisationId: try row.decode("organisation_id"),
            role: try row.decode("role"),
            from: try row.decode("from_date"),
            to: try row.decode("to_date")
        )
    }
}

extension RoleKind: SQLEncodable, SQLDecodable {}
