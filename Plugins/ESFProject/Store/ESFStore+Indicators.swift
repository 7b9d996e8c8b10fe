import CSVKit
import DataAccess
import FeatureSupport
import Foundation
import PluginKit
import Registry

extension ESFStore {
    /// The indicators of a set, in report order, each in the version in force on `day` (the
    /// current versions without one).
    ///
    /// - Throws: ``FeatureError`` `.notFound` for an unknown set; `.conflict` for a stored
    ///   definition outside the criterion vocabulary.
    func indicators(ofSet set: String, on day: LocalDate? = nil, in executor: some SQLExecutor) throws -> [IndicatorDefinition] {
        let inForce: SQL = day.map { "valid_from <= \($0)" } ?? "valid_from <= 'infinity'::date"
        let rows = try executor.query(
            """
            SELECT * FROM (
                SELECT DISTINCT ON (code) code, kind, name, basis, criterion::text AS criterion, special, position
                FROM esf.indicators WHERE indicator_set = \(set) AND \(inForce)
                ORDER BY code, valid_from DESC
            ) d ORDER BY position, code
            """
        )
        guard !rows.isEmpty else { throw FeatureError.notFound("indicator set", id: set) }
        return try rows.map { row in
            let code: String = try row.decode("code")
            let criterion: IndicatorCriterion
            do {
                criterion = try JSONDecoder().decode(IndicatorCriterion.self, from: Data(try row.decode("criterion", as: String.self).utf8))
            } catch {
                throw FeatureError(.conflict, "the stored definition of \(code) in set \(set) is not valid: \(error)", field: "criterion")
            }
            return IndicatorDefinition(
                code: code,
                kind: try row.decode("kind"),
                name: try row.decode("name"),
                basis: try row.decode("basis"),
                criterion: criterion,
                // A set stored before `special` was derived may understate it; the criterion decides.
                special: try row.decode("special") || criterion.readsSpecialCategories
            )
        }
    }

    /// The names of the loaded sets.
    func indicatorSets(in executor: some SQLExecutor) throws -> [String] {
        try executor.query("SELECT DISTINCT indicator_set FROM esf.indicators ORDER BY 1").map { try $0.decode("indicator_set") }
    }

    /// Loads (or replaces) an indicator set: the 2021–2027 set is data, not code. Whether an
    /// indicator is special is the criterion's to say, not the uploader's: one that reads a
    /// special-category attribute must say `special: true`, and one that reads none `false`.
    ///
    /// - Throws: ``FeatureError`` `.invalidInput` naming the definition's field (`/3/special`
    ///   for a `special` flag its criterion contradicts).
    func loadIndicatorSet(_ set: String, _ definitions: [IndicatorDefinition], actor: Actor, in tx: Transaction) throws -> [IndicatorDefinition] {
        let set = try Input.text(set, field: "set", maxLength: 40)
        guard !definitions.isEmpty else { throw FeatureError(.invalidInput, "a set has at least one indicator", field: "/0") }
        var codes: Set<String> = []
        for (index, definition) in definitions.enumerated() {
            _ = try Input.text(definition.code, field: "/\(index)/code", maxLength: 20)
            _ = try Input.text(definition.name, field: "/\(index)/name", maxLength: 300)
            guard codes.insert(definition.code).inserted else {
                throw FeatureError(.invalidInput, "the code \(definition.code) is given twice", field: "/\(index)/code")
            }
            let special = definition.criterion.readsSpecialCategories
            guard definition.special == special else {
                throw FeatureError(
                    .invalidInput,
                    special
                        ? "\(definition.code) counts by special-category data (migrant background, disability, other disadvantaged), so special must be true"
                        : "\(definition.code) reads no special-category data, so special must be false",
                    field: "/\(index)/special"
                )
            }
        }
        try tx.execute("DELETE FROM esf.indicators WHERE indicator_set = \(set)")
        for (index, definition) in definitions.enumerated() {
            let criterion = String(decoding: try JSONEncoder().encode(definition.criterion), as: UTF8.self)
            try tx.execute(
                """
                INSERT INTO esf.indicators (indicator_set, code, kind, name, basis, criterion, special, position)
                VALUES (\(set), \(definition.code), \(definition.kind), \(definition.name), \(definition.basis), \(criterion)::jsonb,
                    \(definition.special), \(index + 1))
                """
            )
        }
        try tx.audit(
            actor,
            feature: Self.feature,
            entity: "indicatorSet",
            id: set,
            action: "load",
            after: IndicatorSetAudit(definitions: definitions)
        )
        return try indicators(ofSet: set, in: tx)
    }

    /// Every indicator of the project's set over a period, each split by gender (as at entry), in
    /// one pass over the participations: output indicators count those who first entered in the
    /// period, result indicators those who left in it, with the results of the entry period that
    /// ended there (a later re-entry leaves them). Each person counts once (rule 13).
    ///
    /// - Parameter special: Whether the reader may see special-category indicators; others get
    ///   them with `restricted` and no counts, and the other indicators with small numbers
    ///   suppressed (``IndicatorReport/Line/suppressingSmallNumbers``).
    func indicatorReport(
        ofProject projectId: Int,
        from: LocalDate,
        to: LocalDate,
        special: Bool,
        in executor: some SQLExecutor
    ) throws -> IndicatorReport {
        let project = try project(id: projectId, in: executor)
        let definitionsOn = try submittedOn(ofProject: project, from: from, to: to, in: executor)
        return try indicatorReport(of: project, from: from, to: to, definitionsOn: definitionsOn, special: special, in: executor)
    }

    /// The indicator report of `project` over a period by the definitions in force on
    /// `definitionsOn` (the current ones for `nil`): the progress report counts the project's
    /// whole course to a period's end by the definitions that period was reported with.
    func indicatorReport(
        of project: Project,
        from: LocalDate,
        to: LocalDate,
        definitionsOn: LocalDate?,
        special: Bool,
        in executor: some SQLExecutor
    ) throws -> IndicatorReport {
        let projectId = project.id
        let definitions = try indicators(ofSet: project.indicatorSet, on: definitionsOn, in: executor)
        let counted = definitions.filter { special || !$0.special }
        var counts: [String: [String: Int]] = [:]
        if !counted.isEmpty {
            let columns = SQL.joined(
                counted.enumerated().map { index, definition -> SQL in
                    let basis: SQL = definition.basis == .entry ? "p.from_date BETWEEN \(from) AND \(to)" : "p.to_date BETWEEN \(from) AND \(to)"
                    return "count(*) FILTER (WHERE \(basis) AND \(definition.criterion.sql)) AS \(identifier: "i\(index)")"
                },
                separator: ", "
            )
            // A prepared statement's generic plan guesses a few hundred rows for any period (and
            // sorted 100 000 on disk); the period's own plan knows how many there are.
            let rows = try executor.query(
                SQL(
                    """
                    SELECT p.gender, \(columns)
                    FROM (SELECT q.id, q.gender, q.from_date, q.entry_status, q.age_at_entry, q.education_level, q.homeless,
                              q.migrant_background, q.disability, q.other_disadvantaged, q.six_month_results, x.to_date, x.exit_results
                          FROM esf.participations q
                          -- Each participation's last period ending in the period, for all of them in
                          -- one pass (a hash join), not one index probe per participation.
                          LEFT JOIN (
                              SELECT DISTINCT ON (e.participation_id) e.participation_id, e.to_date, e.exit_results
                              FROM esf.participation_periods e
                              WHERE e.project_id = \(projectId) AND e.to_date BETWEEN \(from) AND \(to)
                              ORDER BY e.participation_id, e.to_date DESC
                          ) x ON x.participation_id = q.id
                          WHERE q.project_id = \(projectId)) p
                    WHERE p.from_date BETWEEN \(from) AND \(to) OR p.to_date BETWEEN \(from) AND \(to)
                    GROUP BY p.gender
                    """
                ).plannedForEachRun()
            )
            for row in rows {
                let gender: String = try row.decode("gender")
                for (index, definition) in counted.enumerated() {
                    counts[definition.code, default: [:]][gender] = try row.decode("i\(index)")
                }
            }
        }
        let lines = definitions.map { definition -> IndicatorReport.Line in
            guard special || !definition.special else {
                return IndicatorReport.Line(code: definition.code, kind: definition.kind, name: definition.name, restricted: true)
            }
            let byGender = counts[definition.code] ?? [:]
            let women = byGender["female"] ?? 0
            let men = byGender["male"] ?? 0
            let total = byGender.values.reduce(0, +)
            let line = IndicatorReport.Line(
                code: definition.code,
                kind: definition.kind,
                name: definition.name,
                total: .exact(total),
                women: .exact(women),
                men: .exact(men),
                other: .exact(total - women - men),
                restricted: false
            )
            return special ? line : line.suppressingSmallNumbers
        }
        return IndicatorReport(
            projectId: projectId,
            indicatorSet: project.indicatorSet,
            from: from,
            to: to,
            definitionsOn: definitionsOn,
            indicators: lines
        )
    }

    /// The day the last month of a period was submitted, when every month of it in the project
    /// is submitted: its report is re-run with the definitions in force that day. `nil` for a
    /// period with a month still open (it counts by the current definitions).
    func submittedOn(ofProject project: Project, from: LocalDate, to: LocalDate, in executor: some SQLExecutor) throws -> LocalDate? {
        let months = ProjectCalendar.months(from: max(from, project.from), through: min(to, project.to))
        guard let first = months.first, let last = months.last else { return nil }
        let row = try executor.query(
            """
            SELECT count(*) FILTER (WHERE state = 'submitted') AS submitted, max(submitted_on) AS day
            FROM esf.monthly_reports
            WHERE project_id = \(project.id) AND state <> 'superseded' AND month BETWEEN \(first) AND \(last)
            """
        ).single()
        guard try row.decode("submitted", as: Int.self) == months.count else { return nil }
        return try row.decode("day", as: LocalDate?.self)
    }
}

/// A loaded indicator set as the audit log records it.
struct IndicatorSetAudit: Auditable {
    let definitions: [IndicatorDefinition]
    var auditFields: [String: JSONValue] {
        Dictionary(uniqueKeysWithValues: definitions.map { ($0.code, JSONValue.string($0.name)) })
    }
}

extension IndicatorReport {
    /// The report as CSV: one line per indicator the reader may see, a suppressed count as its
    /// band (`< 5`, `≥ 5`).
    var csv: CSV {
        var csv = CSV("projectId", "indicatorSet", "from", "to", "code", "kind", "name", "total", "women", "men", "other")
        for line in indicators where !line.restricted {
            csv.add(
                String(projectId),
                indicatorSet,
                from.description,
                to.description,
                line.code,
                line.kind.rawValue,
                line.name,
                (line.total ?? 0).description,
                (line.women ?? 0).description,
                (line.men ?? 0).description,
                (line.other ?? 0).description
            )
        }
        return csv
    }
}
