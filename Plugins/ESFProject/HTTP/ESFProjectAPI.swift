import CSVKit
import DataAccess
import FeatureSupport
import Foundation
import OpenAPIRuntime
import PluginKit
import Registry

/// The ESF API under `/api/v1/esf`, implementing the operations of the feature's `openapi.yaml`.
/// The host has checked each operation's permission before a handler runs. Participant data is
/// under secrecy: the special-category attributes are in an answer only for a caller holding
/// ``ESFPermissions/specialCategories``, and full identity numbers only for one holding
/// ``ESFPermissions/identityNumbers``.
struct ESFProjectAPI: APIProtocol, ReachScopedAPI {
    let store: ESFStore
    var registry: Registry { store.registry }

    typealias P = ESFPermissions

    // MARK: - Projects and indicator sets

    func listProjects(_ input: Operations.ListProjects.Input) async throws -> Operations.ListProjects.Output {
        let page = try PageRequest(limit: input.query.limit, cursor: input.query.cursor)
        return .ok(.init(body: .json(try await read { db in try store.projects(state: input.query.state, page: page, in: db) })))
    }

    func createProject(_ input: Operations.CreateProject.Input) async throws -> Operations.CreateProject.Output {
        let draft =
            switch input.body {
            case .json(let body): body
            }
        let (reach, actor, _) = try caller()
        let project = try await write { tx in try store.createProject(draft, reach: reach, actor: actor, in: tx) }
        return .created(.init(headers: .init(location: "/api/v1/esf/projects/\(project.id)"), body: .json(project)))
    }

    func getProject(_ input: Operations.GetProject.Input) async throws -> Operations.GetProject.Output {
        .ok(.init(body: .json(try await read { db in try store.project(id: input.path.id, in: db) })))
    }

    func changeProjectState(_ input: Operations.ChangeProjectState.Input) async throws -> Operations.ChangeProjectState.Output {
        let change =
            switch input.body {
            case .json(let body): body
            }
        let (_, actor, _) = try caller()
        let project = try await write { tx in try store.changeState(ofProject: input.path.id, to: change.state, actor: actor, in: tx) }
        return .ok(.init(body: .json(project)))
    }

    func setProjectResponsible(_ input: Operations.SetProjectResponsible.Input) async throws -> Operations.SetProjectResponsible.Output {
        let change =
            switch input.body {
            case .json(let body): body
            }
        let (_, actor, _) = try caller()
        let project = try await write { tx in try store.setResponsible(ofProject: input.path.id, change, actor: actor, in: tx) }
        return .ok(.init(body: .json(project)))
    }

    func getProjectProgress(_ input: Operations.GetProjectProgress.Input) async throws -> Operations.GetProjectProgress.Output {
        let asOf = input.query.asOf ?? LocalDate.today()
        return .ok(.init(body: .json(try await read { db in try store.progress(ofProject: input.path.id, asOf: asOf, in: db) })))
    }

    func listIndicatorSets(_ input: Operations.ListIndicatorSets.Input) async throws -> Operations.ListIndicatorSets.Output {
        .ok(.init(body: .json(Items(items: try await read { db in try store.indicatorSets(in: db) }))))
    }

    func getIndicatorSet(_ input: Operations.GetIndicatorSet.Input) async throws -> Operations.GetIndicatorSet.Output {
        .ok(.init(body: .json(Items(items: try await read { db in try store.indicators(ofSet: input.path.set, in: db) }))))
    }

    func loadIndicatorSet(_ input: Operations.LoadIndicatorSet.Input) async throws -> Operations.LoadIndicatorSet.Output {
        let definitions =
            switch input.body {
            case .json(let body): body
            }
        let (_, actor, _) = try caller()
        let loaded = try await write { tx in try store.loadIndicatorSet(input.path.set, definitions, actor: actor, in: tx) }
        return .ok(.init(body: .json(Items(items: loaded))))
    }

    // MARK: - Participants and jobs

    func listParticipations(_ input: Operations.ListParticipations.Input) async throws -> Operations.ListParticipations.Output {
        let page = try PageRequest(limit: input.query.limit, cursor: input.query.cursor)
        let (_, _, principal) = try caller()
        let participations = try await read { db in
            try store.participations(
                ofProject: input.path.id,
                activeOn: input.query.activeOn,
                page: page,
                special: principal.holds(P.specialCategories),
                in: db
            )
        }
        return .ok(.init(body: .json(participations)))
    }

    func enterParticipation(_ input: Operations.EnterParticipation.Input) async throws -> Operations.EnterParticipation.Output {
        let draft =
            switch input.body {
            case .json(let body): body
            }
        let (reach, actor, principal) = try caller()
        let (participation, reentered) = try await write { tx in
            try store.enter(draft, project: input.path.id, special: principal.holds(P.specialCategories), reach: reach, actor: actor, in: tx)
        }
        // A re-entry (rule 13) answers 200, a first entry 201; both name the participation.
        let location = "/api/v1/esf/participations/\(participation.id)"
        return reentered
            ? .ok(.init(headers: .init(location: location), body: .json(participation)))
            : .created(.init(headers: .init(location: location), body: .json(participation)))
    }

    func getParticipation(_ input: Operations.GetParticipation.Input) async throws -> Operations.GetParticipation.Output {
        let (_, _, principal) = try caller()
        return .ok(
            .init(
                body: .json(
                    try await read { db in try store.participation(id: input.path.id, special: principal.holds(P.specialCategories), in: db) }
                )
            )
        )
    }

    func exitParticipation(_ input: Operations.ExitParticipation.Input) async throws -> Operations.ExitParticipation.Output {
        let exit =
            switch input.body {
            case .json(let body): body
            }
        let ((_, actor, principal), today) = (try caller(), LocalDate.today())
        let participation = try await write { tx in
            try store.exit(exit, participation: input.path.id, today: today, special: principal.holds(P.specialCategories), actor: actor, in: tx)
        }
        return .ok(.init(body: .json(participation)))
    }

    func recordSixMonthResults(_ input: Operations.RecordSixMonthResults.Input) async throws -> Operations.RecordSixMonthResults.Output {
        let followUp =
            switch input.body {
            case .json(let body): body
            }
        let ((_, actor, principal), today) = (try caller(), LocalDate.today())
        let participation = try await write { tx in
            try store.recordSixMonths(
                followUp,
                participation: input.path.id,
                today: today,
                special: principal.holds(P.specialCategories),
                actor: actor,
                in: tx
            )
        }
        return .ok(.init(body: .json(participation)))
    }

    func listParticipationPeriods(_ input: Operations.ListParticipationPeriods.Input) async throws -> Operations.ListParticipationPeriods.Output {
        .ok(.init(body: .json(Items(items: try await read { db in try store.periods(ofParticipation: input.path.id, in: db) }))))
    }

    func getParticipationPeriod(_ input: Operations.GetParticipationPeriod.Input) async throws -> Operations.GetParticipationPeriod.Output {
        .ok(.init(body: .json(try await read { db in try store.period(input.path.periodId, ofParticipation: input.path.id, in: db) })))
    }

    func correctParticipationPeriod(
        _ input: Operations.CorrectParticipationPeriod.Input
    ) async throws -> Operations.CorrectParticipationPeriod.Output {
        let correction =
            switch input.body {
            case .json(let body): body
            }
        let ((_, actor, _), today) = (try caller(), LocalDate.today())
        let period = try await write { tx in
            try store.correctPeriod(correction, period: input.path.periodId, participation: input.path.id, today: today, actor: actor, in: tx)
        }
        return .ok(.init(body: .json(period)))
    }

    func listJobs(_ input: Operations.ListJobs.Input) async throws -> Operations.ListJobs.Output {
        let page = try PageRequest(limit: input.query.limit, cursor: input.query.cursor)
        let jobs = try await read { db in try store.jobs(ofProject: input.path.id, employerId: input.query.employerId, page: page, in: db) }
        return .ok(.init(body: .json(jobs)))
    }

    func createJob(_ input: Operations.CreateJob.Input) async throws -> Operations.CreateJob.Output {
        let draft =
            switch input.body {
            case .json(let body): body
            }
        let (reach, actor, _) = try caller()
        let job = try await write { tx in try store.createJob(draft, project: input.path.id, reach: reach, actor: actor, in: tx) }
        return .created(.init(headers: .init(location: "/api/v1/esf/jobs/\(job.id)"), body: .json(job)))
    }

    func getJob(_ input: Operations.GetJob.Input) async throws -> Operations.GetJob.Output {
        .ok(.init(body: .json(try await read { db in try store.job(id: input.path.id, in: db) })))
    }

    func importFile(_ input: Operations.ImportFile.Input) async throws -> Operations.ImportFile.Output {
        // Any content type is read as CSV, as the import always did: the header tells what the file holds.
        let file =
            switch input.body {
            case .csv(let body), .any(let body): body
            }
        // The host has already read the body within `http.maxBodyBytes`; the same limit holds here.
        let bytes = try await [UInt8](collecting: file, upTo: AppRequestContext.bodyLimit)
        let ((_, actor, _), today) = (try caller(), LocalDate.today())
        let report = try await write { tx in try store.importCSV(bytes, project: input.path.id, today: today, actor: actor, in: tx) }
        // 201 when the file added anything; 200 when every row was on record, or the file was imported before.
        return report.created + report.reentered > 0 ? .created(.init(body: .json(report))) : .ok(.init(body: .json(report)))
    }

    // MARK: - Indicators, monthly reports and reminders

    func getIndicatorReport(_ input: Operations.GetIndicatorReport.Input) async throws -> Operations.GetIndicatorReport.Output {
        guard let from = input.query.from, let to = input.query.to else {
            throw FeatureError(.invalidInput, "give the period as from=YYYY-MM-DD&to=YYYY-MM-DD", field: "from")
        }
        guard to >= from else { throw FeatureError(.invalidInput, "the period ends (\(to)) before it begins (\(from))", field: "to") }
        let (id, (_, _, principal)) = (input.path.id, try caller())
        let report = try await read { db in
            try store.indicatorReport(ofProject: id, from: from, to: to, special: principal.holds(P.specialCategories), in: db)
        }
        guard CSV.isRequested(format: input.query.format?.rawValue, accept: input.headers.accept, csv: .csv) else {
            return .ok(.init(body: .json(report)))
        }
        let disposition = CSV.attachment(filename: "esf-\(id)-indicators-\(from)-\(to).csv")
        return .ok(.init(headers: .init(contentDisposition: disposition), body: .csv(HTTPBody(report.csv.text))))
    }

    func getProgressReport(_ input: Operations.GetProgressReport.Input) async throws -> Operations.GetProgressReport.Output {
        guard let from = input.query.from, let to = input.query.to else {
            throw FeatureError(.invalidInput, "give the period as from=YYYY-MM-DD&to=YYYY-MM-DD", field: "from")
        }
        let (id, (_, _, principal)) = (input.path.id, try caller())
        let report = try await read { db in
            try store.progressReport(ofProject: id, from: from, to: to, special: principal.holds(P.specialCategories), in: db)
        }
        guard CSV.isRequested(format: input.query.format?.rawValue, accept: input.headers.accept, csv: .csv) else {
            return .ok(.init(body: .json(report)))
        }
        let disposition = CSV.attachment(filename: "esf-\(id)-progress-\(from)-\(to).csv")
        return .ok(.init(headers: .init(contentDisposition: disposition), body: .csv(HTTPBody(report.csv.text))))
    }

    func setIndicatorTarget(_ input: Operations.SetIndicatorTarget.Input) async throws -> Operations.SetIndicatorTarget.Output {
        let draft =
            switch input.body {
            case .json(let body): body
            }
        let (_, actor, _) = try caller()
        let target = try await write { tx in
            try store.setIndicatorTarget(draft, project: input.path.id, code: input.path.code, actor: actor, in: tx)
        }
        return .ok(.init(body: .json(target)))
    }

    func listMonthlyReports(_ input: Operations.ListMonthlyReports.Input) async throws -> Operations.ListMonthlyReports.Output {
        let today = LocalDate.today()
        let reports = try await read { db in try store.monthlyReports(ofProject: input.path.id, today: today, in: db) }
        return .ok(.init(body: .json(Items(items: reports))))
    }

    func submitMonthlyReport(_ input: Operations.SubmitMonthlyReport.Input) async throws -> Operations.SubmitMonthlyReport.Output {
        let (id, month, today) = (input.path.id, try ProjectCalendar.month(input.path.month, field: "month"), LocalDate.today())
        let (_, actor, _) = try caller()
        let report = try await write { tx in try store.submitMonth(month, project: id, today: today, actor: actor, in: tx) }
        return .ok(.init(body: .json(report)))
    }

    func reopenMonthlyReport(_ input: Operations.ReopenMonthlyReport.Input) async throws -> Operations.ReopenMonthlyReport.Output {
        let reopen =
            switch input.body {
            case .json(let body): body
            }
        let (id, month, today) = (input.path.id, try ProjectCalendar.month(input.path.month, field: "month"), LocalDate.today())
        let (_, actor, _) = try caller()
        let reopened = try await write { tx in
            // A month that is not one of the project's ended months is 422, as for submitting it.
            _ = try store.monthlyReport(ofProject: id, month: month, today: today, in: tx)
            let reopened = try store.reopenMonths(from: month, project: id, reason: reopen.reason, actor: actor, in: tx)
            guard !reopened.isEmpty else {
                throw FeatureError(.conflict, "no report from \(ProjectCalendar.label(month)) on is submitted; nothing to re-open", field: "/state")
            }
            return reopened
        }
        return .ok(.init(body: .json(Items(items: reopened))))
    }

    func exportMonthlyReport(_ input: Operations.ExportMonthlyReport.Input) async throws -> Operations.ExportMonthlyReport.Output {
        let (id, month) = (input.path.id, try ProjectCalendar.month(input.path.month, field: "month"))
        let caller = try Caller.current()
        let full = input.query.identityNumbers == .full
        if full, !caller.principal.holds(P.identityNumbers) {
            throw FeatureError(.forbidden, "the role \(caller.principal.role) may not export full identity numbers", field: "identityNumbers")
        }
        let (actor, special) = (caller.actor, caller.principal.holds(P.specialCategories))
        // A transaction, though it reads: every export is audited, and revealing full numbers too.
        let csv = try await write { tx in
            try store.monthlyExport(ofProject: id, month: month, fullNumbers: full, special: special, actor: actor, in: tx)
        }
        let disposition = CSV.attachment(filename: "esf-\(id)-participants-\(ProjectCalendar.label(month)).csv")
        return .ok(.init(headers: .init(contentDisposition: disposition), body: .csv(HTTPBody(csv.text))))
    }

    func listReportReminders(_ input: Operations.ListReportReminders.Input) async throws -> Operations.ListReportReminders.Output {
        let (project, today) = (input.query.projectId, input.query.asOf ?? LocalDate.today())
        return .ok(.init(body: .json(Items(items: try await read { db in try store.reminders(today: today, projectId: project, in: db) }))))
    }

    // MARK: - Costs and claims

    func listCosts(_ input: Operations.ListCosts.Input) async throws -> Operations.ListCosts.Output {
        let costs = try await read { db in try store.costs(ofProject: input.path.id, from: input.query.from, to: input.query.to, in: db) }
        return .ok(.init(body: .json(Items(items: costs))))
    }

    func bookCost(_ input: Operations.BookCost.Input) async throws -> Operations.BookCost.Output {
        let draft =
            switch input.body {
            case .json(let body): body
            }
        let (_, actor, _) = try caller()
        let cost = try await write { tx in try store.bookCost(draft, project: input.path.id, actor: actor, in: tx) }
        return .created(.init(body: .json(cost)))
    }

    func listTimeReports(_ input: Operations.ListTimeReports.Input) async throws -> Operations.ListTimeReports.Output {
        .ok(.init(body: .json(Items(items: try await read { db in try store.timeReports(ofProject: input.path.id, in: db) }))))
    }

    func reportStaffHours(_ input: Operations.ReportStaffHours.Input) async throws -> Operations.ReportStaffHours.Output {
        let draft =
            switch input.body {
            case .json(let body): body
            }
        let (reach, actor, _) = try caller()
        let report = try await write { tx in try store.reportStaffHours(draft, project: input.path.id, reach: reach, actor: actor, in: tx) }
        return .created(.init(body: .json(report)))
    }

    func listClaims(_ input: Operations.ListClaims.Input) async throws -> Operations.ListClaims.Output {
        .ok(.init(body: .json(Items(items: try await read { db in try store.claims(ofProject: input.path.id, in: db) }))))
    }

    func createClaim(_ input: Operations.CreateClaim.Input) async throws -> Operations.CreateClaim.Output {
        let draft =
            switch input.body {
            case .json(let body): body
            }
        let (_, actor, _) = try caller()
        let claim = try await write { tx in try store.createClaim(draft, project: input.path.id, actor: actor, in: tx) }
        return .created(.init(headers: .init(location: "/api/v1/esf/claims/\(claim.id)"), body: .json(claim)))
    }

    func getClaim(_ input: Operations.GetClaim.Input) async throws -> Operations.GetClaim.Output {
        .ok(.init(body: .json(try await read { db in try store.claim(id: input.path.id, in: db) })))
    }

    func changeClaimState(_ input: Operations.ChangeClaimState.Input) async throws -> Operations.ChangeClaimState.Output {
        let change =
            switch input.body {
            case .json(let body): body
            }
        let ((_, actor, _), today) = (try caller(), LocalDate.today())
        let claim = try await write { tx in try store.changeState(ofClaim: input.path.id, change, today: today, actor: actor, in: tx) }
        return .ok(.init(body: .json(claim)))
    }
}
