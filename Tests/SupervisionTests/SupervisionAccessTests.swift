import DataAccess
import Foundation
import HTTPTypes
import HostTestSupport
import Hummingbird
import HummingbirdTesting
import NIOCore
import PluginKit
import Registry
import TestSupport
import Testing

@testable import Host
@testable import Supervision

/// A host with the supervision feature on, one user and token per role (the supervisor works
/// for the provider `inside`), and records inside and outside the supervisor's reach.
struct SupervisionAccessFixture {
    let runtime: HostRuntime
    var tokens: [Role: String] = [:]
    let ids: Records

    struct Records {
        /// The supervisor's provider, its supervisor, and another provider.
        var provider = 0, supervisor = 0, otherProvider = 0
        var coopIn = 0, coopOut = 0, assignmentIn = 0, assignmentOut = 0
        var sessionIn = 0, sessionOut = 0, goalIn = 0, goalOut = 0, potIn = 0, potOut = 0
    }

    static let day = LocalDate(year: 2016, month: 1, day: 1)!

    static func make() async throws -> SupervisionAccessFixture {
        let runtime = try await HostFixture.accessRuntime(features: "supervision: { enabled: true }", plugins: [SupervisionPlugin.self])
        let store = try SupervisionStore(context: runtime.context(for: "supervision"))
        let ids = try await runtime.database.transaction { tx in
            var r = Records()
            func organisation(_ name: String, _ kind: OrganisationKind) throws -> Int {
                try store.registry.createOrganisation(
                    OrganisationDraft(name: name, legalForm: .economicAssociation, kind: kind, state: .active),
                    actor: .system,
                    in: tx
                ).id
            }
            r.provider = try organisation("Paraplyföreningen", .socialEconomyOrganisation)
            r.otherProvider = try organisation("Annan förening", .socialEconomyOrganisation)
            r.coopIn = try organisation("Café Gläntan", .cooperative)
            r.coopOut = try organisation("Cykelverkstan", .cooperative)
            r.supervisor = try store.registry.createPerson(
                PersonDraft(
                    name: "Åsa Öberg",
                    roles: [
                        RoleAssignment(organisationId: r.provider, role: .supervisor, from: day),
                        RoleAssignment(organisationId: r.otherProvider, role: .supervisor, from: day),
                    ]
                ),
                today: day,
                reach: .everything,
                actor: .system,
                in: tx
            ).id
            func records(_ coop: Int, provider: Int) throws -> (Int, Int, Int, Int) {
                let assignment = try store.createAssignment(
                    AssignmentDraft(
                        cooperativeId: coop,
                        providerId: provider,
                        supervisorId: r.supervisor,
                        sharePercent: 20,
                        from: day,
                        fundingSource: "Kommunen",
                        state: .active
                    ),
                    reach: .everything,
                    actor: .system,
                    in: tx
                ).id
                let session = try store.createSession(
                    SessionDraft(assignmentId: assignment, on: day, minutes: 60, topics: [.business]),
                    reach: .everything,
                    actor: .system,
                    in: tx
                ).id
                let goal = try store.createGoal(GoalDraft(cooperativeId: coop, title: "Mål"), today: day, reach: .everything, actor: .system, in: tx)
                    .id
                let pot = try store.createPot(
                    FundingPotDraft(
                        cooperativeId: coop,
                        purpose: "Pott",
                        amount: 1_000_000,
                        sharePercent: 50,
                        from: day,
                        to: LocalDate(year: 2030, month: 1, day: 1)!
                    ),
                    today: day,
                    reach: .everything,
                    actor: .system,
                    in: tx
                ).id
                return (assignment, session, goal, pot)
            }
            (r.assignmentIn, r.sessionIn, r.goalIn, r.potIn) = try records(r.coopIn, provider: r.provider)
            (r.assignmentOut, r.sessionOut, r.goalOut, r.potOut) = try records(r.coopOut, provider: r.otherProvider)
            return r
        }
        var fixture = SupervisionAccessFixture(runtime: runtime, ids: ids)
        fixture.tokens = try await HostFixture.tokensPerRole(runtime, provider: ids.provider)
        return fixture
    }
}

@Suite("Supervision access: permissions and reach over HTTP")
struct SupervisionAccessTests {
    typealias Route = WalkedRoute

    /// Records a route consumes, made fresh for each role's run.
    struct Fresh {
        var proposed = 0, goalIn = 0, goalOut = 0, from = 0, to = 0, potOut = 0
    }

    static func routes(_ r: SupervisionAccessFixture.Records, _ fresh: Fresh) -> [Route] {
        typealias P = SupervisionPermissions
        let assignmentBody =
            #"{"cooperativeId": \#(r.coopIn), "providerId": \#(r.provider), "supervisorId": \#(r.supervisor), "sharePercent": 10, "from": "2016-02-01", "fundingSource": "Kommunen"}"#
        func sessionBody(_ assignment: Int) -> String {
            #"{"assignmentId": \#(assignment), "on": "2016-02-01", "minutes": 90, "topics": ["economy"]}"#
        }
        func goalBody(_ coop: Int) -> String { #"{"cooperativeId": \#(coop), "title": "Egen budget"}"# }
        let potBody =
            #"{"cooperativeId": \#(r.coopIn), "purpose": "Handledare", "amount": 1000, "sharePercent": 50, "from": "2016-01-01", "to": "2016-12-31"}"#
        let spend = #"{"on": "2016-03-01", "amount": 10, "note": "Lön"}"#
        let handover = #"{"fromProviderId": \#(fresh.from), "toProviderId": \#(fresh.to), "on": "2016-06-01"}"#
        return [
            Route(method: .get, path: "assignments", permission: P.read),
            Route(method: .get, path: "assignments?state=active&limit=5", permission: P.read),
            Route(method: .get, path: "assignments?caseNumber=SN%202016", permission: P.read),
            Route(method: .get, path: "pots?caseNumber=SN%202016", permission: P.read),
            Route(method: .post, path: "assignments", body: assignmentBody, permission: P.assignmentWrite, success: .created),
            Route(method: .get, path: "assignments/\(r.assignmentIn)", permission: P.read),
            Route(method: .get, path: "assignments/\(r.assignmentOut)", permission: P.read, outsideReach: true),
            Route(
                method: .post,
                path: "assignments/\(fresh.proposed)/state",
                body: #"{"state": "active"}"#,
                permission: P.assignmentWrite,
                outsideReach: true
            ),
            Route(method: .put, path: "assignments/\(r.assignmentIn)/responsible", body: "{}", permission: P.assignmentWrite),
            Route(method: .put, path: "assignments/\(r.assignmentOut)/responsible", body: "{}", permission: P.assignmentWrite, outsideReach: true),
            Route(method: .post, path: "handovers", body: handover, permission: P.handover, success: .created),
            Route(method: .get, path: "pots", permission: P.read),
            Route(method: .post, path: "pots", body: potBody, permission: P.potWrite, success: .created),
            Route(method: .get, path: "pots/\(r.potIn)", permission: P.read),
            Route(method: .get, path: "pots/\(r.potOut)", permission: P.read, outsideReach: true),
            Route(method: .put, path: "pots/\(r.potIn)/responsible", body: "{}", permission: P.potWrite),
            Route(method: .put, path: "pots/\(r.potOut)/responsible", body: "{}", permission: P.potWrite, outsideReach: true),
            Route(method: .get, path: "pots/\(r.potIn)/spending", permission: P.read),
            Route(method: .get, path: "pots/\(r.potOut)/spending", permission: P.read, outsideReach: true),
            Route(method: .post, path: "pots/\(r.potIn)/spending", body: spend, permission: P.potWrite),
            Route(
                method: .post,
                path: "pots/\(r.potOut)/review",
                body: #"{"nextReviewOn": "2017-01-01"}"#,
                permission: P.potWrite,
                outsideReach: true
            ),
            Route(method: .get, path: "pots/\(r.potIn)/decisions", permission: P.read),
            Route(method: .get, path: "pots/\(r.potOut)/decisions", permission: P.read, outsideReach: true),
            Route(method: .get, path: "pots/\(r.potIn)/letters", permission: P.read),
            Route(method: .get, path: "pots/\(r.potOut)/letters", permission: P.read, outsideReach: true),
            Route(
                method: .post,
                path: "pots/\(fresh.potOut)/decisions",
                body: #"{"outcome": "extend", "decidedOn": "2016-03-01", "to": "2031-01-01", "amountAdded": 1000, "caseNumber": "SN 2016/12"}"#,
                permission: P.potWrite,
                outsideReach: true,
                success: .created
            ),
            Route(method: .get, path: "sessions", permission: P.read),
            Route(method: .post, path: "sessions", body: sessionBody(r.assignmentIn), permission: P.sessionWrite, success: .created),
            Route(
                method: .post,
                path: "sessions",
                body: sessionBody(r.assignmentOut),
                permission: P.sessionWrite,
                outsideReach: true,
                success: .created,
                outside: .unprocessableContent
            ),
            Route(method: .get, path: "sessions/\(r.sessionIn)", permission: P.read),
            Route(method: .get, path: "sessions/\(r.sessionOut)", permission: P.read, outsideReach: true),
            Route(method: .get, path: "goals?state=open", permission: P.read),
            Route(method: .post, path: "goals", body: goalBody(r.coopIn), permission: P.goalWrite, success: .created),
            Route(
                method: .post,
                path: "goals",
                body: goalBody(r.coopOut),
                permission: P.goalWrite,
                outsideReach: true,
                success: .created,
                outside: .unprocessableContent
            ),
            Route(method: .get, path: "goals/\(r.goalIn)", permission: P.read),
            Route(method: .get, path: "goals/\(r.goalOut)", permission: P.read, outsideReach: true),
            Route(method: .post, path: "goals/\(fresh.goalIn)/state", body: #"{"state": "dropped"}"#, permission: P.goalWrite),
            Route(method: .post, path: "goals/\(fresh.goalOut)/state", body: #"{"state": "dropped"}"#, permission: P.goalWrite, outsideReach: true),
            Route(method: .get, path: "report?period=2016&asOf=2016-12-31", permission: P.read),
            Route(method: .get, path: "report/hours?period=2016-Q1&format=csv", permission: P.read),
            Route(method: .get, path: "report/inactive?asOf=2016-06-30", permission: P.read),
            Route(method: .get, path: "report/due", permission: P.read),
            Route(method: .get, path: "reminders", permission: P.read),
        ]
    }

    @Test(
        "every supervision route with every role: 401 without a token, 403 without the permission, 404 (or 422 in a body) outside a supervisor's reach"
    )
    func routeWalk() async throws {
        let f = try await SupervisionAccessFixture.make()
        let r = f.ids
        let store = try SupervisionStore(context: f.runtime.context(for: "supervision"))
        try await buildApplication(runtime: f.runtime).test(.router) { client in
            var checked = 0
            var done: Set<String> = []
            for (serial, role) in ([Role?.none] + Role.allCases.map(Optional.some)).enumerated() {
                let fresh = try await f.runtime.database.transaction { tx in
                    var fresh = Fresh()
                    let day = SupervisionAccessFixture.day
                    func organisation(_ name: String, _ kind: OrganisationKind) throws -> Int {
                        try store.registry.createOrganisation(
                            OrganisationDraft(name: "\(name) \(serial)", legalForm: .economicAssociation, kind: kind, state: .active),
                            actor: .system,
                            in: tx
                        ).id
                    }
                    let coop = try organisation("Ny kooperativ", .cooperative)
                    fresh.from = try organisation("Lämnar", .socialEconomyOrganisation)
                    fresh.to = try organisation("Tar över", .socialEconomyOrganisation)
                    let supervisor = try store.registry.createPerson(
                        PersonDraft(
                            name: "Handledare \(serial)",
                            roles: [fresh.from, fresh.to, r.provider].map { RoleAssignment(organisationId: $0, role: .supervisor, from: day) }
                        ),
                        today: day,
                        reach: .everything,
                        actor: .system,
                        in: tx
                    ).id
                    func assignment(provider: Int, state: AssignmentState) throws -> Int {
                        try store.createAssignment(
                            AssignmentDraft(
                                cooperativeId: coop,
                                providerId: provider,
                                supervisorId: supervisor,
                                sharePercent: 10,
                                from: day,
                                fundingSource: "Kommunen",
                                state: state
                            ),
                            reach: .everything,
                            actor: .system,
                            in: tx
                        ).id
                    }
                    _ = try assignment(provider: fresh.from, state: .active)
                    fresh.proposed = try assignment(provider: r.provider, state: .proposed)
                    fresh.goalIn = try store.createGoal(
                        GoalDraft(cooperativeId: r.coopIn, title: "Nytt mål"),
                        today: day,
                        reach: .everything,
                        actor: .system,
                        in: tx
                    ).id
                    fresh.potOut = try store.createPot(
                        FundingPotDraft(
                            cooperativeId: r.coopOut,
                            purpose: "Ny pott",
                            amount: 1000,
                            sharePercent: 50,
                            from: day,
                            to: LocalDate(year: 2030, month: 1, day: 1)!
                        ),
                        today: day,
                        reach: .everything,
                        actor: .system,
                        in: tx
                    ).id
                    fresh.goalOut = try store.createGoal(
                        GoalDraft(cooperativeId: r.coopOut, title: "Nytt mål"),
                        today: day,
                        reach: .everything,
                        actor: .system,
                        in: tx
                    ).id
                    return fresh
                }
                checked += try await WalkedRoute.check(
                    Self.routes(r, fresh),
                    as: role,
                    client: client,
                    prefix: "/api/v1/supervision/",
                    tokens: f.tokens,
                    roles: f.runtime.roles,
                    done: &done
                )
            }
            #expect(checked == 6 * 43)
        }
        await f.runtime.shutdown()
    }

    @Test("the route walk covers every operation of the supervision API document, each with the permission the document names")
    func walkCoversOpenAPI() throws {
        let plugin = try SupervisionPlugin(settings: ConfigSection(path: "features.supervision", value: nil))
        let document = try APIDocument(url: try #require(SupervisionPlugin.apiDocument), featureID: "supervision", permissions: plugin.permissions)
        try WalkedRoute.expectCovers(document, Self.routes(SupervisionAccessFixture.Records(), Fresh()))
    }
}
