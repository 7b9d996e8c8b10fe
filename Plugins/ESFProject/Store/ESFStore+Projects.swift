import DataAccess
import FeatureSupport
import Foundation
import PluginKit
import Registry

extension ESFStore {
    /// The project with `id`.
    func project(id: Int, in executor: some SQLExecutor) throws -> Project {
        guard let row = try executor.queryFirst("SELECT \(Project.columns) FROM esf.projects p WHERE p.id = \(id)") else {
            throw FeatureError.notFound("ESF project", id: id)
        }
        return try Project(row: row, budget: budget(ofProject: id, in: executor))
    }

    func budget(ofProject id: Int, in executor: some SQLExecutor) throws -> [Project.BudgetLine] {
        try executor.query("SELECT category, amount FROM esf.budget WHERE project_id = \(id) ORDER BY category").map {
            Project.BudgetLine(category: try $0.decode("category"), amount: try $0.decode("amount"))
        }
    }

    /// Projects by id, one page.
    func projects(state: ProjectState?, page: PageRequest, in executor: some SQLExecutor) throws -> Page<Project> {
        var conditions: [SQL] = ["TRUE"]
        if let state { conditions.append("p.state = \(state)") }
        if let after = page.afterID { conditions.append("p.id > \(after)") }
        let rows = try executor.query(
            "SELECT \(Project.columns) FROM esf.projects p WHERE \(SQL.joined(conditions, separator: " AND ")) ORDER BY p.id LIMIT \(page.limit + 1)"
        )
        return page.page(try rows.map { try Project(row: $0, budget: try budget(ofProject: try $0.decode("id"), in: executor)) }, id: \.id)
    }

    /// Records an applied-for project.
    ///
    /// - Throws: ``FeatureError`` `.invalidInput` naming the field; `.conflict` for a case number in use.
    func createProject(_ draft: ProjectDraft, reach: Reach, actor: Actor, in tx: Transaction) throws -> Project {
        let caseNumber = try Input.text(draft.caseNumber, field: "/caseNumber", maxLength: 40)
        let name = try Input.text(draft.name, field: "/name")
        let programmeArea = try Input.text(draft.programmeArea, field: "/programmeArea", maxLength: 100)
        _ = try registry.referencedOrganisation(draft.ownerId, field: "/ownerId", reach: reach, in: tx)
        try Self.period(from: draft.from, to: draft.to, field: "/to")
        let share = draft.euSharePercent ?? settings.defaultEUSharePercent
        guard share > 0, share <= 100 else {
            throw FeatureError(.invalidInput, "must be a share above 0 and at most 100 (percent), not \(share)", field: "/euSharePercent")
        }
        let set = draft.indicatorSet ?? settings.indicatorSet
        guard try tx.queryFirst("SELECT 1 AS known FROM esf.indicators WHERE indicator_set = \(set) LIMIT 1") != nil else {
            throw FeatureError(.invalidInput, "no indicator set '\(set)' is loaded", field: "/indicatorSet")
        }
        for (field, target, on) in [
            ("jobs", draft.jobsTarget, draft.jobsTargetOn), ("participants", draft.participantsTarget, draft.participantsTargetOn),
        ] {
            if let target, target <= 0 {
                throw FeatureError(.invalidInput, "must be a number above 0, not \(target)", field: "/\(field)Target")
            }
            if (target == nil) != (on == nil) {
                throw FeatureError(
                    .invalidInput,
                    "give the target with the day it is for (\(field)Target and \(field)TargetOn)",
                    field: "/\(field)TargetOn"
                )
            }
            if let on, on < draft.from {
                throw FeatureError(.invalidInput, "the target's day (\(on)) is before the project begins (\(draft.from))", field: "/\(field)TargetOn")
            }
        }
        var seen: Set<CostCategory> = []
        for (index, line) in (draft.budget ?? []).enumerated() {
            _ = try Self.amount(line.amount, field: "/budget/\(index)/amount")
            guard seen.insert(line.category).inserted else {
                throw FeatureError(.invalidInput, "the category \(line.category.rawValue) is given twice", field: "/budget/\(index)/category")
            }
        }
        let coordinator =
            try staff.responsible(draft.coordinatorUserId, role: .coordinator, field: "/coordinatorUserId", in: tx)
            ?? staff.caller(actor, ifRole: .coordinator, in: tx)
        if try tx.queryFirst("SELECT 1 AS taken FROM esf.projects WHERE case_number = \(caseNumber)") != nil {
            throw FeatureError(.conflict, "a project with the case number \(caseNumber) is already recorded", field: "/caseNumber")
        }
        let id: Int = try tx.query(
            """
            INSERT INTO esf.projects (case_number, name, owner_id, from_date, to_date, programme_area, eu_share_percent, indicator_set,
                jobs_target, jobs_target_on, participants_target, participants_target_on, state, coordinator_user_id)
            VALUES (\(caseNumber), \(name), \(draft.ownerId), \(draft.from), \(draft.to), \(programmeArea), \(share), \(set),
                \(draft.jobsTarget), \(draft.jobsTargetOn), \(draft.participantsTarget), \(draft.participantsTargetOn), 'applied', \(coordinator))
            RETURNING id
            """
        ).single().decode("id")
        for line in draft.budget ?? [] {
            try tx.execute("INSERT INTO esf.budget (project_id, category, amount) VALUES (\(id), \(line.category), \(line.amount))")
        }
        let project = try self.project(id: id, in: tx)
        try tx.audit(actor, feature: Self.feature, entity: "project", id: id, action: "create", after: project)
        return project
    }

    /// Names the coordinator who answers for a project and gets its reminders, or nobody.
    ///
    /// - Throws: ``FeatureError`` `.invalidInput` at `/coordinatorUserId` for a user who is not an
    ///   active coordinator; `.notFound` for an unknown project.
    func setResponsible(ofProject id: Int, _ change: ProjectResponsible, actor: Actor, in tx: Transaction) throws -> Project {
        guard try tx.queryFirst("SELECT id FROM esf.projects WHERE id = \(id) FOR UPDATE") != nil else {
            throw FeatureError.notFound("ESF project", id: id)
        }
        let before = try project(id: id, in: tx)
        try staff.responsible(change.coordinatorUserId, role: .coordinator, field: "/coordinatorUserId", in: tx)
        try tx.execute("UPDATE esf.projects SET coordinator_user_id = \(change.coordinatorUserId) WHERE id = \(id)")
        let after = try project(id: id, in: tx)
        try tx.audit(actor, feature: Self.feature, entity: "project", id: id, action: "responsible", before: before, after: after)
        return after
    }

    /// Moves a project one step: applied → granted → running → closing → closed.
    ///
    /// - Throws: ``FeatureError`` `.conflict` naming `/state` for any other change.
    func changeState(ofProject id: Int, to state: ProjectState, actor: Actor, in tx: Transaction) throws -> Project {
        guard try tx.queryFirst("SELECT id FROM esf.projects WHERE id = \(id) FOR UPDATE") != nil else {
            throw FeatureError.notFound("ESF project", id: id)
        }
        let before = try project(id: id, in: tx)
        guard before.state.next == state else {
            let allowed = before.state.next.map { "only to \($0.rawValue)" } ?? "not at all"
            throw FeatureError(.conflict, "a project that is \(before.state.rawValue) moves \(allowed), not to \(state.rawValue)", field: "/state")
        }
        try tx.execute("UPDATE esf.projects SET state = \(state) WHERE id = \(id)")
        let after = try project(id: id, in: tx)
        try tx.audit(actor, feature: Self.feature, entity: "project", id: id, action: "state.\(state.rawValue)", before: before, after: after)
        return after
    }
}

extension Project: Auditable {
    var auditFields: [String: JSONValue] {
        var fields: [String: JSONValue] = [
            "caseNumber": .string(caseNumber), "name": .string(name), "ownerId": .int(ownerId), "from": JSONValue(describing: from),
            "to": JSONValue(describing: to), "programmeArea": .string(programmeArea), "euSharePercent": JSONValue(describing: euSharePercent),
            "indicatorSet": .string(indicatorSet), "jobsTarget": JSONValue(jobsTarget), "jobsTargetOn": JSONValue(describing: jobsTargetOn),
            "participantsTarget": JSONValue(participantsTarget), "participantsTargetOn": JSONValue(describing: participantsTargetOn),
            "state": .string(state.rawValue), "coordinatorUserId": JSONValue(coordinatorUserId),
        ]
        for line in budget { fields["budget.\(line.category.rawValue)"] = JSONValue(describing: line.amount) }
        return fields
    }
}
