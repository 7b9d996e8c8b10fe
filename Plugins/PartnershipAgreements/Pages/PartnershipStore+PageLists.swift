import DataAccess
import Foundation
import PluginKit
import Registry

/// An agreement as the list shows it: its parties' names, its contributions in money and in
/// kind, and its next date (a review, its end or a grant's follow-up report).
struct AgreementRow: Sendable {
    var id: Int
    var kind: AgreementKind
    var caseNumber: String?
    var title: String
    var state: AgreementState
    var from: LocalDate
    var to: LocalDate?
    var partyNames: String
    var money: Decimal
    var inKind: Decimal
    var nextOn: LocalDate?
    var nextKind: DueDate.Kind?
}

/// The agreements list as the pages show it: any sort column, numbered pages and the number of
/// rows found (the API pages by cursor in id order instead).
extension PartnershipStore {
    /// The sort keys of the agreements list and their columns.
    static let agreementSorts: [String: SQL] = [
        "title": .swedish("a.title"), "caseNumber": "a.case_number", "kind": "a.kind", "state": "a.state", "next": "n.next_on", "from": "a.from_date",
    ]

    /// Agreements within reach whose title, case number or a party's name contains `text`, optionally of one
    /// kind or with one party, in the given order (of ``agreementSorts`` columns), with the number found.
    ///
    /// The title has no folded column, so it is compared lower-cased with the Swedish letters
    /// folded as the registry folds names.
    func agreementList(
        text: String?,
        kind: AgreementKind?,
        organisationId: Int?,
        orderBy order: SQL,
        limit: Int,
        offset: Int,
        reach: Reach,
        in executor: some SQLExecutor
    ) throws -> (rows: [AgreementRow], total: Int) {
        var conditions: [SQL] = [Self.allows(reach)]
        if let text {
            let pattern = SearchText.containsPattern(text)
            conditions.append(
                SQL(
                    """
                    (translate(lower(a.title), 'åäöéüÅÄÖÉÜ', 'aaoeuaaoeu') LIKE \(pattern) OR \(Self.foldedCaseNumber) LIKE \(pattern) OR EXISTS (SELECT 1 FROM partnerships.parties sp
                        JOIN registry.organisations so ON so.id = sp.organisation_id WHERE sp.agreement_id = a.id AND so.search_name LIKE \(pattern)))
                    """
                ).plannedForEachRun()
            )
        }
        if let kind { conditions.append("a.kind = \(kind)") }
        if let organisationId {
            conditions.append(
                "EXISTS (SELECT 1 FROM partnerships.parties qp WHERE qp.agreement_id = a.id AND qp.organisation_id = \(organisationId))"
            )
        }
        let rows = try executor.query(
            """
            SELECT a.id, a.kind, a.case_number, a.title, a.state, a.from_date, a.to_date,
                (SELECT string_agg(o.name, ', ' ORDER BY \(SQL.swedish("o.name"))) FROM partnerships.parties p JOIN registry.organisations o ON o.id = p.organisation_id
                 WHERE p.agreement_id = a.id) AS party_names,
                (SELECT coalesce(sum(c.amount) FILTER (WHERE c.form = 'money'), 0) FROM partnerships.contributions c WHERE c.agreement_id = a.id) AS money,
                (SELECT coalesce(sum(c.amount) FILTER (WHERE c.form = 'inKind'), 0) FROM partnerships.contributions c WHERE c.agreement_id = a.id) AS in_kind,
                n.next_on, n.next_kind, count(*) OVER () AS total
            FROM partnerships.agreements a
            LEFT JOIN LATERAL (
                SELECT d.on_date AS next_on, d.kind AS next_kind FROM (VALUES
                    ('review', CASE WHEN a.state IN \(AgreementState.runningSQL) THEN a.review_on END),
                    ('end', CASE WHEN a.state IN \(AgreementState.runningSQL) THEN a.to_date END),
                    ('report', CASE WHEN a.state IN ('granted', 'paid', 'reportDue')
                        AND NOT EXISTS (SELECT 1 FROM partnerships.reports r WHERE r.agreement_id = a.id) THEN a.report_due_on END)
                ) AS d(kind, on_date)
                WHERE d.on_date IS NOT NULL ORDER BY d.on_date LIMIT 1
            ) n ON TRUE
            WHERE \(SQL.joined(conditions, separator: " AND "))
            ORDER BY \(order) LIMIT \(limit) OFFSET \(offset)
            """
        )
        let total = try rows.first?.decode("total", as: Int.self) ?? 0
        return (
            try rows.map { row in
                AgreementRow(
                    id: try row.decode("id"),
                    kind: try row.decode("kind"),
                    caseNumber: try row.decode("case_number"),
                    title: try row.decode("title"),
                    state: try row.decode("state"),
                    from: try row.decode("from_date"),
                    to: try row.decode("to_date"),
                    partyNames: try row.decode("party_names", as: String?.self) ?? "",
                    money: try row.decode("money"),
                    inKind: try row.decode("in_kind"),
                    nextOn: try row.decode("next_on"),
                    nextKind: try row.decode("next_kind")
                )
            },
            total
        )
    }

    /// The names of organisations by id (the parties of an agreement already within reach).
    func organisationNames(_ ids: [Int], in executor: some SQLExecutor) throws -> [Int: String] {
        var names: [Int: String] = [:]
        for id in Set(ids) {
            if let row = try executor.queryFirst("SELECT name FROM registry.organisations WHERE id = \(id)") {
                names[id] = try row.decode("name")
            }
        }
        return names
    }
}
