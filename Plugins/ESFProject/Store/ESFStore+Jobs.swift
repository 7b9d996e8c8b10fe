import DataAccess
import FeatureSupport
import Foundation
import PluginKit
import Registry

extension ESFStore {
    func job(id: Int, in executor: some SQLExecutor) throws -> Job {
        guard let row = try executor.queryFirst("SELECT \(Job.columns) FROM esf.jobs j WHERE j.id = \(id)") else {
            throw FeatureError.notFound("job", id: id)
        }
        return try Job(row: row)
    }

    /// A project's jobs by id, optionally of one employer.
    func jobs(ofProject projectId: Int, employerId: Int?, page: PageRequest, in executor: some SQLExecutor) throws -> Page<Job> {
        _ = try project(id: projectId, in: executor)
        var conditions: [SQL] = ["j.project_id = \(projectId)"]
        if let employerId { conditions.append("j.employer_id = \(employerId)") }
        if let after = page.afterID { conditions.append("j.id > \(after)") }
        let rows = try executor.query(
            "SELECT \(Job.columns) FROM esf.jobs j WHERE \(SQL.joined(conditions, separator: " AND ")) ORDER BY j.id LIMIT \(page.limit + 1)"
        )
        return page.page(try rows.map(Job.init(row:)), id: \.id)
    }

    /// An employer of a job: a social enterprise, so not a public body.
    func employer(_ id: Int, field: String, reach: Reach, in executor: some SQLExecutor) throws -> Organisation {
        let organisation = try registry.referencedOrganisation(id, field: field, reach: reach, in: executor)
        guard organisation.kind != .publicBody else {
            throw FeatureError(.invalidInput, "\(organisation.name) (\(id)) is a public body; a job counts in a social enterprise", field: field)
        }
        return organisation
    }

    static func share(_ value: Decimal, field: String) throws(FeatureError) -> Decimal {
        guard value > 0, value <= 100 else {
            throw FeatureError(.invalidInput, "must be a share of full time above 0 and at most 100 (percent), not \(value)", field: field)
        }
        return value
    }

    /// Records a job that followed.
    ///
    /// - Throws: ``FeatureError`` `.invalidInput` naming the field; `.conflict` for the same job twice.
    func createJob(_ draft: JobDraft, project projectId: Int, reach: Reach, actor: Actor, in tx: Transaction) throws -> Job {
        let project = try openProject(projectId, in: tx)
        let latest = max(project.to, project.jobsTargetOn ?? project.to)
        guard draft.from >= project.from, draft.from <= latest else {
            throw FeatureError(
                .invalidInput,
                "\(draft.from) is outside \(project.from)…\(latest), the project's period and its jobs target",
                field: "/from"
            )
        }
        let person = try registry.referencedPerson(draft.personId, field: "/personId", reach: reach, in: tx)
        _ = try employer(draft.employerId, field: "/employerId", reach: reach, in: tx)
        try Self.period(from: draft.from, to: draft.to, field: "/to")
        let share = try Self.share(draft.sharePercent, field: "/sharePercent")
        if try tx.queryFirst(
            """
            SELECT 1 AS taken FROM esf.jobs
            WHERE project_id = \(projectId) AND person_id = \(person.id) AND employer_id = \(draft.employerId) AND from_date = \(draft.from)
            """
        ) != nil {
            throw FeatureError(.conflict, "this job of \(person.name) from \(draft.from) is already recorded", field: "/from")
        }
        let id: Int = try tx.query(
            """
            INSERT INTO esf.jobs (project_id, person_id, employer_id, from_date, to_date, employment_form, share_percent)
            VALUES (\(projectId), \(person.id), \(draft.employerId), \(draft.from), \(draft.to), \(draft.employmentForm), \(share))
            RETURNING id
            """
        ).single().decode("id")
        let job = try self.job(id: id, in: tx)
        try tx.audit(actor, feature: Self.feature, entity: "job", id: id, action: "create", after: job)
        return job
    }

    /// Progress toward the project's jobs target on `asOf`.
    func progress(ofProject projectId: Int, asOf: LocalDate, in executor: some SQLExecutor) throws -> JobProgress {
        let project = try project(id: projectId, in: executor)
        let window: SQL = "j.project_id = \(projectId) AND j.from_date >= \(project.from) AND j.from_date <= \(asOf)"
        var byGender: [String: Int] = [:]
        for row in try executor.query(
            "SELECT g.gender, count(*) AS jobs FROM esf.jobs j JOIN registry.people g ON g.id = j.person_id WHERE \(window) GROUP BY g.gender"
        ) {
            byGender[try row.decode("gender")] = try row.decode("jobs")
        }
        let byEmployer = try executor.query(
            """
            SELECT j.employer_id, o.name, count(*) AS jobs FROM esf.jobs j JOIN registry.organisations o ON o.id = j.employer_id
            WHERE \(window) GROUP BY j.employer_id, o.name ORDER BY jobs DESC, \(SQL.swedish("o.name")), j.employer_id
            """
        ).map { JobProgress.EmployerCount(employerId: try $0.decode("employer_id"), employer: try $0.decode("name"), jobs: try $0.decode("jobs")) }
        var cumulative = 0
        let byMonth = try executor.query(
            "SELECT to_char(j.from_date, 'YYYY-MM') AS month, count(*) AS started FROM esf.jobs j WHERE \(window) GROUP BY 1 ORDER BY 1"
        ).map { row in
            let started: Int = try row.decode("started")
            cumulative += started
            return JobProgress.MonthCount(month: try row.decode("month"), started: started, cumulative: cumulative)
        }
        var progress = JobProgress(
            projectId: projectId,
            asOf: asOf,
            target: project.jobsTarget,
            targetOn: project.jobsTargetOn,
            jobs: cumulative,
            byGender: byGender,
            byEmployer: byEmployer,
            byMonth: byMonth
        )
        if let target = project.jobsTarget, let targetOn = project.jobsTargetOn, asOf >= project.from {
            let projected = JobProgress.projection(jobs: cumulative, from: project.from, asOf: asOf, targetOn: targetOn)
            progress.projected = projected
            progress.onTrack = projected >= target
        }
        return progress
    }
}

extension Job: Auditable {
    var auditFields: [String: JSONValue] {
        [
            "projectId": .int(projectId), "personId": .int(personId), "employerId": .int(employerId), "from": JSONValue(describing: from),
            "to": JSONValue(describing: to), "employmentForm": .string(employmentForm.rawValue), "sharePercent": JSONValue(describing: sharePercent),
        ]
    }
}
