import DataAccess
import FeatureSupport
import Foundation
import PluginKit
import Registry

extension ESFStore {
    /// A project's costs in a period, oldest first.
    func costs(ofProject projectId: Int, from: LocalDate?, to: LocalDate?, in executor: some SQLExecutor) throws -> [CostEntry] {
        _ = try project(id: projectId, in: executor)
        var conditions: [SQL] = ["c.project_id = \(projectId)"]
        if let from { conditions.append("c.spent_on >= \(from)") }
        if let to { conditions.append("c.spent_on <= \(to)") }
        return try executor.query(
            "SELECT \(CostEntry.columns) FROM esf.costs c WHERE \(SQL.joined(conditions, separator: " AND ")) ORDER BY c.spent_on, c.id"
        ).map(CostEntry.init(row:))
    }

    /// Books a cost. Staff costs come from hours × unit cost (or an annual cost over 1 862
    /// hours); indirect costs are computed, never booked; a day inside a submitted or paid
    /// claim's period is closed.
    ///
    /// - Throws: ``FeatureError`` `.invalidInput` naming the field; `.conflict` for a closed period.
    func bookCost(_ draft: CostDraft, project projectId: Int, actor: Actor, in tx: Transaction) throws -> CostEntry {
        let project = try openProject(projectId, in: tx)
        let description = try Input.text(draft.description, field: "/description", maxLength: 500)
        guard draft.on >= project.from, draft.on <= project.to else {
            throw FeatureError(.invalidInput, "\(draft.on) is outside the project's period \(project.from)…\(project.to)", field: "/on")
        }
        var (amount, hours, unitCost): (Decimal, Decimal?, Decimal?) = (0, nil, nil)
        switch draft.category {
        case .indirectCosts:
            throw FeatureError(
                .invalidInput,
                "indirect costs are a flat \(settings.costs.indirectPercent) % of staff costs, computed in the claim, not booked",
                field: "/category"
            )
        case .staff:
            guard let given = draft.hours, given > 0, given <= 10_000 else {
                throw FeatureError(.invalidInput, "a staff cost gives the hours worked (above 0)", field: "/hours")
            }
            hours = try Self.amount(given, field: "/hours")
            if let annual = draft.annualCost {
                unitCost = settings.costs.unitCost(annualCost: try Self.amount(annual, field: "/annualCost"))
            } else if let unit = draft.unitCost {
                unitCost = try Self.amount(unit, field: "/unitCost")
            } else {
                throw FeatureError(.invalidInput, "a staff cost gives the unit cost per hour or the annual cost", field: "/unitCost")
            }
            amount = settings.costs.staffCost(hours: given, unitCost: unitCost ?? 0)
            if let stated = draft.amount, stated != amount {
                throw FeatureError(.invalidInput, "a staff cost is hours × unit cost = \(amount), not \(stated)", field: "/amount")
            }
        default:
            guard let given = draft.amount else { throw FeatureError(.invalidInput, "give the amount (SEK)", field: "/amount") }
            amount = try Self.amount(given, field: "/amount")
        }
        switch (draft.category, draft.source) {
        case (.financing, nil):
            throw FeatureError(
                .invalidInput,
                "co-financing in kind names its source: \(CoFinancingSource.allCases.map(\.rawValue).joined(separator: ", "))",
                field: "/source"
            )
        case (.financing, _), (_, nil): break
        case (_, .some):
            throw FeatureError(.invalidInput, "only co-financing in kind (financing) names a source", field: "/source")
        }
        if let closed = try tx.queryFirst(
            """
            SELECT id, state FROM esf.claims
            WHERE project_id = \(projectId) AND state IN ('submitted', 'paid') AND \(draft.on) BETWEEN from_date AND to_date
            """
        ) {
            let claim: Int = try closed.decode("id")
            let state: String = try closed.decode("state")
            throw FeatureError(.conflict, "\(draft.on) is in the period of claim \(claim), which is \(state); its costs are closed", field: "/on")
        }
        let id: Int = try tx.query(
            """
            INSERT INTO esf.costs (project_id, category, spent_on, amount, hours, unit_cost, source, description)
            VALUES (\(projectId), \(draft.category), \(draft.on), \(amount), \(hours), \(unitCost), \(draft.source), \(description))
            RETURNING id
            """
        ).single().decode("id")
        guard let row = try tx.queryFirst("SELECT \(CostEntry.columns) FROM esf.costs c WHERE c.id = \(id)") else {
            throw FeatureError.notFound("cost", id: id)
        }
        let cost = try CostEntry(row: row)
        try tx.audit(actor, feature: Self.feature, entity: "cost", id: id, action: "create", after: cost)
        return cost
    }

    /// The claim with `id`: a draft's totals are computed now, a submitted or paid claim's are
    /// the ones it was submitted with.
    func claim(id: Int, in executor: some SQLExecutor) throws -> Claim {
        guard
            let row = try executor.queryFirst(
                "SELECT id, project_id, from_date, to_date, state, totals::text AS totals, submitted_on, paid_on, paid_amount FROM esf.claims WHERE id = \(id)"
            )
        else { throw FeatureError.notFound("claim", id: id) }
        let projectId: Int = try row.decode("project_id")
        let (from, to): (LocalDate, LocalDate) = (try row.decode("from_date"), try row.decode("to_date"))
        let totals: ClaimTotals
        if let frozen = try row.decode("totals", as: String?.self) {
            totals = try JSONDecoder().decode(ClaimTotals.self, from: Data(frozen.utf8))
        } else {
            totals = try self.totals(ofProject: projectId, from: from, to: to, in: executor)
        }
        return Claim(
            id: id,
            projectId: projectId,
            from: from,
            to: to,
            state: try row.decode("state"),
            totals: totals,
            submittedOn: try row.decode("submitted_on"),
            paidOn: try row.decode("paid_on"),
            paidAmount: try row.decode("paid_amount")
        )
    }

    func claims(ofProject projectId: Int, in executor: some SQLExecutor) throws -> [Claim] {
        _ = try project(id: projectId, in: executor)
        return try executor.query("SELECT id FROM esf.claims WHERE project_id = \(projectId) ORDER BY from_date").map {
            try claim(id: try $0.decode("id"), in: executor)
        }
    }

    /// The costs of a period added up by rule 17, the in-kind co-financing by source (rule 18).
    func totals(ofProject projectId: Int, from: LocalDate, to: LocalDate, in executor: some SQLExecutor) throws -> ClaimTotals {
        let project = try project(id: projectId, in: executor)
        var booked: [CostCategory: Decimal] = [:]
        var inKind: [CoFinancingSource: Decimal] = [:]
        for row in try executor.query(
            """
            SELECT category, source, sum(amount) AS amount FROM esf.costs
            WHERE project_id = \(projectId) AND spent_on BETWEEN \(from) AND \(to) GROUP BY category, source
            """
        ) {
            let (category, amount): (CostCategory, Decimal) = (try row.decode("category"), try row.decode("amount"))
            booked[category, default: 0] += amount
            if let source = try row.decode("source", as: CoFinancingSource?.self) { inKind[source, default: 0] += amount }
        }
        return settings.costs.totals(booked: booked, inKind: inKind, euSharePercent: project.euSharePercent)
    }

    /// Opens a draft claim for a period that no other claim of the project covers.
    func createClaim(_ draft: ClaimDraft, project projectId: Int, actor: Actor, in tx: Transaction) throws -> Claim {
        let project = try openProject(projectId, in: tx)
        try Self.period(from: draft.from, to: draft.to, field: "/to")
        guard draft.from >= project.from, draft.to <= project.to else {
            throw FeatureError(
                .invalidInput,
                "the period \(draft.from)…\(draft.to) is outside the project's \(project.from)…\(project.to)",
                field: "/from"
            )
        }
        try tx.execute("SELECT id FROM esf.projects WHERE id = \(projectId) FOR UPDATE")
        if let other = try tx.queryFirst(
            "SELECT id FROM esf.claims WHERE project_id = \(projectId) AND from_date <= \(draft.to) AND to_date >= \(draft.from)"
        ) {
            let otherID: Int = try other.decode("id")
            throw FeatureError(.conflict, "claim \(otherID) already covers part of \(draft.from)…\(draft.to)", field: "/from")
        }
        let id: Int = try tx.query(
            "INSERT INTO esf.claims (project_id, from_date, to_date, state) VALUES (\(projectId), \(draft.from), \(draft.to), 'draft') RETURNING id"
        ).single().decode("id")
        let claim = try self.claim(id: id, in: tx)
        try tx.audit(actor, feature: Self.feature, entity: "claim", id: id, action: "create", after: claim)
        return claim
    }

    /// draft → submitted (totals frozen) → paid (with the amount paid).
    ///
    /// - Throws: ``FeatureError`` `.conflict` naming `/state` for any other change.
    func changeState(ofClaim id: Int, _ change: ClaimStateChange, today: LocalDate, actor: Actor, in tx: Transaction) throws -> Claim {
        guard try tx.queryFirst("SELECT id FROM esf.claims WHERE id = \(id) FOR UPDATE") != nil else {
            throw FeatureError.notFound("claim", id: id)
        }
        let before = try claim(id: id, in: tx)
        guard change.on <= today else { throw FeatureError(.invalidInput, "\(change.on) is in the future", field: "/on") }
        guard before.state.next == change.state else {
            throw FeatureError(
                .conflict,
                "a claim that is \(before.state.rawValue) cannot become \(change.state.rawValue): draft → submitted → paid",
                field: "/state"
            )
        }
        switch change.state {
        case .submitted:
            guard change.on > before.to else {
                throw FeatureError(.invalidInput, "a claim is submitted after its period (\(before.to)), payment comes in arrears", field: "/on")
            }
            let totals = String(decoding: try JSONEncoder().encode(before.totals), as: UTF8.self)
            try tx.execute("UPDATE esf.claims SET state = 'submitted', submitted_on = \(change.on), totals = \(totals)::jsonb WHERE id = \(id)")
        case .paid:
            guard let paid = change.paidAmount else { throw FeatureError(.invalidInput, "give the amount paid", field: "/paidAmount") }
            _ = try Self.amount(paid, field: "/paidAmount")
            guard paid <= before.totals.euAmount else {
                throw FeatureError(.invalidInput, "\(paid) is more than the \(before.totals.euAmount) claimed", field: "/paidAmount")
            }
            if let submitted = before.submittedOn, change.on < submitted {
                throw FeatureError(.invalidInput, "paid on \(change.on), before it was submitted on \(submitted)", field: "/on")
            }
            try tx.execute("UPDATE esf.claims SET state = 'paid', paid_on = \(change.on), paid_amount = \(paid) WHERE id = \(id)")
        case .draft:
            break  // the next state of none
        }
        let after = try claim(id: id, in: tx)
        try tx.audit(actor, feature: Self.feature, entity: "claim", id: id, action: "state.\(change.state.rawValue)", before: before, after: after)
        return after
    }
}

extension CostEntry: Auditable {
    var auditFields: [String: JSONValue] {
        [
            "projectId": .int(projectId), "category": .string(category.rawValue), "on": JSONValue(describing: on),
            "amount": JSONValue(describing: amount), "hours": JSONValue(describing: hours), "unitCost": JSONValue(describing: unitCost),
            "source": JSONValue(source?.rawValue), "description": .string(description),
        ]
    }
}

extension Claim: Auditable {
    var auditFields: [String: JSONValue] {
        [
            "projectId": .int(projectId), "from": JSONValue(describing: from), "to": JSONValue(describing: to), "state": .string(state.rawValue),
            "eligible": JSONValue(describing: totals.eligible), "euAmount": JSONValue(describing: totals.euAmount),
            "paidAmount": JSONValue(describing: paidAmount),
        ]
    }
}
