import CSVKit
import DataAccess
import FeatureSupport
import Foundation
import OpenAPIRuntime
import PluginKit
import Registry

/// The education API under `/api/v1/education`, implementing the operations of the feature's
/// `openapi.yaml`. The host has checked each operation's permission before a handler runs; reads
/// go through the caller's reach, so a circle outside it answers 404 as a missing one does.
struct EducationAPI: APIProtocol, ReachScopedAPI {
    let store: EducationStore
    var registry: Registry { store.registry }

    typealias P = EducationPermissions

    // MARK: - Circles

    func listCircles(_ input: Operations.ListCircles.Input) async throws -> Operations.ListCircles.Output {
        let (reach, _, _) = try caller()
        let query = CircleQuery(
            studyAssociationId: input.query.studyAssociationId,
            state: input.query.state,
            organiserId: input.query.organiserId,
            year: try input.query.year.map { year throws(FeatureError) in try Input.year(year, field: "year") }
        )
        let page = try PageRequest(limit: input.query.limit, cursor: input.query.cursor)
        return .ok(.init(body: .json(try await read { db in try store.circles(matching: query, page: page, reach: reach, in: db) })))
    }

    func createCircle(_ input: Operations.CreateCircle.Input) async throws -> Operations.CreateCircle.Output {
        let draft =
            switch input.body {
            case .json(let body): body
            }
        let (_, actor, _) = try caller()
        let circle = try await write { tx in try store.createCircle(draft, actor: actor, in: tx) }
        return .created(.init(headers: .init(location: "/api/v1/education/circles/\(circle.id)"), body: .json(circle)))
    }

    func listResponsibilityMoves(_ input: Operations.ListResponsibilityMoves.Input) async throws -> Operations.ListResponsibilityMoves.Output {
        _ = try caller()
        let moves = try await read { db in try store.responsibilityMoves(organisationId: input.query.organisationId, in: db) }
        return .ok(.init(body: .json(Items(items: moves))))
    }

    func moveEducationResponsibility(
        _ input: Operations.MoveEducationResponsibility.Input
    ) async throws -> Operations.MoveEducationResponsibility.Output {
        let draft =
            switch input.body {
            case .json(let body): body
            }
        let (_, actor, _) = try caller()
        return .created(.init(body: .json(try await write { tx in try store.moveResponsibility(draft, actor: actor, in: tx) })))
    }

    func getCircle(_ input: Operations.GetCircle.Input) async throws -> Operations.GetCircle.Output {
        let (reach, _, _) = try caller()
        return .ok(.init(body: .json(try await read { db in try store.circle(id: input.path.id, reach: reach, in: db) })))
    }

    func listEnrolments(_ input: Operations.ListEnrolments.Input) async throws -> Operations.ListEnrolments.Output {
        let ((reach, _, _), id) = (try caller(), input.path.id)
        let enrolments = try await read { db in
            // The circle first, so one outside reach answers 404 rather than an empty list.
            _ = try store.circle(id: id, reach: reach, in: db)
            return Enrolments(personIds: try store.enrolled(inCircle: id, in: db))
        }
        return .ok(.init(body: .json(enrolments)))
    }

    func enrol(_ input: Operations.Enrol.Input) async throws -> Operations.Enrol.Output {
        let draft =
            switch input.body {
            case .json(let body): body
            }
        let ((reach, actor, _), today) = (try caller(), LocalDate.today())
        let enrolled = try await write { tx in try store.enrol(draft, inCircle: input.path.id, today: today, reach: reach, actor: actor, in: tx) }
        return .created(.init(body: .json(Enrolments(personIds: enrolled))))
    }

    func withdraw(_ input: Operations.Withdraw.Input) async throws -> Operations.Withdraw.Output {
        let draft =
            switch input.body {
            case .json(let body): body
            }
        let ((reach, actor, _), today) = (try caller(), LocalDate.today())
        let enrolled = try await write { tx in try store.withdraw(draft, fromCircle: input.path.id, today: today, reach: reach, actor: actor, in: tx)
        }
        return .ok(.init(body: .json(Enrolments(personIds: enrolled))))
    }

    func changeCircleState(_ input: Operations.ChangeCircleState.Input) async throws -> Operations.ChangeCircleState.Output {
        let change =
            switch input.body {
            case .json(let body): body
            }
        let ((reach, actor, principal), today) = (try caller(), LocalDate.today())
        let mayOverride = principal.holds(P.override)
        let circle = try await write { tx in
            try store.changeState(ofCircle: input.path.id, change, mayOverride: mayOverride, today: today, reach: reach, actor: actor, in: tx)
        }
        return .ok(.init(body: .json(circle)))
    }

    func getCompliance(_ input: Operations.GetCompliance.Input) async throws -> Operations.GetCompliance.Output {
        let (reach, _, _) = try caller()
        return .ok(.init(body: .json(try await read { db in try store.compliance(ofCircle: input.path.id, namingWithin: reach, in: db) })))
    }

    // MARK: - Meetings

    func listMeetings(_ input: Operations.ListMeetings.Input) async throws -> Operations.ListMeetings.Output {
        let (reach, _, _) = try caller()
        let meetings = try await read { db in try store.meetings(ofCircle: input.path.id, reach: reach, in: db) }
        return .ok(.init(body: .json(Items(items: meetings))))
    }

    func addMeeting(_ input: Operations.AddMeeting.Input) async throws -> Operations.AddMeeting.Output {
        let draft =
            switch input.body {
            case .json(let body): body
            }
        let (reach, actor, _) = try caller()
        let meeting = try await write { tx in try store.addMeeting(draft, toCircle: input.path.id, reach: reach, actor: actor, in: tx) }
        return .created(.init(body: .json(meeting)))
    }

    func recordAttendance(_ input: Operations.RecordAttendance.Input) async throws -> Operations.RecordAttendance.Output {
        let draft =
            switch input.body {
            case .json(let body): body
            }
        let (reach, actor, _) = try caller()
        let meeting = try await write { tx in try store.recordAttendance(draft, atMeeting: input.path.id, reach: reach, actor: actor, in: tx) }
        return .ok(.init(body: .json(meeting)))
    }

    // MARK: - Reports

    func getCircleReport(_ input: Operations.GetCircleReport.Input) async throws -> Operations.GetCircleReport.Output {
        let (reach, _, _) = try caller()
        return .ok(.init(body: .json(try await read { db in try store.circleReport(id: input.path.id, reach: reach, in: db) })))
    }

    func getAttendanceList(_ input: Operations.GetAttendanceList.Input) async throws -> Operations.GetAttendanceList.Output {
        let ((reach, actor, principal), id) = (try caller(), input.path.id)
        let reveal = input.query.identityNumbers == .full
        if reveal, !principal.holds(P.identityExport) {
            throw FeatureError(.forbidden, "the role \(principal.role) may not export full identity numbers", field: "identityNumbers")
        }
        // A transaction: each full number shown is audited with the list.
        let csv = try await write { tx in try store.attendanceList(ofCircle: id, revealNumbers: reveal, reach: reach, actor: actor, in: tx) }
        return .ok(.init(headers: .init(contentDisposition: CSV.attachment(filename: "circle-\(id)-attendance.csv")), body: .csv(HTTPBody(csv.text))))
    }

    func getPeriodReport(_ input: Operations.GetPeriodReport.Input) async throws -> Operations.GetPeriodReport.Output {
        guard let from = input.query.from, let to = input.query.to else {
            throw FeatureError(.invalidInput, "give the period as from=YYYY-MM-DD&to=YYYY-MM-DD", field: "from")
        }
        guard to >= from else { throw FeatureError(.invalidInput, "the period ends (\(to)) before it begins (\(from))", field: "to") }
        let ((reach, _, _), association) = (try caller(), input.query.studyAssociationId)
        let rows = try await read { db in try store.periodReport(from: from, to: to, studyAssociationId: association, reach: reach, in: db) }
        let report = PeriodReport(from: from, to: to, items: rows)
        guard CSV.isRequested(format: input.query.format?.rawValue, accept: input.headers.accept, csv: .csv) else {
            return .ok(.init(body: .json(report)))
        }
        return .ok(
            .init(
                headers: .init(contentDisposition: CSV.attachment(filename: "study-hours-\(from)-\(to).csv")),
                body: .csv(HTTPBody(report.csv.text))
            )
        )
    }
}
