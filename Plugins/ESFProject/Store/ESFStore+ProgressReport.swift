import DataAccess
import FeatureSupport
import Foundation
import PluginKit
import Registry

/// The progress report for the ESF council (issue 23, report 4) and the indicator targets it
/// compares with. It adds up what the store already answers (the indicator report, the claim
/// totals, the claims) for a period, as the period's end saw it.
extension ESFStore {
    // MARK: - Indicator targets

    /// The project's indicator targets by code.
    func indicatorTargets(ofProject projectId: Int, in executor: some SQLExecutor) throws -> [String: IndicatorTarget] {
        let rows = try executor.query("SELECT project_id, code, total, women, men FROM esf.indicator_targets WHERE project_id = \(projectId)")
        return Dictionary(
            uniqueKeysWithValues: try rows.map { row in
                let target = try IndicatorTarget(row: row)
                return (target.code, target)
            }
        )
    }

    /// Sets (or replaces) the project's target for the indicator `code` of its set. Audited as
    /// the target's `set`.
    ///
    /// - Throws: ``FeatureError`` `.notFound` for an unknown project or a code its set lacks;
    ///   `.invalidInput` naming `/total`, `/women` or `/men` for a negative number, a number
    ///   above 1 000 000, or women and men adding up to more than the total.
    func setIndicatorTarget(
        _ draft: IndicatorTargetDraft,
        project projectId: Int,
        code: String,
        actor: Actor,
        in tx: Transaction
    ) throws -> IndicatorTarget {
        let project = try project(id: projectId, in: tx)
        guard try tx.queryFirst("SELECT 1 AS known FROM esf.indicators WHERE indicator_set = \(project.indicatorSet) AND code = \(code)") != nil
        else { throw FeatureError.notFound("indicator of set \(project.indicatorSet)", id: code) }
        for (value, field) in [(draft.total, "/total"), (draft.women, "/women"), (draft.men, "/men")] as [(Int?, String)] {
            guard let value else { continue }
            guard value >= 0, value <= Self.largestTarget else {
                throw FeatureError(.invalidInput, "a target is a number of participants from 0 to \(Self.largestTarget), not \(value)", field: field)
            }
        }
        if (draft.women ?? 0) + (draft.men ?? 0) > draft.total {
            throw FeatureError(
                .invalidInput,
                "women (\(draft.women ?? 0)) and men (\(draft.men ?? 0)) add up to more than the total \(draft.total)",
                field: draft.men == nil ? "/women" : "/men"
            )
        }
        let before = try indicatorTargets(ofProject: projectId, in: tx)[code]
        try tx.execute(
            """
            INSERT INTO esf.indicator_targets (project_id, code, total, women, men)
            VALUES (\(projectId), \(code), \(draft.total), \(draft.women), \(draft.men))
            ON CONFLICT (project_id, code) DO UPDATE SET total = excluded.total, women = excluded.women, men = excluded.men
            """
        )
        let after = IndicatorTarget(projectId: projectId, code: code, total: draft.total, women: draft.women, men: draft.men)
        try tx.audit(actor, feature: Self.feature, entity: "indicatorTarget", id: "\(projectId)/\(code)", action: "set", before: before, after: after)
        return after
    }

    /// The largest target an indicator takes: far above any project's participants.
    static let largestTarget = 1_000_000

    // MARK: - The report

    /// The progress report of a project for the period `from`…`to`, as of `to`.
    ///
    /// - Parameter special: Whether the reader may see special-category indicators; others get
    ///   them `restricted`, and the other indicators' gender cells under 5 as `< 5`, as in the
    ///   indicator report.
    /// - Throws: ``FeatureError`` `.notFound` for an unknown project; `.invalidInput` naming
    ///   `to` for a period that ends before it begins.
    func progressReport(
        ofProject projectId: Int,
        from: LocalDate,
        to: LocalDate,
        special: Bool,
        in executor: some SQLExecutor
    ) throws
        -> ProgressReport
    {
        guard to >= from else { throw FeatureError(.invalidInput, "the period ends (\(to)) before it begins (\(from))", field: "to") }
        let project = try project(id: projectId, in: executor)
        let start = min(project.from, from)
        // One set of definitions for both columns: the ones the period was reported with.
        let definitionsOn = try submittedOn(ofProject: project, from: from, to: to, in: executor)
        let inPeriod = try indicatorReport(of: project, from: from, to: to, definitionsOn: definitionsOn, special: special, in: executor)
        let toDate = try indicatorReport(of: project, from: start, to: to, definitionsOn: definitionsOn, special: special, in: executor)
        let targets = try indicatorTargets(ofProject: projectId, in: executor)
        let indicators = zip(inPeriod.indicators, toDate.indicators).map { period, course in
            let target = targets[period.code]
            return ProgressReport.IndicatorLine(
                code: period.code,
                kind: period.kind,
                name: period.name,
                restricted: period.restricted,
                inPeriod: ProgressReport.Counts(period),
                toDate: ProgressReport.Counts(course),
                target: target?.total,
                targetWomen: target?.women,
                targetMen: target?.men
            )
        }
        let participants = try genderCounts(
            """
            SELECT q.gender, q.from_date AS day FROM esf.participations q WHERE q.project_id = \(projectId) AND q.from_date BETWEEN \(start) AND \(to)
            """,
            from: from,
            in: executor
        )
        let jobs = try genderCounts(
            """
            SELECT g.gender, j.from_date AS day FROM esf.jobs j JOIN registry.people g ON g.id = j.person_id
            WHERE j.project_id = \(projectId) AND j.from_date BETWEEN \(start) AND \(to)
            """,
            from: from,
            in: executor
        )
        let periodTotals = try totals(ofProject: projectId, from: from, to: to, in: executor)
        let courseTotals = try totals(ofProject: projectId, from: start, to: to, in: executor)
        let budgeted = Dictionary(project.budget.map { ($0.category, $0.amount) }, uniquingKeysWith: +)
        let budget = CostCategory.allCases.map { category in
            let spent = courseTotals.byCategory[category.rawValue] ?? 0
            return ProgressReport.BudgetLine(
                category: category,
                budget: budgeted[category] ?? 0,
                inPeriod: periodTotals.byCategory[category.rawValue] ?? 0,
                toDate: spent,
                remaining: (budgeted[category] ?? 0) - spent
            )
        }
        let bySource = CoFinancingSource.allCases.map { source in
            ProgressReport.SourceLine(
                source: source,
                inPeriod: periodTotals.inKindBySource?[source.rawValue] ?? 0,
                toDate: courseTotals.inKindBySource?[source.rawValue] ?? 0
            )
        }
        let claims = try self.claims(ofProject: projectId, in: executor).compactMap { ProgressReport.ClaimLine($0, asOf: to) }
        func sum(_ values: [Decimal]) -> Decimal { values.reduce(0, +) }
        return ProgressReport(
            projectId: projectId,
            caseNumber: project.caseNumber,
            name: project.name,
            from: from,
            to: to,
            indicatorSet: project.indicatorSet,
            definitionsOn: definitionsOn,
            indicators: indicators,
            participants: .init(
                counts: participants,
                target: project.participantsTarget,
                on: project.participantsTargetOn,
                start: project.from,
                asOf: to
            ),
            jobs: .init(counts: jobs, target: project.jobsTarget, on: project.jobsTargetOn, start: project.from, asOf: to),
            budget: budget,
            eligible: .init(inPeriod: periodTotals.eligible, toDate: courseTotals.eligible),
            coFinancing: .init(
                bySource: bySource,
                inKind: .init(inPeriod: sum(bySource.map(\.inPeriod)), toDate: sum(bySource.map(\.toDate))),
                inKindBudget: budgeted[.financing] ?? 0,
                required: .init(inPeriod: periodTotals.coFinancing, toDate: courseTotals.coFinancing)
            ),
            claims: claims,
            claimed: .init(
                inPeriod: sum(claims.filter { $0.submittedOn >= from }.map(\.euAmount)),
                toDate: sum(claims.map(\.euAmount))
            ),
            paid: .init(
                inPeriod: sum(claims.filter { $0.paidOn.map { $0 >= from } ?? false }.compactMap(\.paidAmount)),
                toDate: sum(claims.compactMap(\.paidAmount))
            )
        )
    }

    /// People counted by gender in the period and to date, from rows of `gender` and `day`
    /// (already limited to the project's course up to the period's end).
    private func genderCounts(_ rows: SQL, from: LocalDate, in executor: some SQLExecutor) throws -> (inPeriod: GenderCount, toDate: GenderCount) {
        var counts = (inPeriod: GenderCount(), toDate: GenderCount())
        for row in try executor.query(
            "SELECT r.gender, count(*) FILTER (WHERE r.day >= \(from)) AS in_period, count(*) AS to_date FROM (\(rows)) r GROUP BY r.gender"
        ) {
            let gender: String = try row.decode("gender")
            counts.inPeriod.add(try row.decode("in_period"), gender: gender)
            counts.toDate.add(try row.decode("to_date"), gender: gender)
        }
        return counts
    }
}

/// Exact counts of people by gender.
struct GenderCount: Sendable, Hashable {
    var women = 0
    var men = 0
    var other = 0
    var total: Int { women + men + other }

    mutating func add(_ count: Int, gender: String) {
        switch gender {
        case "female": women += count
        case "male": men += count
        default: other += count
        }
    }
}

extension ProgressReport.Counts {
    /// An indicator line's counts; `nil` for a restricted line.
    init?(_ line: IndicatorReport.Line) {
        guard !line.restricted, let total = line.total, let women = line.women, let men = line.men, let other = line.other else { return nil }
        self.init(total: total, women: women, men: men, other: other)
    }

    init(_ count: GenderCount) {
        self.init(total: .exact(count.total), women: .exact(count.women), men: .exact(count.men), other: .exact(count.other))
    }
}

extension ProgressReport.TargetLine {
    /// Counts against a target, projected in a straight line from the project's start (as the
    /// jobs chart does) when there is a target and a day for it.
    init(counts: (inPeriod: GenderCount, toDate: GenderCount), target: Int?, on targetOn: LocalDate?, start: LocalDate, asOf: LocalDate) {
        self.init(inPeriod: .init(counts.inPeriod), toDate: .init(counts.toDate), target: target, targetOn: targetOn)
        if let target, let targetOn, asOf >= start {
            let projected = JobProgress.projection(jobs: counts.toDate.total, from: start, asOf: asOf, targetOn: targetOn)
            (self.projected, onTrack) = (projected, projected >= target)
        }
    }
}

extension ProgressReport.ClaimLine {
    /// The claim as it stood on `asOf`: `nil` when it was not yet submitted then; paid only from
    /// the day it was.
    init?(_ claim: Claim, asOf: LocalDate) {
        guard let submitted = claim.submittedOn, submitted <= asOf else { return nil }
        let paid = claim.paidOn.flatMap { $0 <= asOf ? $0 : nil }
        self.init(
            id: claim.id,
            from: claim.from,
            to: claim.to,
            state: paid == nil ? .submitted : .paid,
            euAmount: claim.totals.euAmount,
            submittedOn: submitted,
            paidOn: paid,
            paidAmount: paid == nil ? nil : claim.paidAmount
        )
    }
}

extension IndicatorTarget: Auditable {
    var auditFields: [String: JSONValue] {
        [
            "projectId": .int(projectId), "code": .string(code), "total": .int(total), "women": women.map(JSONValue.int) ?? .null,
            "men": men.map(JSONValue.int) ?? .null,
        ]
    }
}
