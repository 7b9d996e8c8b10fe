import CSVKit
import DataAccess
import FeatureSupport
import Foundation
import PluginKit
import Registry

extension ESFStore {
    /// The monthly reports of a project from its first month through the last month that has
    /// ended by `today` (a month opens on the 1st of the next), each in its current version as
    /// it stood on `today` (one submitted after that day was still open then);
    /// without `counting`, the months' started and ended participations are left at 0 (the
    /// reminders need only the states, and the counts read every participation).
    func monthlyReports(ofProject projectId: Int, today: LocalDate, counting: Bool = true, in executor: some SQLExecutor) throws -> [MonthlyReport] {
        let project = try project(id: projectId, in: executor)
        let lastEnded = ProjectCalendar.monthStart(today).adding(days: -1)
        let months = ProjectCalendar.months(from: project.from, through: min(project.to, lastEnded))
        guard let first = months.first, let last = months.last else { return [] }
        var stored: [LocalDate: Row] = [:]
        for row in try executor.query(
            """
            SELECT month, version, CASE WHEN state = 'submitted' AND submitted_on > \(today) THEN 'open' ELSE state END AS state,
                submitted_at, submitted_by, reason
            FROM esf.monthly_reports
            WHERE project_id = \(projectId) AND state <> 'superseded' AND month BETWEEN \(first) AND \(last)
            """
        ) {
            stored[try row.decode("month")] = row
        }
        var events: [LocalDate: (started: Int, ended: Int)] = [:]
        if counting {
            for row in try executor.query(
                """
                SELECT m.month, count(*) FILTER (WHERE m.kind = 's') AS started, count(*) FILTER (WHERE m.kind = 'e') AS ended
                FROM (SELECT date_trunc('month', e.from_date)::date AS month, 's' AS kind FROM esf.participation_periods e
                      WHERE e.project_id = \(projectId)
                      UNION ALL
                      SELECT date_trunc('month', e.to_date)::date, 'e' FROM esf.participation_periods e
                      WHERE e.project_id = \(projectId) AND e.to_date IS NOT NULL) m
                GROUP BY m.month
                """
            ) {
                events[try row.decode("month")] = (try row.decode("started"), try row.decode("ended"))
            }
        }
        return try months.map { month in
            let due = ProjectCalendar.dueOn(month: month, dueDays: settings.reportDueDays)
            let row = stored[month]
            let state: MonthlyReport.State = try row?.decode("state") ?? .open
            return MonthlyReport(
                projectId: projectId,
                month: ProjectCalendar.label(month),
                version: try row?.decode("version") ?? 1,
                state: state,
                dueOn: due,
                overdue: state == .open && today > due,
                started: events[month]?.started ?? 0,
                ended: events[month]?.ended ?? 0,
                submittedAt: try row?.decode("submitted_at", as: Date?.self),
                submittedBy: try row?.decode("submitted_by", as: String?.self),
                reason: try row?.decode("reason", as: String?.self)
            )
        }
    }

    /// The report of one month.
    func monthlyReport(ofProject projectId: Int, month: LocalDate, today: LocalDate, in executor: some SQLExecutor) throws -> MonthlyReport {
        guard
            let report = try monthlyReports(ofProject: projectId, today: today, in: executor).first(where: {
                $0.month == ProjectCalendar.label(month)
            })
        else {
            throw FeatureError(
                .invalidInput,
                "\(ProjectCalendar.label(month)) is not a month of the project that has ended",
                field: "month",
                wording: Wording("monthNotEnded", ["month": ProjectCalendar.label(month)])
            )
        }
        return report
    }

    /// Marks a month's report as submitted to the statistics agency.
    ///
    /// - Throws: ``FeatureError`` `.conflict` when it is already submitted.
    func submitMonth(_ month: LocalDate, project projectId: Int, today: LocalDate, actor: Actor, in tx: Transaction) throws -> MonthlyReport {
        try tx.execute("SELECT id FROM esf.projects WHERE id = \(projectId) FOR UPDATE")
        let before = try monthlyReport(ofProject: projectId, month: month, today: today, in: tx)
        guard before.state == .open else {
            throw FeatureError(
                .conflict,
                "the report of \(before.month) is already submitted (version \(before.version))",
                field: "/state",
                wording: Wording("monthAlreadySubmitted", ["month": before.month, "version": "\(before.version)"])
            )
        }
        let rows = before.started + before.ended
        try tx.execute(
            """
            INSERT INTO esf.monthly_reports (project_id, month, version, state, rows, submitted_at, submitted_on, submitted_by)
            VALUES (\(projectId), \(month), \(before.version), 'submitted', \(rows), now(), \(today), \(actor.name))
            ON CONFLICT (project_id, month, version) DO UPDATE SET state = 'submitted', rows = EXCLUDED.rows,
                submitted_at = EXCLUDED.submitted_at, submitted_on = EXCLUDED.submitted_on, submitted_by = EXCLUDED.submitted_by
            """
        )
        let after = try monthlyReport(ofProject: projectId, month: month, today: today, in: tx)
        try tx.audit(
            actor,
            feature: Self.feature,
            entity: "monthlyReport",
            id: "\(projectId)/\(after.month)",
            action: "submit",
            before: before,
            after: after
        )
        return after
    }

    /// Re-opens a month for correction: it and every later submitted month get a new open
    /// version, the submitted ones are superseded (rule 16).
    ///
    /// - Returns: The months re-opened.
    @discardableResult
    func reopenMonths(from month: LocalDate, project projectId: Int, reason: String, actor: Actor, in tx: Transaction) throws -> [String] {
        let reason = try Input.text(reason, field: "/reason", maxLength: 500)
        let superseded = try tx.query(
            """
            UPDATE esf.monthly_reports SET state = 'superseded'
            WHERE project_id = \(projectId) AND month >= \(month) AND state = 'submitted'
            RETURNING month, version
            """
        )
        var reopened: [String] = []
        for row in superseded {
            let month: LocalDate = try row.decode("month")
            let version: Int = try row.decode("version")
            try tx.execute(
                "INSERT INTO esf.monthly_reports (project_id, month, version, state, reason) VALUES (\(projectId), \(month), \(version + 1), 'open', \(reason))"
            )
            reopened.append(ProjectCalendar.label(month))
            try tx.audit(
                actor,
                feature: Self.feature,
                entity: "monthlyReport",
                id: "\(projectId)/\(ProjectCalendar.label(month))",
                action: "reopen",
                after: ReopenAudit(version: version + 1, reason: reason)
            )
        }
        return reopened.sorted()
    }

    /// A write touched the participants of these days' months: if one of them (or a later
    /// one) was submitted, it is re-opened with every later month (rule 16).
    func correctMonths(of projectId: Int, _ days: [LocalDate], reason: String, actor: Actor, in tx: Transaction) throws {
        guard let earliest = days.min() else { return }
        try reopenMonths(from: ProjectCalendar.monthStart(earliest), project: projectId, reason: reason, actor: actor, in: tx)
    }

    /// The month's participant report as CSV: one line per entry period that started or ended in
    /// it (`from` is the first start, `lastEntryOn` the period's entry, `to` its end) with the
    /// fields the statistics agency asks for, so a later re-entry leaves the line as it was. Identity numbers are in full only when
    /// `fullNumbers` (the coordinator); special categories only when `special`. Every export is
    /// audited.
    func monthlyExport(
        ofProject projectId: Int,
        month: LocalDate,
        fullNumbers: Bool,
        special: Bool,
        actor: Actor,
        in tx: Transaction
    ) throws -> CSV {
        let project = try project(id: projectId, in: tx)
        let (start, end) = (ProjectCalendar.monthStart(month), ProjectCalendar.monthEnd(month))
        var header = [
            "caseNumber", "month", "event", "personId", "identityNumber", "name", "gender", "birthYear", "from", "to", "lastEntryOn",
            "entryStatus", "educationLevel", "homeless",
        ]
        if special { header += ["migrantBackground", "disability", "otherDisadvantaged"] }
        header.append("exitResults")
        var csv = CSV(header)
        let rows = try tx.query(
            """
            SELECT \(Participation.columns), g.name, g.gender, g.identity_masked, g.birth_year,
                e.from_date AS period_from, e.to_date AS period_to, array_to_string(e.exit_results, ',') AS period_results,
                CASE WHEN e.from_date BETWEEN \(start) AND \(end) THEN 'start' ELSE '' END AS started,
                CASE WHEN e.to_date BETWEEN \(start) AND \(end) THEN 'end' ELSE '' END AS ended
            FROM esf.participation_periods e
            JOIN esf.participations p ON p.id = e.participation_id
            JOIN registry.people g ON g.id = p.person_id
            WHERE e.project_id = \(projectId) AND (e.from_date BETWEEN \(start) AND \(end) OR e.to_date BETWEEN \(start) AND \(end))
            ORDER BY p.id, e.from_date
            """
        )
        for row in rows {
            let participation = try Participation(row: row, special: true)
            var number: String = try row.decode("identity_masked", as: String?.self) ?? ""
            if fullNumbers, !number.isEmpty {
                number =
                    try registry.revealIdentityNumber(
                        ofPerson: participation.personId,
                        purpose: "ESF monthly participant report \(project.caseNumber) \(ProjectCalendar.label(month))",
                        reach: .everything,
                        actor: actor,
                        in: tx
                    )?
                    .formatted ?? number
            }
            let event = [try row.decode("started", as: String.self), try row.decode("ended", as: String.self)].filter { !$0.isEmpty }.joined(
                separator: "+"
            )
            var line = [
                project.caseNumber, ProjectCalendar.label(month), event, String(participation.personId), number, try row.decode("name"),
                try row.decode("gender"), try row.decode("birth_year", as: Int?.self).map(String.init) ?? "", participation.from.description,
                try row.decode("period_to", as: LocalDate?.self)?.description ?? "",
                try row.decode("period_from", as: LocalDate.self).description, participation.entryStatus.rawValue,
                participation.educationLevel?.rawValue ?? "", Self.flag(participation.homeless),
            ]
            if special, let categories = participation.specialCategories {
                line += [Self.flag(categories.migrantBackground), Self.flag(categories.disability), Self.flag(categories.otherDisadvantaged)]
            }
            let results: [ExitResult] = Participation.list(try row.decode("period_results", as: String?.self) ?? "")
            line.append(results.map(\.rawValue).joined(separator: "|"))
            csv.add(row: line)
        }
        try tx.audit(
            actor,
            feature: Self.feature,
            entity: "monthlyReport",
            id: "\(projectId)/\(ProjectCalendar.label(month))",
            action: "export",
            after: ExportAudit(rows: rows.count, fullNumbers: fullNumbers, specialCategories: special)
        )
        return csv
    }

    static func flag(_ value: Bool?) -> String { value.map { $0 ? "yes" : "no" } ?? "" }

    /// Monthly reports still open whose due day is within `reminderDays` of `today`, or past.
    func reminders(today: LocalDate, projectId: Int?, in executor: some SQLExecutor) throws -> [MonthlyReport] {
        var conditions: [SQL] = ["state IN ('granted', 'running', 'closing')"]
        if let projectId { conditions.append("id = \(projectId)") }
        let projects: [Int] = try executor.query("SELECT id FROM esf.projects WHERE \(SQL.joined(conditions, separator: " AND ")) ORDER BY id").map {
            try $0.decode("id")
        }
        return try projects.flatMap { id in
            try monthlyReports(ofProject: id, today: today, counting: false, in: executor).filter {
                $0.state == .open && $0.dueOn.daysSinceEpoch - today.daysSinceEpoch <= settings.reminderDays
            }
        }
    }

    /// Raises today's reminders into `esf.reminders`, each once; only the first run of a day
    /// (on any host) does it. Each new reminder is published as an `esf.reminderRaised` event in
    /// the same transaction, for the project's coordinators (``notice(of:in:)``).
    ///
    /// - Returns: How many were raised, or `nil` when the day was already done.
    func raiseReminders(on today: LocalDate, in tx: Transaction) throws -> Int? {
        guard try tx.queryFirst("INSERT INTO esf.reminder_runs (day) VALUES (\(today)) ON CONFLICT DO NOTHING RETURNING day") != nil else {
            return nil
        }
        var raised = 0
        for report in try reminders(today: today, projectId: nil, in: tx) {
            guard let month = ProjectCalendar.month(report.month) else { continue }
            let inserted = try tx.execute(
                """
                INSERT INTO esf.reminders (project_id, month, kind, due_on, raised_on)
                VALUES (\(report.projectId), \(month), \(report.overdue ? "overdue" : "due"), \(report.dueOn), \(today))
                ON CONFLICT DO NOTHING
                """
            )
            if inserted > 0 { try events.publish(ReminderRaised<ESFProjectPlugin>(try notice(of: report, in: tx)), in: tx) }
            raised += inserted
        }
        return raised
    }
}

extension MonthlyReport: Auditable {
    var auditFields: [String: JSONValue] {
        ["version": .int(version), "state": .string(state.rawValue), "started": .int(started), "ended": .int(ended)]
    }
}

struct ReopenAudit: Auditable {
    let version: Int
    let reason: String
    var auditFields: [String: JSONValue] { ["version": .int(version), "state": "open", "reason": .string(reason)] }
}

struct ExportAudit: Auditable {
    let rows: Int
    let fullNumbers: Bool
    let specialCategories: Bool
    var auditFields: [String: JSONValue] {
        ["rows": .int(rows), "fullIdentityNumbers": .bool(fullNumbers), "specialCategories": .bool(specialCategories)]
    }
}
