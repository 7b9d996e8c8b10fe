import DataAccess
import ESFProject
import Foundation
import HTTPTypes
import HostTestSupport
import Hummingbird
import HummingbirdTesting
import PluginKit
import Registry
import TestSupport
import Testing

@testable import ESFProject
@testable import Host

/// Every ESF route with every role: participant data under secrecy goes only to the roles
/// the feature's permissions name, and supervisors get none of it.
@Suite("ESF access: permissions over HTTP")
struct ESFAccessTests {
    typealias Route = WalkedRoute

    struct Records {
        var owner = 0, employer = 0, person = 0, other = 0, project = 0, participation = 0, period = 0, job = 0, claim = 0
    }

    static let features = "esf: { enabled: true }"

    static func make() async throws -> (HostRuntime, Records, [Role: String]) {
        let runtime = try await HostFixture.accessRuntime(features: features, plugins: [ESFProjectPlugin.self])
        let store = try ESFStore(context: runtime.context(for: "esf"))
        let records = try await runtime.database.transaction { tx in
            var r = Records()
            let day = LocalDate(year: 2016, month: 1, day: 11)!
            r.owner = try store.registry.createOrganisation(
                OrganisationDraft(name: "Paraplyföreningen", legalForm: .nonProfitAssociation, kind: .socialEconomyOrganisation, state: .active),
                actor: .system,
                in: tx
            ).id
            r.employer = try store.registry.createOrganisation(
                OrganisationDraft(
                    name: "Café Gläntan",
                    organisationNumber: "769618-7652",
                    legalForm: .economicAssociation,
                    kind: .cooperative,
                    state: .active
                ),
                actor: .system,
                in: tx
            ).id
            func person(_ name: String, _ number: String) throws -> Int {
                try store.registry.createPerson(
                    PersonDraft(name: name, identityNumber: number, gender: .female),
                    today: .today(),
                    reach: .everything,
                    actor: .system,
                    in: tx
                ).id
            }
            r.person = try person("Amina", "19800110-3004")
            r.other = try person("Sara", "19810211-3019")
            r.project = try store.createProject(ESFFixture.draft(owner: r.owner), reach: .everything, actor: .system, in: tx).id
            _ = try store.changeState(ofProject: r.project, to: .granted, actor: .system, in: tx)
            _ = try store.changeState(ofProject: r.project, to: .running, actor: .system, in: tx)
            r.participation = try store.enter(
                ParticipationDraft(personId: r.person, from: day, entryStatus: OneOrMore(.unemployed)),
                project: r.project,
                special: true,
                reach: .everything,
                actor: .system,
                in: tx
            ).participation.id
            r.period = try store.periods(ofParticipation: r.participation, in: tx)[0].id
            r.job = try store.createJob(
                JobDraft(personId: r.person, employerId: r.employer, from: day, employmentForm: .ordinary, sharePercent: 100),
                project: r.project,
                reach: .everything,
                actor: .system,
                in: tx
            ).id
            r.claim = try store.createClaim(
                ClaimDraft(from: LocalDate(year: 2015, month: 10, day: 1)!, to: LocalDate(year: 2015, month: 12, day: 31)!),
                project: r.project,
                actor: .system,
                in: tx
            ).id
            return r
        }
        return (runtime, records, try await HostFixture.tokensPerRole(runtime, provider: records.owner))
    }

    static func routes(_ r: Records) -> [Route] {
        typealias P = ESFPermissions
        let p = r.project
        let project =
            #"{"caseNumber": "2016/00100", "name": "Nytt", "ownerId": \#(r.owner), "from": "2016-01-01", "to": "2017-12-31", "programmeArea": "2"}"#
        let set =
            #"[{"code": "EECO01", "kind": "output", "name": "Unemployed", "basis": "entry", "special": false, "criterion": {"entryStatus": ["unemployed"]}}]"#
        return [
            Route(method: .get, path: "projects", permission: P.read),
            Route(method: .post, path: "projects", body: project, permission: P.projectWrite, success: .created, again: .conflict),
            Route(method: .get, path: "projects/\(p)", permission: P.read),
            Route(method: .put, path: "projects/\(p)/responsible", body: "{}", permission: P.projectWrite),
            Route(method: .post, path: "projects/\(p)/state", body: #"{"state": "closing"}"#, permission: P.projectWrite, again: .conflict),
            Route(method: .get, path: "projects/\(p)/progress?asOf=2016-06-30", permission: P.read),
            Route(method: .get, path: "indicator-sets", permission: P.read),
            Route(method: .get, path: "indicator-sets/2014-2020", permission: P.read, template: "indicator-sets/{set}"),
            Route(method: .put, path: "indicator-sets/2021-2027", body: set, permission: P.indicatorsWrite, template: "indicator-sets/{set}"),
            Route(method: .get, path: "projects/\(p)/participations", permission: P.read),
            Route(
                method: .post,
                path: "projects/\(p)/participations",
                body: #"{"personId": \#(r.other), "from": "2016-02-01", "entryStatus": "employed"}"#,
                permission: P.participationWrite,
                success: .created,
                again: .conflict
            ),
            Route(method: .get, path: "participations/\(r.participation)", permission: P.read),
            Route(method: .post, path: "participations/\(r.participation)/exit", body: #"{"on": "2016-06-30"}"#, permission: P.participationWrite),
            Route(
                method: .post,
                path: "participations/\(r.participation)/six-month-results",
                body: #"{"results": ["employed"], "recordedOn": "2017-01-02"}"#,
                permission: P.participationWrite
            ),
            Route(method: .get, path: "participations/\(r.participation)/periods", permission: P.read),
            Route(
                method: .get,
                path: "participations/\(r.participation)/periods/\(r.period)",
                permission: P.read,
                template: "participations/{id}/periods/{periodId}"
            ),
            Route(
                method: .put,
                path: "participations/\(r.participation)/periods/\(r.period)",
                body: #"{"from": "2016-01-11", "to": "2016-06-30"}"#,
                permission: P.participationWrite,
                template: "participations/{id}/periods/{periodId}"
            ),
            Route(method: .get, path: "projects/\(p)/jobs", permission: P.read),
            Route(
                method: .post,
                path: "projects/\(p)/jobs",
                body:
                    #"{"personId": \#(r.other), "employerId": \#(r.employer), "from": "2016-09-01", "employmentForm": "wageSubsidy", "sharePercent": 50}"#,
                permission: P.jobWrite,
                success: .created,
                again: .conflict
            ),
            Route(method: .get, path: "jobs/\(r.job)", permission: P.read),
            Route(
                method: .post,
                path: "projects/\(p)/imports",
                body:
                    "identity_number,employer_organisation_number,from,employment_form,share_percent\n19810211-3019,7696187652,2017-01-09,ordinary,100\n",
                contentType: "text/csv",
                permission: P.importRun,
                success: .created,
                again: .ok
            ),
            Route(method: .get, path: "projects/\(p)/indicators?from=2016-01-01&to=2016-12-31", permission: P.read),
            Route(method: .get, path: "projects/\(p)/progress-report?from=2016-01-01&to=2016-12-31", permission: P.read),
            Route(
                method: .put,
                path: "projects/\(p)/indicator-targets/CO01",
                body: #"{"total": 120, "women": 60, "men": 60}"#,
                permission: P.projectWrite,
                template: "projects/{id}/indicator-targets/{code}"
            ),
            Route(method: .get, path: "projects/\(p)/monthly-reports", permission: P.read),
            Route(
                method: .post,
                path: "projects/\(p)/monthly-reports/2016-01/submit",
                permission: P.reportWrite,
                template: "projects/{id}/monthly-reports/{month}/submit"
            ),
            Route(
                method: .post,
                path: "projects/\(p)/monthly-reports/2016-01/reopen",
                body: #"{"reason": "Fel startdatum"}"#,
                permission: P.reportWrite,
                template: "projects/{id}/monthly-reports/{month}/reopen"
            ),
            Route(
                method: .get,
                path: "projects/\(p)/monthly-reports/2016-01/export",
                permission: P.read,
                template: "projects/{id}/monthly-reports/{month}/export"
            ),
            Route(method: .get, path: "reminders?asOf=2016-03-01", permission: P.read),
            Route(method: .get, path: "projects/\(p)/costs", permission: P.read),
            Route(
                method: .post,
                path: "projects/\(p)/costs",
                body: #"{"category": "travelAndLodging", "on": "2016-02-03", "amount": 412.50, "description": "Resa"}"#,
                permission: P.costWrite,
                success: .created
            ),
            Route(method: .get, path: "projects/\(p)/time-reports", permission: P.read),
            Route(
                method: .post,
                path: "projects/\(p)/time-reports",
                body: #"{"personId": \#(r.other), "month": "2016-04", "hours": 120.5, "employmentPercent": 100, "annualCost": 540000}"#,
                permission: P.costWrite,
                success: .created,
                again: .conflict
            ),
            Route(method: .get, path: "projects/\(p)/claims", permission: P.read),
            Route(
                method: .post,
                path: "projects/\(p)/claims",
                body: #"{"from": "2016-01-01", "to": "2016-03-31"}"#,
                permission: P.costWrite,
                success: .created,
                again: .conflict
            ),
            Route(method: .get, path: "claims/\(r.claim)", permission: P.read),
            Route(
                method: .post,
                path: "claims/\(r.claim)/state",
                body: #"{"state": "submitted", "on": "2016-02-10"}"#,
                permission: P.costWrite,
                again: .conflict
            ),
        ]
    }

    @Test("every ESF route with every role: 401 without a token, 403 without the permission (supervisors get nothing)")
    func routeWalk() async throws {
        let (runtime, r, tokens) = try await Self.make()
        try await buildApplication(runtime: runtime).test(.router) { client in
            var checked = 0
            // A write an earlier role made (the admin's) answers as `again` says the second time.
            var done: Set<String> = []
            for role in [Role?.none] + Role.allCases.map(Optional.some) {
                checked += try await WalkedRoute.check(
                    Self.routes(r),
                    as: role,
                    client: client,
                    prefix: "/api/v1/esf/",
                    tokens: tokens,
                    roles: runtime.roles,
                    done: &done
                )
            }
            #expect(checked == 6 * 37)
        }
        await runtime.shutdown()
    }

    @Test("the route walk covers every operation of the ESF API document, each with the permission the document names")
    func walkCoversOpenAPI() throws {
        let plugin = try ESFProjectPlugin(settings: ConfigSection(path: "features.esf", value: nil))
        let document = try APIDocument(url: try #require(ESFProjectPlugin.apiDocument), featureID: "esf", permissions: plugin.permissions)
        try WalkedRoute.expectCovers(document, Self.routes(Records()))
    }

    @Test(
        "special categories and full identity numbers over HTTP: the coordinator's alone; a rejected import lists every bad row in the problem body"
    )
    func secrecy() async throws {
        let (runtime, r, tokens) = try await Self.make()
        try await buildApplication(runtime: runtime).test(.router) { client in
            func get(_ path: String, _ role: Role) async throws -> TestResponse {
                try await client.execute(uri: "/api/v1/esf/" + path, method: .get, headers: [.authorization: "Bearer \(tokens[role]!)"])
            }
            let coordinator = String(buffer: try await get("participations/\(r.participation)", .coordinator).body)
            let officer = String(buffer: try await get("participations/\(r.participation)", .officer).body)
            #expect(coordinator.contains("specialCategories"))
            #expect(!officer.contains("specialCategories"))
            // Not even the admin, who runs the system, reads special categories or full numbers.
            #expect(!String(buffer: try await get("participations/\(r.participation)", .admin).body).contains("specialCategories"))
            #expect(try await get("projects/\(r.project)/monthly-reports/2016-01/export?identityNumbers=full", .admin).status == .forbidden)
            let full = try await get("projects/\(r.project)/monthly-reports/2016-01/export?identityNumbers=full", .coordinator)
            #expect(full.status == .ok)
            #expect(String(buffer: full.body).contains("19800110-3004"))
            #expect(try await get("projects/\(r.project)/monthly-reports/2016-01/export?identityNumbers=full", .officer).status == .forbidden)
            let masked = String(buffer: try await get("projects/\(r.project)/monthly-reports/2016-01/export", .officer).body)
            #expect(masked.contains("19800110-****") && !masked.contains("19800110-3004"))
            #expect(!masked.contains("migrantBackground"))
            let bad =
                "identity_number,employer_organisation_number,from,employment_form,share_percent\n19850505-1239,7696187652,2016-01-09,ordinary,100\n19810211-3019,7696187652,2016-13-01,ordinary,100\n"
            let response = try await client.execute(
                uri: "/api/v1/esf/projects/\(r.project)/imports",
                method: .post,
                headers: [.authorization: "Bearer \(tokens[.coordinator]!)", .contentType: "text/csv"],
                body: ByteBuffer(string: bad)
            )
            #expect(response.status == .unprocessableContent)
            let problem = try JSONDecoder().decode(Problem.self, from: Data(String(buffer: response.body).utf8))
            #expect(problem.errors?.map(\.pointer) == ["/lines/2/identity_number", "/lines/3/from"])
        }
        await runtime.shutdown()
    }

    @Test(
        "indicator sets over HTTP: only the coordinator loads one (the admin and the officer get 403); a disability criterion relabelled as ordinary is 422 naming /0/special"
    )
    func indicatorSetsOnlyForTheCoordinator() async throws {
        let (runtime, _, tokens) = try await Self.make()
        try await buildApplication(runtime: runtime).test(.router) { client in
            func put(_ body: String, _ role: Role) async throws -> TestResponse {
                try await client.execute(
                    uri: "/api/v1/esf/indicator-sets/2021-2027",
                    method: .put,
                    headers: [.authorization: "Bearer \(tokens[role]!)", .contentType: "application/json"],
                    body: ByteBuffer(string: body)
                )
            }
            let relabelled =
                #"[{"code": "EECO16", "kind": "output", "name": "Participants", "basis": "entry", "special": false, "criterion": {"attributes": ["disability"]}}]"#
            let honest =
                #"[{"code": "EECO16", "kind": "output", "name": "Disability", "basis": "entry", "special": true, "criterion": {"attributes": ["disability"]}}]"#
            for role in [Role.admin, .officer, .auditor, .supervisor] {
                #expect(try await put(honest, role).status == .forbidden, "\(role)")
            }
            let refused = try await put(relabelled, .coordinator)
            #expect(refused.status == .unprocessableContent)
            let problem = try JSONDecoder().decode(Problem.self, from: Data(String(buffer: refused.body).utf8))
            #expect(problem.pointer == "/0/special")
            #expect(try await put(honest, .coordinator).status == .ok)
        }
        await runtime.shutdown()
    }

    @Test("the indicator report's JSON: '< 5' for a small gender-split count without special categories, the number for the coordinator")
    func indicatorReportSuppressesSmallNumbers() async throws {
        let (runtime, r, tokens) = try await Self.make()
        try await buildApplication(runtime: runtime).test(.router) { client in
            func co01(_ role: Role, csv: Bool = false) async throws -> String {
                let response = try await client.execute(
                    uri: "/api/v1/esf/projects/\(r.project)/indicators?from=2016-01-01&to=2016-12-31" + (csv ? "&format=csv" : ""),
                    method: .get,
                    headers: [.authorization: "Bearer \(tokens[role]!)"]
                )
                #expect(response.status == .ok, "\(role)")
                let body = String(buffer: response.body)
                guard !csv else { return body.split(whereSeparator: \.isNewline).first { $0.contains(",CO01,") }.map(String.init) ?? "" }
                let report = try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any]
                let lines = report?["indicators"] as? [[String: Any]] ?? []
                let line = try #require(lines.first { $0["code"] as? String == "CO01" })
                return ["total", "women", "men", "other"].map { "\(line[$0] ?? "absent")" }.joined(separator: ",")
            }
            // One woman entered in 2016 (Amina, unemployed).
            for role in [Role.officer, .auditor, .admin, .coordinator] {
                let (json, csv) = (try await co01(role), try await co01(role, csv: true))
                let expected = role == .coordinator ? "1,1,0,0" : "< 5,< 5,< 5,< 5"
                #expect(json == expected, "\(role)")
                #expect(csv.hasSuffix("," + expected), "\(role) CSV")
            }
        }
        await runtime.shutdown()
    }
}
