import DataAccess
import Hummingbird
import PluginKit
import Registry

/// The education API under `/api/v1/education`. Every route checks a permission and reads
/// through the caller's reach.
struct EducationRoutes: Sendable {
    let store: EducationStore

    typealias P = EducationPermissions

    func reach(_ principal: Principal) -> Reach { store.registry.reach(of: principal) }

    func register(on group: RouterGroup<AppRequestContext>) {
        registerCircles(on: group)
        registerMeetings(on: group)
        registerReports(on: group)
    }

    func registerCircles(on group: RouterGroup<AppRequestContext>) {
        let store = self.store
        group.on("circles", method: .get, requiring: P.read) { request, _, principal in
            let query = CircleQuery(
                studyAssociationId: try request.queryInt("studyAssociationId"),
                state: try request.queryValue("state", as: CircleState.self)
            )
            let (page, reach) = (try request.pageRequest(), reach(principal))
            return try await store.database.withConnection { db in try store.circles(matching: query, page: page, reach: reach, in: db) }
        }
        group.on("circles", method: .post, requiring: P.circleWrite) { request, context, _ in
            let draft = try await request.decodeJSON(as: CircleDraft.self, context: context)
            let actor = try context.actor()
            let circle = try await store.database.transaction { tx in try store.createCircle(draft, actor: actor, in: tx) }
            return EditedResponse(status: .created, headers: [.location: "/api/v1/education/circles/\(circle.id)"], response: circle)
        }
        group.on("circles/{id}", method: .get, requiring: P.read) { _, context, principal in
            let (id, reach) = (try context.parameters.require("id", as: Int.self), reach(principal))
            return try await store.database.withConnection { db in try store.circle(id: id, reach: reach, in: db) }
        }
        group.on("circles/{id}/enrolments", method: .get, requiring: P.read) { _, context, principal in
            let (id, reach) = (try context.parameters.require("id", as: Int.self), reach(principal))
            return try await store.database.withConnection { db in
                _ = try store.circle(id: id, reach: reach, in: db)
                return Enrolments(personIds: try store.enrolled(inCircle: id, in: db))
            }
        }
        group.on("circles/{id}/enrolments", method: .post, requiring: P.circleWrite) { request, context, principal in
            let id = try context.parameters.require("id", as: Int.self)
            let draft = try await request.decodeJSON(as: EnrolmentDraft.self, context: context)
            let (reach, actor, today) = (reach(principal), try context.actor(), LocalDate.today())
            let enrolled = try await store.database.transaction { tx in
                try store.enrol(draft, inCircle: id, today: today, reach: reach, actor: actor, in: tx)
            }
            return EditedResponse(status: .created, response: Enrolments(personIds: enrolled))
        }
        group.on("circles/{id}/state", method: .post, requiring: P.circleWrite) { request, context, principal in
            let id = try context.parameters.require("id", as: Int.self)
            let change = try await request.decodeJSON(as: CircleStateChange.self, context: context)
            let (reach, actor, today, mayOverride) = (reach(principal), try context.actor(), LocalDate.today(), principal.holds(P.override))
            return try await store.database.transaction { tx in
                try store.changeState(ofCircle: id, change, mayOverride: mayOverride, today: today, reach: reach, actor: actor, in: tx)
            }
        }
        group.on("circles/{id}/compliance", method: .get, requiring: P.read) { _, context, principal in
            let (id, reach) = (try context.parameters.require("id", as: Int.self), reach(principal))
            return try await store.database.withConnection { db in try store.compliance(ofCircle: id, reach: reach, in: db) }
        }
    }

    func registerMeetings(on group: RouterGroup<AppRequestContext>) {
        let store = self.store
        group.on("circles/{id}/meetings", method: .get, requiring: P.read) { _, context, principal in
            let (id, reach) = (try context.parameters.require("id", as: Int.self), reach(principal))
            return try await store.database.withConnection { db in Meetings(items: try store.meetings(ofCircle: id, reach: reach, in: db)) }
        }
        group.on("circles/{id}/meetings", method: .post, requiring: P.meetingWrite) { request, context, principal in
            let id = try context.parameters.require("id", as: Int.self)
            let draft = try await request.decodeJSON(as: MeetingDraft.self, context: context)
            let (reach, actor) = (reach(principal), try context.actor())
            let meeting = try await store.database.transaction { tx in try store.addMeeting(draft, toCircle: id, reach: reach, actor: actor, in: tx) }
            return EditedResponse(status: .created, response: meeting)
        }
        group.on("meetings/{id}/attendance", method: .put, requiring: P.meetingWrite) { request, context, principal in
            let id = try context.parameters.require("id", as: Int.self)
            let draft = try await request.decodeJSON(as: AttendanceDraft.self, context: context)
            let (reach, actor) = (reach(principal), try context.actor())
            return try await store.database.transaction { tx in try store.recordAttendance(draft, atMeeting: id, reach: reach, actor: actor, in: tx) }
        }
    }

    func registerReports(on group: RouterGroup<AppRequestContext>) {
        let store = self.store
        group.on("circles/{id}/report", method: .get, requiring: P.read) { _, context, principal in
            let (id, reach) = (try context.parameters.require("id", as: Int.self), reach(principal))
            return try await store.database.withConnection { db in try store.circleReport(id: id, reach: reach, in: db) }
        }
        group.on("circles/{id}/attendance.csv", method: .get, requiring: P.read) { request, context, principal -> Response in
            let id = try context.parameters.require("id", as: Int.self)
            let reveal = request.queryText("identityNumbers") == "full"
            if reveal, !principal.holds(P.identityExport) {
                throw FeatureError(.forbidden, "the role \(principal.role) may not export full identity numbers", field: "identityNumbers")
            }
            let (reach, actor) = (reach(principal), try context.actor())
            let csv = try await store.database.transaction { tx in
                try store.attendanceList(ofCircle: id, revealNumbers: reveal, reach: reach, actor: actor, in: tx)
            }
            return try csv.response(filename: "circle-\(id)-attendance.csv").response(from: request, context: context)
        }
        group.on("reports/period", method: .get, requiring: P.read) { request, context, principal -> Response in
            guard let from = try request.queryDate("from"), let to = try request.queryDate("to") else {
                throw FeatureError(.invalidInput, "give the period as from=YYYY-MM-DD&to=YYYY-MM-DD", field: "from")
            }
            guard to >= from else { throw FeatureError(.invalidInput, "the period ends (\(to)) before it begins (\(from))", field: "to") }
            let (association, reach) = (try request.queryInt("studyAssociationId"), reach(principal))
            let rows = try await store.database.withConnection { db in
                try store.periodReport(from: from, to: to, studyAssociationId: association, reach: reach, in: db)
            }
            if request.wantsCSV {
                var csv = CSV("from", "to", "studyAssociationId", "studyAssociation", "circles", "meetings", "studyHours", "uniqueParticipants")
                for row in rows {
                    csv.add(
                        from.description,
                        to.description,
                        String(row.studyAssociationId),
                        row.studyAssociation,
                        String(row.circles),
                        String(row.meetings),
                        String(row.studyHours),
                        String(row.uniqueParticipants)
                    )
                }
                return try csv.response(filename: "study-hours-\(from)-\(to).csv").response(from: request, context: context)
            }
            return try PeriodReport(from: from, to: to, items: rows).response(from: request, context: context)
        }
    }
}

/// `{"personIds": […]}`.
struct Enrolments: ResponseEncodable, Sendable {
    var personIds: [Int]
}

/// `{"items": [meetings]}`.
struct Meetings: ResponseEncodable, Sendable {
    var items: [Meeting]
}

/// The per-period report as JSON.
struct PeriodReport: ResponseEncodable, Sendable {
    var from: LocalDate
    var to: LocalDate
    var items: [AssociationPeriodReport]
}

extension Circle: ResponseEncodable {}
extension Meeting: ResponseEncodable {}
extension Compliance: ResponseEncodable {}
extension CircleReport: ResponseEncodable {}
