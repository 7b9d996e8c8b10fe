import DataAccess
import Foundation
import HTTPTypes
import HostTestSupport
import Hummingbird
import HummingbirdTesting
import PluginKit
import Registry
import TestSupport
import Testing

@testable import Education
@testable import Host

/// Every education route with every role, and a completed circle's cooperative reaching the
/// registry through the event.
@Suite("Education access: permissions and reach over HTTP")
struct EducationAccessTests {
    typealias Route = WalkedRoute

    struct Records {
        var provider = 0, association = 0, otherAssociation = 0, leader = 0, person = 0
        var circleIn = 0, circleOut = 0, meetingIn = 0, meetingOut = 0
    }

    static func make() async throws -> (HostRuntime, Records, [Role: String]) {
        let runtime = try await HostFixture.accessRuntime(features: "education: { enabled: true }", plugins: [EducationPlugin.self])
        let store = try EducationStore(context: runtime.context(for: "education"))
        let records = try await runtime.database.transaction { tx in
            var r = Records()
            let day = LocalDate(year: 2001, month: 9, day: 3)!
            func organisation(_ name: String, _ kind: OrganisationKind) throws -> Int {
                try store.registry.createOrganisation(
                    OrganisationDraft(name: name, legalForm: .nonProfitAssociation, kind: kind, state: .active),
                    actor: .system,
                    in: tx
                ).id
            }
            r.provider = try organisation("Paraplyföreningen", .socialEconomyOrganisation)
            r.association = try organisation("Studieförbundet A", .studyAssociation)
            r.otherAssociation = try organisation("Studieförbundet B", .studyAssociation)
            try store.registry.grantScope(provider: r.provider, organisation: r.association, feature: "test", in: tx)
            r.leader = try store.registry.createPerson(PersonDraft(name: "Märta"), today: day, reach: .everything, actor: .system, in: tx).id
            r.person = try store.registry.createPerson(
                PersonDraft(name: "Jörgen", identityNumber: "780412-3458", identityStatus: .number),
                today: day,
                reach: .everything,
                actor: .system,
                in: tx
            ).id
            // A participant of the study association within the supervisor's reach (issue 19.16).
            _ = try store.registry.addRole(
                RoleDraft(personId: r.person, organisationId: r.association, role: .participant, from: day),
                reach: .everything,
                actor: .system,
                in: tx
            )
            func circle(_ association: Int) throws -> (Int, Int) {
                let circle = try store.createCircle(
                    CircleDraft(
                        studyAssociationId: association,
                        leaderId: r.leader,
                        subject: "Kooperativ",
                        plannedStart: day,
                        plannedEnd: day.adding(days: 60)
                    ),
                    actor: .system,
                    in: tx
                ).id
                _ = try store.enrol(EnrolmentDraft(personId: r.person), inCircle: circle, today: day, reach: .everything, actor: .system, in: tx)
                let meeting = try store.addMeeting(
                    MeetingDraft(startsAt: "2001-09-03T18:00", minutes: 90),
                    toCircle: circle,
                    reach: .everything,
                    actor: .system,
                    in: tx
                )
                return (circle, meeting.id)
            }
            (r.circleIn, r.meetingIn) = try circle(r.association)
            (r.circleOut, r.meetingOut) = try circle(r.otherAssociation)
            return r
        }
        return (runtime, records, try await HostFixture.tokensPerRole(runtime, provider: records.provider))
    }

    static func routes(_ r: Records, rejectable: (inside: Int, outside: Int)) -> [Route] {
        typealias P = EducationPermissions
        let circle =
            #"{"studyAssociationId": \#(r.association), "leaderId": \#(r.leader), "subject": "Ny cirkel", "plannedStart": "2002-01-07", "plannedEnd": "2002-03-01"}"#
        let meeting = #"{"startsAt": "2001-09-10T18:00", "minutes": 135}"#
        let reject = #"{"state": "rejected", "reason": "För få anmälda"}"#
        return [
            Route(method: .get, path: "circles", permission: P.read),
            Route(method: .post, path: "circles", body: circle, permission: P.circleWrite, success: .created),
            Route(method: .get, path: "circles/\(r.circleIn)", permission: P.read),
            Route(method: .get, path: "circles/\(r.circleOut)", permission: P.read, outsideReach: true),
            Route(method: .get, path: "circles/\(r.circleIn)/enrolments", permission: P.read),
            Route(
                method: .post,
                path: "circles/\(rejectable.inside)/enrolments",
                body: #"{"personId": \#(r.person)}"#,
                permission: P.circleWrite,
                success: .created
            ),
            Route(
                method: .post,
                path: "circles/\(rejectable.inside)/withdrawals",
                body: #"{"personId": \#(r.person)}"#,
                permission: P.circleWrite
            ),
            Route(method: .post, path: "circles/\(rejectable.inside)/state", body: reject, permission: P.circleWrite),
            Route(method: .post, path: "circles/\(rejectable.outside)/state", body: reject, permission: P.circleWrite, outsideReach: true),
            Route(method: .get, path: "circles/\(r.circleIn)/compliance", permission: P.read),
            Route(method: .get, path: "circles/\(r.circleOut)/compliance", permission: P.read, outsideReach: true),
            Route(method: .get, path: "circles/\(r.circleIn)/meetings", permission: P.read),
            Route(method: .post, path: "circles/\(r.circleIn)/meetings", body: meeting, permission: P.meetingWrite, success: .created),
            Route(
                method: .post,
                path: "circles/\(r.circleOut)/meetings",
                body: meeting,
                permission: P.meetingWrite,
                outsideReach: true,
                success: .created
            ),
            Route(method: .put, path: "meetings/\(r.meetingIn)/attendance", body: #"{"presentIds": [\#(r.person)]}"#, permission: P.meetingWrite),
            Route(
                method: .put,
                path: "meetings/\(r.meetingOut)/attendance",
                body: #"{"presentIds": [\#(r.person)]}"#,
                permission: P.meetingWrite,
                outsideReach: true
            ),
            Route(method: .get, path: "circles/\(r.circleIn)/report", permission: P.read),
            Route(method: .get, path: "circles/\(r.circleIn)/attendance.csv", permission: P.read),
            Route(method: .get, path: "circles/\(r.circleOut)/attendance.csv", permission: P.read, outsideReach: true),
            Route(method: .get, path: "reports/period?from=2001-01-01&to=2001-12-31&format=csv", permission: P.read),
            Route(method: .get, path: "responsibility-moves", permission: P.read),
            Route(
                method: .post,
                path: "responsibility-moves",
                body: #"{"toOrganisationId": \#(r.provider), "on": "2015-04-01"}"#,
                permission: P.circleWrite,
                success: .created
            ),
        ]
    }

    @Test("every education route with every role: 401 without a token, 403 without the permission, 404 outside a supervisor's reach")
    func routeWalk() async throws {
        let (runtime, r, tokens) = try await Self.make()
        let store = try EducationStore(context: runtime.context(for: "education"))
        try await buildApplication(runtime: runtime).test(.router) { client in
            var checked = 0
            var done: Set<String> = []
            for (serial, role) in ([Role?.none] + Role.allCases.map(Optional.some)).enumerated() {
                let rejectable = try await runtime.database.transaction { tx in
                    // Each role's run records the first move again.
                    try tx.execute("DELETE FROM education.responsibility_moves")
                    let day = LocalDate(year: 2002, month: 1, day: 1)!
                    func circle(_ association: Int) throws -> Int {
                        try store.createCircle(
                            CircleDraft(
                                studyAssociationId: association,
                                leaderId: r.leader,
                                subject: "Cirkel \(serial)",
                                plannedStart: day,
                                plannedEnd: day
                            ),
                            actor: .system,
                            in: tx
                        ).id
                    }
                    return (try circle(r.association), try circle(r.otherAssociation))
                }
                checked += try await WalkedRoute.check(
                    Self.routes(r, rejectable: rejectable),
                    as: role,
                    client: client,
                    prefix: "/api/v1/education/",
                    tokens: tokens,
                    roles: runtime.roles,
                    done: &done
                )
            }
            #expect(checked == 6 * 22)
            // Full identity numbers in the attendance list: officers and admins only.
            for role in Role.allCases {
                let route = Route(
                    method: .get,
                    path: "circles/\(r.circleIn)/attendance.csv?identityNumbers=full",
                    permission: EducationPermissions.identityExport
                )
                let response = try await route.send(client, prefix: "/api/v1/education/", token: tokens[role])
                #expect(
                    response.status == route.expected(for: role, roles: runtime.roles)
                        || (!runtime.roles.permits(role, EducationPermissions.read) && response.status == .forbidden),
                    "\(role)"
                )
            }
        }
        await runtime.shutdown()
    }

    /// Enrols Hedvig, a person with no role in any organisation (so outside the supervisor's
    /// reach), in the circle within reach, present at its meeting; returns her id.
    static func enrolOutsider(_ runtime: HostRuntime, _ r: Records) async throws -> Int {
        let store = try EducationStore(context: runtime.context(for: "education"))
        let day = LocalDate(year: 2001, month: 9, day: 3)!
        return try await runtime.database.transaction { tx in
            let hedvig = try store.registry.createPerson(
                PersonDraft(name: "Hedvig Hemlig", identityNumber: "811218-9876", identityStatus: .number),
                today: day,
                reach: .everything,
                actor: .system,
                in: tx
            ).id
            _ = try store.enrol(EnrolmentDraft(personId: hedvig), inCircle: r.circleIn, today: day, reach: .everything, actor: .system, in: tx)
            _ = try store.recordAttendance(AttendanceDraft(presentIds: [hedvig]), atMeeting: r.meetingIn, reach: .everything, actor: .system, in: tx)
            return hedvig
        }
    }

    @Test(
        "a supervisor's compliance answer and attendance CSV name only the participants within reach; the others are counted (otherParticipants, a last CSV line)"
    )
    func participantsOutsideReachAreCounted() async throws {
        let (runtime, r, tokens) = try await Self.make()
        let hedvig = try await Self.enrolOutsider(runtime, r)
        try await buildApplication(runtime: runtime).test(.router) { client in
            func get(_ path: String, _ role: Role) async throws -> String {
                let response = try await client.execute(
                    uri: "/api/v1/education/circles/\(r.circleIn)/" + path,
                    method: .get,
                    headers: [.authorization: "Bearer \(tokens[role]!)"]
                )
                #expect(response.status == .ok, "\(role) \(path)")
                return String(buffer: response.body)
            }
            for role in [Role.supervisor, .officer] {
                let scoped = role == .supervisor
                let compliance = try await get("compliance", role)
                #expect(compliance.contains("Jörgen"), "\(role)")
                #expect(compliance.contains("Hedvig") == !scoped, "\(role) compliance")
                #expect(compliance.contains(#""personId":\#(hedvig)"#) == !scoped, "\(role) compliance")
                #expect(compliance.contains(#""otherParticipants":1"#) == scoped, "\(role) compliance")
                #expect(compliance.contains("0 of 2 count"), "\(role): the figures stay the circle's")
                let csv = try await get("attendance.csv", role)
                #expect(csv.contains("Jörgen"))
                #expect(csv.contains("Hedvig") == !scoped, "\(role) CSV")
                #expect(csv.contains("811218") == !scoped, "\(role) CSV")
                let last = csv.split(whereSeparator: \.isNewline).last.map(String.init) ?? ""
                #expect(last == (scoped ? ",1 other participants,,1,1" : "\(hedvig),Hedvig Hemlig,19811218-****,X,1"), "\(role) CSV")
            }
        }
        await runtime.shutdown()
    }

    @Test("the route walk covers every operation of the education API document, each with the permission the document names")
    func walkCoversOpenAPI() throws {
        let plugin = try EducationPlugin(settings: ConfigSection(path: "features.education", value: nil))
        let document = try APIDocument(url: try #require(EducationPlugin.apiDocument), featureID: "education", permissions: plugin.permissions)
        try WalkedRoute.expectCovers(document, Self.routes(Records(), rejectable: (1, 2)))
    }

    @Test("a circle completed as having formed a cooperative reaches the registry through the event: a prospect with its participants as cooperators")
    func formedCooperativeEvent() async throws {
        let (runtime, r, _) = try await Self.make()
        let store = try EducationStore(context: runtime.context(for: "education"))
        _ = try await runtime.database.transaction { tx in
            for week in 1..<3 {
                let meeting = try store.addMeeting(
                    MeetingDraft(startsAt: "\(LocalDate(year: 2001, month: 9, day: 3)!.adding(days: 7 * week))T18:00", minutes: 90),
                    toCircle: r.circleIn,
                    reach: .everything,
                    actor: .system,
                    in: tx
                )
                _ = try store.recordAttendance(
                    AttendanceDraft(presentIds: [r.person]),
                    atMeeting: meeting.id,
                    reach: .everything,
                    actor: .system,
                    in: tx
                )
            }
            _ = try store.recordAttendance(
                AttendanceDraft(presentIds: [r.person]),
                atMeeting: r.meetingIn,
                reach: .everything,
                actor: .system,
                in: tx
            )
            return try store.changeState(
                ofCircle: r.circleIn,
                CircleStateChange(state: .completed, formedCooperative: "Städkooperativet Skärgården", on: LocalDate(year: 2001, month: 12, day: 1)),
                mayOverride: false,
                today: .today(),
                reach: .everything,
                actor: .system,
                in: tx
            )
        }
        #expect(try await runtime.dispatcher.dispatchPending() >= 1)
        let organisation = try await runtime.database.query("SELECT id, state FROM registry.organisations WHERE name = 'Städkooperativet Skärgården'")
            .single()
        #expect(try organisation.decode("state", as: String.self) == "prospect")
        let id: Int = try organisation.decode("id")
        let roles = try await runtime.database.query(
            "SELECT person_id, from_date FROM registry.roles WHERE organisation_id = \(id) AND role = 'cooperator'"
        )
        #expect(try roles.map { try $0.decode("person_id", as: Int.self) } == [r.person])
        #expect(try roles.single().decode("from_date", as: LocalDate.self) == LocalDate(year: 2001, month: 12, day: 1))
        await runtime.shutdown()
    }
}
