import DataAccess
import Foundation
import PageKit
import PluginKit
import Registry

/// Partnerships' part of the reports, from its own schema. An agreement's money belongs to its
/// idea-based party (the first, when several): a grant is decided at its granted amount in its
/// grant year; an IOP, framework agreement or supervision contract at the money the public
/// side contributes each year; paid is what the payments paid out each year. For a provider's
/// year: the grants it received and the follow-up reports it owes. Bounded by the caller's reach.
struct PartnershipReports: ReportContributor {
    let store: PartnershipStore
    let strings: StringCatalogue

    var reports: Set<ReportKind> { [.support, .money, .provider] }

    func figures(for query: ReportQuery) async throws -> [ReportFigure] {
        let reach = store.registry.reach(of: query.principal)
        return try await store.database.withConnection { db in
            switch query.report {
            case .support, .money:
                return try money(query, reach: reach, in: db)
            case .provider:
                return try providerYear(query, reach: reach, in: db)
            case .beforeAndAfter:
                return []
            }
        }
    }

    /// Decided and paid per recipient, kind and year.
    func money(_ query: ReportQuery, reach: Reach, in db: some SQLExecutor) throws -> [ReportFigure] {
        let rows = try db.query(
            """
            WITH recipients AS (
                SELECT p.agreement_id, min(p.organisation_id) AS organisation_id
                FROM partnerships.parties p WHERE p.side = 'ideaBased' GROUP BY p.agreement_id
            ), agreements AS (
                SELECT a.id, a.kind, a.state, a.grant_year, a.granted_amount, r.organisation_id
                FROM partnerships.agreements a JOIN recipients r ON r.agreement_id = a.id
                WHERE \(query.asksFor("r.organisation_id")) AND \(reach.allowsOrganisation("r.organisation_id"))
            )
            SELECT a.organisation_id, a.kind, 'decided' AS stage, a.grant_year AS year, sum(a.granted_amount) AS amount
            FROM agreements a
            WHERE a.kind = 'associationGrant' AND a.granted_amount IS NOT NULL AND a.state <> 'rejected'
              AND a.grant_year BETWEEN \(query.years.lowerBound) AND \(query.years.upperBound)
            GROUP BY a.organisation_id, a.kind, a.grant_year
            UNION ALL
            SELECT a.organisation_id, a.kind, 'decided', c.year, sum(c.amount)
            FROM agreements a
            JOIN partnerships.contributions c ON c.agreement_id = a.id AND c.form = 'money'
            JOIN partnerships.parties p ON p.agreement_id = a.id AND p.organisation_id = c.organisation_id AND p.side = 'public'
            WHERE a.kind <> 'associationGrant' AND a.state NOT IN ('draft', 'legalCheck')
              AND c.year BETWEEN \(query.years.lowerBound) AND \(query.years.upperBound)
            GROUP BY a.organisation_id, a.kind, c.year
            UNION ALL
            SELECT a.organisation_id, a.kind, 'paid', extract(year FROM pm.paid_on)::integer, sum(pm.amount)
            FROM agreements a JOIN partnerships.payments pm ON pm.agreement_id = a.id
            WHERE pm.paid_on BETWEEN \(query.from) AND \(query.through)
            GROUP BY a.organisation_id, a.kind, extract(year FROM pm.paid_on)
            """
        )
        return try rows.map { row in
            let kind: String = try row.decode("kind")
            return ReportFigure(
                feature: PartnershipStore.feature,
                measure: "partnerships." + kind,
                label: strings.text("kind_" + kind, query.language),
                unit: .money,
                organisationID: try row.decode("organisation_id"),
                year: try row.decode("year"),
                stage: ReportFigure.Stage(rawValue: try row.decode("stage")),
                value: try row.decode("amount")
            )
        }
    }

    /// The grants the provider received, by grant year, and its follow-up reports due by the
    /// day read and not yet handed in, by the year they fall due.
    func providerYear(_ query: ReportQuery, reach: Reach, in db: some SQLExecutor) throws -> [ReportFigure] {
        let provider = query.providerID ?? 0
        let rows = try db.query(
            """
            SELECT 'grantsReceived' AS measure, a.grant_year AS year, sum(a.granted_amount) AS value
            FROM partnerships.agreements a JOIN partnerships.parties p ON p.agreement_id = a.id AND p.organisation_id = \(provider)
            WHERE a.kind = 'associationGrant' AND a.granted_amount IS NOT NULL AND a.state <> 'rejected'
              AND a.grant_year BETWEEN \(query.years.lowerBound) AND \(query.years.upperBound) AND \(reach.allowsOrganisation("p.organisation_id"))
            GROUP BY a.grant_year
            UNION ALL
            SELECT 'reportsDue', extract(year FROM a.report_due_on)::integer, count(*)
            FROM partnerships.agreements a JOIN partnerships.parties p ON p.agreement_id = a.id AND p.organisation_id = \(provider)
            WHERE a.report_due_on BETWEEN \(query.from) AND \(query.through) AND a.state IN ('granted', 'paid', 'reportDue')
              AND \(reach.allowsOrganisation("p.organisation_id"))
            GROUP BY extract(year FROM a.report_due_on)
            """
        )
        return try rows.map { row in
            let measure: String = try row.decode("measure")
            return ReportFigure(
                feature: PartnershipStore.feature,
                measure: "partnerships." + measure,
                label: strings.text("report_" + measure, query.language),
                unit: measure == "reportsDue" ? .count : .money,
                organisationID: provider,
                year: try row.decode("year"),
                stage: measure == "reportsDue" ? nil : .decided,
                value: try row.decode("value")
            )
        }
    }
}
