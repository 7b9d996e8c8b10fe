import DataAccess
import Foundation
import PluginKit
import Registry

extension PartnershipStore {
    /// The organisations within reach that received an association grant, each once, by name in
    /// Swedish order (Å, Ä, Ö after Z): the ledger's choice of organisation.
    func ledgerRecipients(reach: Reach, in executor: some SQLExecutor) throws -> [(id: Int, name: String)] {
        try executor.query(
            """
            SELECT p.organisation_id, o.name
            FROM partnerships.agreements a
            JOIN partnerships.parties p ON p.agreement_id = a.id AND p.side = 'ideaBased'
            JOIN registry.organisations o ON o.id = p.organisation_id
            WHERE a.kind = 'associationGrant' AND \(reach.allowsOrganisation("p.organisation_id"))
            GROUP BY p.organisation_id, o.name
            ORDER BY \(SQL.swedish("o.name")), p.organisation_id
            """
        ).map { (try $0.decode("organisation_id"), try $0.decode("name")) }
    }

    /// The grant ledger: per recipient organisation and grant year, the grants and the money
    /// applied for, granted, paid and repaid; optionally of one year or one organisation.
    func ledger(year: Int?, organisationId: Int?, reach: Reach, in executor: some SQLExecutor) throws -> [LedgerLine] {
        var conditions: [SQL] = ["a.kind = 'associationGrant'", reach.allowsOrganisation("p.organisation_id")]
        if let year { conditions.append("a.grant_year = \(year)") }
        if let organisationId { conditions.append("p.organisation_id = \(organisationId)") }
        let rows = try executor.query(
            """
            SELECT p.organisation_id, o.name, a.grant_year, count(*) AS grants,
                   coalesce(sum(a.applied_amount), 0) AS applied, coalesce(sum(a.granted_amount), 0) AS granted,
                   sum(a.paid_amount) AS paid, sum(a.repaid_amount) AS repaid
            FROM partnerships.agreements a
            JOIN partnerships.parties p ON p.agreement_id = a.id AND p.side = 'ideaBased'
            JOIN registry.organisations o ON o.id = p.organisation_id
            WHERE \(SQL.joined(conditions, separator: " AND "))
            GROUP BY p.organisation_id, o.name, a.grant_year
            ORDER BY a.grant_year, \(SQL.swedish("o.name")), p.organisation_id
            """
        )
        return try rows.map { row in
            LedgerLine(
                organisationId: try row.decode("organisation_id"),
                organisationName: try row.decode("name"),
                year: try row.decode("grant_year"),
                grants: try row.decode("grants"),
                applied: try row.decode("applied"),
                granted: try row.decode("granted"),
                paid: try row.decode("paid"),
                repaid: try row.decode("repaid")
            )
        }
    }

    /// Totals per kind of agreement and year: the agreements whose period covers the year (a
    /// grant: its grant year; an open-ended agreement up to `asOf`), whatever their state, the
    /// contributions of the year in money and in kind, and the grants' money.
    func totals(year: Int?, asOf: LocalDate, reach: Reach, in executor: some SQLExecutor) throws -> [KindTotal] {
        let allowed = Self.allows(reach)
        func only(_ column: SQL) -> SQL {
            guard let year else { return "TRUE" }
            return "\(column) = \(year)"
        }
        let rows = try executor.query(
            """
            WITH years AS (
                SELECT a.id, a.kind, y.year::integer AS year
                FROM partnerships.agreements a,
                     LATERAL generate_series(coalesce(a.grant_year, extract(year FROM a.from_date)::integer),
                                             coalesce(a.grant_year, extract(year FROM coalesce(a.to_date, greatest(a.from_date, \(asOf))))::integer))
                         AS y(year)
                WHERE \(allowed) AND \(only("y.year"))
            ),
            running AS (SELECT kind, year, count(*) AS agreements FROM years GROUP BY kind, year),
            contributed AS (
                SELECT a.kind, c.year, sum(c.amount) FILTER (WHERE c.form = 'money') AS money,
                       sum(c.amount) FILTER (WHERE c.form = 'inKind') AS in_kind
                FROM partnerships.contributions c JOIN partnerships.agreements a ON a.id = c.agreement_id
                WHERE \(allowed) AND \(only("c.year"))
                GROUP BY a.kind, c.year
            ),
            money AS (
                SELECT a.kind, a.grant_year AS year, sum(a.applied_amount) AS applied, sum(a.granted_amount) AS granted,
                       sum(a.paid_amount) AS paid, sum(a.repaid_amount) AS repaid
                FROM partnerships.agreements a
                WHERE a.grant_year IS NOT NULL AND \(allowed) AND \(only("a.grant_year"))
                GROUP BY a.kind, a.grant_year
            )
            SELECT r.kind, r.year, r.agreements, coalesce(c.money, 0) AS money, coalesce(c.in_kind, 0) AS in_kind,
                   coalesce(m.applied, 0) AS applied, coalesce(m.granted, 0) AS granted, coalesce(m.paid, 0) AS paid,
                   coalesce(m.repaid, 0) AS repaid
            FROM running r
            LEFT JOIN contributed c ON c.kind = r.kind AND c.year = r.year
            LEFT JOIN money m ON m.kind = r.kind AND m.year = r.year
            ORDER BY r.year, r.kind
            """
        )
        return try rows.map { row in
            KindTotal(
                kind: try row.decode("kind"),
                year: try row.decode("year"),
                agreements: try row.decode("agreements"),
                money: try row.decode("money"),
                inKind: try row.decode("in_kind"),
                applied: try row.decode("applied"),
                granted: try row.decode("granted"),
                paid: try row.decode("paid"),
                repaid: try row.decode("repaid")
            )
        }
    }
}
