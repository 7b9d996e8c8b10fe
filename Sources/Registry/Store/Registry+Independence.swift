public import DataAccess
public import PluginKit

/// A stretch of days an organisation was supervised by someone employed by a public body: the
/// days its ASF criterion "independent of the public sector" (DOMAIN.md rule 22) does not hold.
public struct PublicSupervision: Sendable, Hashable, Codable {
    /// The first day.
    public var from: LocalDate
    /// The last day; `nil` while it lasts.
    public var to: LocalDate?
    /// The supervisor.
    public var personId: Int
    /// The supervisor's name.
    public var personName: String
    /// The public body that employs them.
    public var employerId: Int
    /// The employer's name.
    public var employerName: String

    /// Whether `day` falls in it.
    public func covers(_ day: LocalDate) -> Bool { from <= day && (to.map { day <= $0 } ?? true) }
}

extension Registry {
    /// The legal forms and kind that make an employer a public body.
    static let publicEmployerSQL: SQL = "(e.kind = 'publicBody' OR e.legal_form IN ('municipalUnit', 'publicAuthority'))"

    /// Records that `person`, employed by `employer`, supervises `organisation` from `from`
    /// through `to` (open-ended when `nil`), on behalf of the record `source` of `feature` (a
    /// supervision assignment: its id). Recording again for the same source replaces the row,
    /// so an end or a renewal moves its last day. Idempotent; runs in the caller's transaction.
    public func recordSupervisor(
        organisation: Int,
        person: Int,
        employer: Int,
        feature: String,
        source: Int,
        from: LocalDate,
        to: LocalDate?,
        in tx: Transaction
    ) throws {
        try tx.execute(
            """
            INSERT INTO registry.supervisor_periods (organisation_id, person_id, employer_id, feature, source_id, from_date, to_date)
            VALUES (\(organisation), \(person), \(employer), \(feature), \(source), \(from), \(to))
            ON CONFLICT (feature, source_id) DO UPDATE
            SET organisation_id = EXCLUDED.organisation_id, person_id = EXCLUDED.person_id, employer_id = EXCLUDED.employer_id,
                from_date = EXCLUDED.from_date, to_date = EXCLUDED.to_date
            """
        )
    }

    /// The days `organisation` was supervised by someone a public body employs, oldest first:
    /// the reasons it was not independent of the public sector then.
    public func publicSupervision(ofOrganisation organisation: Int, in executor: some SQLExecutor) throws -> [PublicSupervision] {
        try executor.query(
            """
            SELECT s.from_date, s.to_date, s.person_id, p.name AS person_name, s.employer_id, e.name AS employer_name
            FROM registry.supervisor_periods s
            JOIN registry.organisations e ON e.id = s.employer_id JOIN registry.people p ON p.id = s.person_id
            WHERE s.organisation_id = \(organisation) AND \(Self.publicEmployerSQL)
            ORDER BY s.from_date, s.id
            """
        ).map { row in
            PublicSupervision(
                from: try row.decode("from_date"),
                to: try row.decode("to_date"),
                personId: try row.decode("person_id"),
                personName: try row.decode("person_name"),
                employerId: try row.decode("employer_id"),
                employerName: try row.decode("employer_name")
            )
        }
    }

    /// Whether `organisation` is independent of the public sector on `day`: no public owner
    /// recorded among its ASF criteria, and none of its supervisors employed by a public body that
    /// day — derived from the supervision recorded, or, for an organisation with none recorded,
    /// as its ASF criteria say.
    public func isIndependentOfPublicSector(_ organisation: Organisation, on day: LocalDate, in executor: some SQLExecutor) throws -> Bool {
        if organisation.asf?.hasPublicOwner == true { return false }
        let derived = try executor.queryFirst("SELECT 1 AS found FROM registry.supervisor_periods WHERE organisation_id = \(organisation.id)") != nil
        guard derived else { return !(organisation.asf?.hasPubliclyEmployedSupervisor ?? false) }
        return try !publicSupervision(ofOrganisation: organisation.id, in: executor).contains { $0.covers(day) }
    }
}
