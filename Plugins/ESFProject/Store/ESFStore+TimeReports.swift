import DataAccess
import FeatureSupport
import Foundation
import PluginKit
import Registry

extension ESFStore {
    /// A project's time reports, by month and staff member.
    func timeReports(ofProject projectId: Int, in executor: some SQLExecutor) throws -> [TimeReport] {
        _ = try project(id: projectId, in: executor)
        return try executor.query(
            """
            SELECT \(TimeReport.columns) FROM esf.time_reports t JOIN esf.costs c ON c.id = t.cost_id
            WHERE t.project_id = \(projectId) ORDER BY t.month, t.person_id
            """
        ).map(TimeReport.init(row:))
    }

    /// Records a staff member's hours in a month (rule 17): at most 155.16 hours at full time,
    /// scaled by the employment share; the unit cost is the yearly cost over the hours of a year
    /// at that share, and the month's staff cost (hours × unit cost, on the month's last day in
    /// the project) is booked with it.
    ///
    /// - Throws: ``FeatureError`` `.invalidInput` naming the field (`/hours` with the month's
    ///   most hours for too many); `.conflict` on `/month` for a month already reported for the
    ///   person, or one in a submitted claim's period.
    func reportStaffHours(_ draft: TimeReportDraft, project projectId: Int, reach: Reach, actor: Actor, in tx: Transaction) throws -> TimeReport {
        let project = try openProject(projectId, in: tx)
        let person = try registry.referencedPerson(draft.personId, field: "/personId", reach: reach, in: tx)
        guard let month = ProjectCalendar.month(draft.month) else {
            throw FeatureError(.invalidInput, "'\(draft.month)' is not a month YYYY-MM", field: "/month")
        }
        guard ProjectCalendar.monthEnd(month) >= project.from, month <= project.to else {
            throw FeatureError(.invalidInput, "\(draft.month) is outside the project's period \(project.from)…\(project.to)", field: "/month")
        }
        guard draft.employmentPercent > 0, draft.employmentPercent <= 100 else {
            throw FeatureError(
                .invalidInput,
                "the share of full time is more than 0 and at most 100 percent, not \(draft.employmentPercent)",
                field: "/employmentPercent"
            )
        }
        let share = try Self.amount(draft.employmentPercent, field: "/employmentPercent")
        guard draft.hours > 0 else { throw FeatureError(.invalidInput, "give the hours worked (above 0)", field: "/hours") }
        let hours = try Self.amount(draft.hours, field: "/hours")
        let most = settings.costs.hoursPerMonth(sharePercent: share)
        guard hours <= most else {
            throw FeatureError(
                .invalidInput,
                "\(hours) hours is more than a month allows: \(settings.costs.hoursPerMonth) at full time, \(most) at \(share) % (rule 17)",
                field: "/hours"
            )
        }
        let annual = try Self.amount(draft.annualCost, field: "/annualCost")
        guard annual > 0 else { throw FeatureError(.invalidInput, "give the yearly cost (above 0)", field: "/annualCost") }
        if try tx.queryFirst(
            "SELECT id FROM esf.time_reports WHERE project_id = \(projectId) AND person_id = \(person.id) AND month = \(month)"
        ) != nil {
            throw FeatureError(.conflict, "\(person.name)'s hours of \(draft.month) are already reported", field: "/month")
        }
        let unitCost = settings.costs.unitCost(annualCost: annual, sharePercent: share)
        let cost = try bookCost(
            CostDraft(
                category: .staff,
                on: min(ProjectCalendar.monthEnd(month), project.to),
                hours: hours,
                unitCost: unitCost,
                description: "Time report \(draft.month), staff member \(person.id)"
            ),
            project: projectId,
            actor: actor,
            in: tx
        )
        let id: Int = try tx.query(
            """
            INSERT INTO esf.time_reports (project_id, person_id, month, hours, employment_percent, annual_cost, unit_cost, cost_id)
            VALUES (\(projectId), \(person.id), \(month), \(hours), \(share), \(annual), \(unitCost), \(cost.id))
            RETURNING id
            """
        ).single().decode("id")
        guard
            let row = try tx.queryFirst(
                "SELECT \(TimeReport.columns) FROM esf.time_reports t JOIN esf.costs c ON c.id = t.cost_id WHERE t.id = \(id)"
            )
        else { throw FeatureError.notFound("time report", id: id) }
        let report = try TimeReport(row: row)
        try tx.audit(actor, feature: Self.feature, entity: "timeReport", id: id, action: "create", after: report)
        return report
    }
}

extension TimeReport: Auditable {
    var auditFields: [String: JSONValue] {
        [
            "projectId": .int(projectId), "personId": .int(personId), "month": .string(month), "hours": JSONValue(describing: hours),
            "employmentPercent": JSONValue(describing: employmentPercent), "annualCost": JSONValue(describing: annualCost),
            "unitCost": JSONValue(describing: unitCost), "costId": .int(costId),
        ]
    }
}
