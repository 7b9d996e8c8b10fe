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
@testable import PartnershipAgreements

/// A host with the partnerships feature on, one user and token per role (the supervisor works
/// for the provider `inside`), and agreements inside and outside the supervisor's reach.
struct PartnershipsAccessFixture {
    let runtime: HostRuntime
    var tokens: [Role: String] = [:]
    let ids: Records

    struct Records {
        /// The supervisor's organisation, another organisation, the municipality.
        var provider = 0, other = 0, municipality = 0
        var agreementIn = 0, agreementOut = 0, draftIn = 0, grantIn = 0, grantOut = 0
        var activityIn = 0, activityOut = 0, documentIn = 0, documentOut = 0
    }

    static let day = LocalDate(year: 2016, month: 1, day: 1)!
    static let pdf = "%PDF-1.4\n%%EOF\n"

    static func make(maxAttachmentBytes: Int? = nil) async throws -> PartnershipsAccessFixture {
        let runtime = try await HostFixture.accessRuntime(
            features: "partnerships: { enabled: true, reminderDays: 30\(maxAttachmentBytes.map { ", maxAttachmentBytes: \($0)" } ?? "") }",
            plugins: [PartnershipAgreementsPlugin.self]
        )
        let store = try PartnershipStore(context: runtime.context(for: "partnerships"))
        let ids = try await runtime.database.transaction { tx in
            var r = Records()
            func organisation(_ name: String, _ kind: OrganisationKind) throws -> Int {
                try store.registry.createOrganisation(
                    OrganisationDraft(name: name, legalForm: kind == .publicBody ? .municipalUnit : .economicAssociation, kind: kind, state: .active),
                    actor: .system,
                    in: tx
                ).id
            }
            r.provider = try organisation("Paraplyföreningen", .socialEconomyOrganisation)
            r.other = try organisation("Annan förening", .association)
            r.municipality = try organisation("Kommunen", .publicBody)
            func records(_ party: Int) throws -> (agreement: Int, grant: Int, activity: Int, document: Int) {
                let agreement = try store.createAgreement(
                    AgreementDraft(
                        kind: .frameworkAgreement,
                        title: "Överenskommelse",
                        purpose: "Samverkan",
                        partyIds: [r.municipality, party],
                        from: day
                    ),
                    reach: .everything,
                    actor: .system,
                    in: tx
                ).id
                for state in [AgreementState.legalCheck, .signed, .active] {
                    _ = try store.changeState(
                        ofAgreement: agreement,
                        AgreementStateChange(state: state),
                        today: day,
                        reach: .everything,
                        actor: .system,
                        in: tx
                    )
                }
                let grant = try store.createAgreement(
                    AgreementDraft(
                        kind: .associationGrant,
                        title: "Bidrag",
                        purpose: "Verksamhet",
                        partyIds: [r.municipality, party],
                        from: day,
                        appliedAmount: 100_000
                    ),
                    reach: .everything,
                    actor: .system,
                    in: tx
                ).id
                _ = try store.changeState(
                    ofAgreement: grant,
                    AgreementStateChange(state: .inReview),
                    today: day,
                    reach: .everything,
                    actor: .system,
                    in: tx
                )
                _ = try store.changeState(
                    ofAgreement: grant,
                    AgreementStateChange(state: .granted, grantedAmount: 100_000),
                    today: day,
                    reach: .everything,
                    actor: .system,
                    in: tx
                )
                _ = try store.addPayment(PaymentDraft(amount: 50_000, paidOn: day), toGrant: grant, reach: .everything, actor: .system, in: tx)
                _ = try store.changeState(
                    ofAgreement: grant,
                    AgreementStateChange(state: .paid),
                    today: day,
                    reach: .everything,
                    actor: .system,
                    in: tx
                )
                let activity = try store.addActivity(
                    ActivityDraft(what: "Dialogforum"),
                    toAgreement: agreement,
                    reach: .everything,
                    actor: .system,
                    in: tx
                ).id
                let document = try store.attach(
                    Data(pdf.utf8),
                    contentType: "application/pdf",
                    filename: "avtal.pdf",
                    toAgreement: agreement,
                    reach: .everything,
                    actor: .system,
                    in: tx
                ).id
                return (agreement, grant, activity, document)
            }
            (r.agreementIn, r.grantIn, r.activityIn, r.documentIn) = try records(r.provider)
            (r.agreementOut, r.grantOut, r.activityOut, r.documentOut) = try records(r.other)
            r.draftIn = try store.createAgreement(
                AgreementDraft(kind: .iop, title: "IOP", purpose: "Arbetsträning", partyIds: [r.municipality, r.provider], from: day),
                reach: .everything,
                actor: .system,
                in: tx
            ).id
            return r
        }
        var fixture = PartnershipsAccessFixture(runtime: runtime, ids: ids)
        fixture.tokens = try await HostFixture.tokensPerRole(runtime, provider: ids.provider)
        return fixture
    }
}

@Suite("Partnerships access: permissions and reach over HTTP")
struct PartnershipsAccessTests {
    typealias Route = WalkedRoute

    /// Records a route consumes, made fresh for each role's run.
    struct Fresh {
        var draft = 0, flagged = 0, planned = 0
    }

    static func routes(_ r: PartnershipsAccessFixture.Records, _ fresh: Fresh) -> [Route] {
        typealias P = PartnershipPermissions
        let agreementBody =
            #"{"kind": "frameworkAgreement", "title": "Ny överenskommelse", "purpose": "Samverkan", "partyIds": [\#(r.municipality), \#(r.provider)], "from": "2016-02-01"}"#
        let contribution = #"{"organisationId": \#(r.provider), "year": 2016, "form": "money", "amount": 10.50}"#
        let activity = #"{"what": "Utbildning om IOP", "who": "Enheten", "status": "planned"}"#
        return [
            Route(method: .get, path: "agreements", permission: P.read),
            Route(method: .get, path: "agreements?kind=frameworkAgreement&state=active&limit=5", permission: P.read),
            Route(method: .post, path: "agreements", body: agreementBody, permission: P.agreementWrite, success: .created),
            Route(method: .get, path: "agreements/\(r.agreementIn)", permission: P.read),
            Route(method: .get, path: "agreements/\(r.agreementOut)", permission: P.read, outsideReach: true),
            Route(
                method: .post,
                path: "agreements/\(fresh.draft)/state",
                body: #"{"state": "legalCheck", "comment": "Till juristen"}"#,
                permission: P.agreementWrite
            ),
            Route(method: .get, path: "agreements/\(r.agreementIn)/transitions", permission: P.read),
            Route(method: .get, path: "agreements/\(r.agreementOut)/transitions", permission: P.read, outsideReach: true),
            Route(method: .put, path: "agreements/\(r.agreementIn)/responsible", body: "{}", permission: P.agreementWrite),
            Route(method: .put, path: "agreements/\(r.agreementOut)/responsible", body: "{}", permission: P.agreementWrite, outsideReach: true),
            Route(method: .post, path: "agreements/\(r.agreementIn)/contributions", body: contribution, permission: P.agreementWrite),
            Route(
                method: .post,
                path: "agreements/\(r.draftIn)/procurement-check",
                body: #"{"finding": "Ingen marknad"}"#,
                permission: P.agreementWrite
            ),
            Route(method: .post, path: "agreements/\(fresh.flagged)/reviewed", permission: P.agreementWrite),
            Route(method: .get, path: "agreements/\(r.grantIn)/grant", permission: P.read),
            Route(method: .get, path: "agreements/\(r.grantOut)/grant", permission: P.read, outsideReach: true),
            Route(
                method: .post,
                path: "agreements/\(r.grantIn)/payments",
                body: #"{"amount": 1, "plannedOn": "2016-06-01"}"#,
                permission: P.grantWrite,
                success: .created
            ),
            Route(method: .post, path: "payments/\(fresh.planned)/paid", body: #"{"paidOn": "2016-06-02"}"#, permission: P.grantWrite),
            Route(
                method: .post,
                path: "agreements/\(r.grantIn)/report",
                body: #"{"submittedOn": "2016-12-01", "summary": "Redovisning"}"#,
                permission: P.grantWrite,
                success: .created
            ),
            Route(method: .get, path: "agreements/\(r.agreementIn)/activities", permission: P.read),
            Route(method: .get, path: "agreements/\(r.agreementOut)/activities", permission: P.read, outsideReach: true),
            Route(method: .post, path: "agreements/\(r.agreementIn)/activities", body: activity, permission: P.activityWrite, success: .created),
            Route(
                method: .post,
                path: "agreements/\(r.agreementOut)/activities",
                body: activity,
                permission: P.activityWrite,
                outsideReach: true,
                success: .created
            ),
            Route(method: .post, path: "activities/\(r.activityIn)", body: #"{"status": "ongoing"}"#, permission: P.activityWrite),
            Route(
                method: .post,
                path: "activities/\(r.activityOut)",
                body: #"{"status": "ongoing"}"#,
                permission: P.activityWrite,
                outsideReach: true
            ),
            Route(method: .get, path: "agreements/\(r.agreementIn)/documents", permission: P.read),
            Route(method: .get, path: "agreements/\(r.agreementOut)/documents", permission: P.read, outsideReach: true),
            Route(
                method: .post,
                path: "agreements/\(r.agreementIn)/documents?filename=avtal.pdf",
                body: PartnershipsAccessFixture.pdf,
                contentType: "application/pdf",
                permission: P.documentWrite,
                success: .created
            ),
            Route(method: .get, path: "documents/\(r.documentIn)", permission: P.read),
            Route(method: .get, path: "documents/\(r.documentOut)", permission: P.read, outsideReach: true),
            Route(method: .get, path: "follow-up?asOf=2016-12-31", permission: P.read),
            Route(method: .get, path: "follow-up?asOf=2016-12-31&format=csv", permission: P.read),
            Route(method: .get, path: "reminders", permission: P.read),
            Route(method: .get, path: "ledger?year=2016", permission: P.read),
            Route(method: .get, path: "ledger?format=csv", permission: P.read),
            Route(method: .get, path: "totals?year=2016&format=csv", permission: P.read),
        ]
    }

    @Test("every partnerships route with every role: 401 without a token, 403 without the permission, 404 outside a supervisor's reach")
    func routeWalk() async throws {
        let f = try await PartnershipsAccessFixture.make()
        let r = f.ids
        let store = try PartnershipStore(context: f.runtime.context(for: "partnerships"))
        try await buildApplication(runtime: f.runtime).test(.router) { client in
            var checked = 0
            var done: Set<String> = []
            for role in [Role?.none] + Role.allCases.map(Optional.some) {
                let fresh = try await f.runtime.database.transaction { tx in
                    var fresh = Fresh()
                    let day = PartnershipsAccessFixture.day
                    func agreement() throws -> Int {
                        try store.createAgreement(
                            AgreementDraft(kind: .iop, title: "IOP", purpose: "Prövning", partyIds: [r.municipality, r.provider], from: day),
                            reach: .everything,
                            actor: .system,
                            in: tx
                        ).id
                    }
                    fresh.draft = try agreement()
                    fresh.flagged = try agreement()
                    try tx.execute("UPDATE partnerships.agreements SET flagged_for_review = true, flagged_on = \(day) WHERE id = \(fresh.flagged)")
                    fresh.planned = try store.addPayment(
                        PaymentDraft(amount: 1, plannedOn: LocalDate(year: 2016, month: 5, day: 1)),
                        toGrant: r.grantIn,
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
                    prefix: "/api/v1/partnerships/",
                    tokens: f.tokens,
                    roles: f.runtime.roles,
                    done: &done
                )
            }
            #expect(checked == 6 * 35)
        }
        await f.runtime.shutdown()
    }

    @Test("over HTTP: a document of a forbidden type or over the limit, and a payment above the grant, are 422 naming the field")
    func badInputOverHTTP() async throws {
        let f = try await PartnershipsAccessFixture.make()
        let r = f.ids
        try await buildApplication(runtime: f.runtime).test(.router) { client in
            func post(_ path: String, _ body: String, type: String = "application/json") async throws -> (HTTPResponse.Status, String) {
                let response = try await client.execute(
                    uri: "/api/v1/partnerships/" + path,
                    method: .post,
                    headers: [.authorization: "Bearer \(f.tokens[.officer]!)", .contentType: type],
                    body: ByteBuffer(string: body)
                )
                return (response.status, String(buffer: response.body))
            }
            let exe = try await post("agreements/\(r.agreementIn)/documents?filename=a.exe", "MZ", type: "application/x-msdownload")
            #expect(exe.0 == .unprocessableContent)
            #expect(exe.1.contains("/contentType"), "\(exe.1)")
            let fake = try await post("agreements/\(r.agreementIn)/documents?filename=a.pdf", "<html>", type: "application/pdf")
            #expect(fake.0 == .unprocessableContent)
            #expect(fake.1.contains("/content"), "\(fake.1)")
            let payment = try await post("agreements/\(r.grantIn)/payments", #"{"amount": 50000.01, "paidOn": "2016-03-01"}"#)
            #expect(payment.0 == .unprocessableContent)
            #expect(payment.1.contains("/amount"), "\(payment.1)")
            let decimals = try await post("agreements/\(r.grantIn)/payments", #"{"amount": 10.001, "paidOn": "2016-03-01"}"#)
            #expect(decimals.0 == .unprocessableContent)
            #expect(decimals.1.contains("/amount"), "\(decimals.1)")
            let forbidden = try await post("agreements/\(r.agreementIn)/state", #"{"state": "draft"}"#)
            #expect(forbidden.0 == .conflict)
            #expect(forbidden.1.contains("/state"), "\(forbidden.1)")
            let documents = try await f.runtime.database.query("SELECT count(*) AS n FROM partnerships.documents WHERE letter IS NULL").single()
            #expect(try documents.decode("n", as: Int.self) == 2)
            // A stored document comes back byte for byte, as a download the browser does not sniff (the host says nosniff on every response).
            let download = try await client.execute(
                uri: "/api/v1/partnerships/documents/\(r.documentIn)",
                method: .get,
                headers: [.authorization: "Bearer \(f.tokens[.officer]!)"]
            )
            #expect(download.status == .ok)
            #expect(String(buffer: download.body) == PartnershipsAccessFixture.pdf)
            #expect(download.headers[.contentDisposition]?.hasPrefix("attachment") == true)
            #expect(download.headers[HTTPField.Name("X-Content-Type-Options")!] == "nosniff")
        }
        await f.runtime.shutdown()
    }

    @Test("over HTTP: a document's body is limited by the feature's maxAttachmentBytes, not by http.maxBodyBytes (2048 here)")
    func documentBodyLimit() async throws {
        let f = try await PartnershipsAccessFixture.make(maxAttachmentBytes: 8192)
        let r = f.ids
        try await buildApplication(runtime: f.runtime).test(.router) { client in
            func attach(_ content: String) async throws -> (HTTPResponse.Status, HTTPFields, String) {
                let response = try await client.execute(
                    uri: "/api/v1/partnerships/agreements/\(r.agreementIn)/documents?filename=skannat%20avtal.pdf",
                    method: .post,
                    headers: [.authorization: "Bearer \(f.tokens[.officer]!)", .contentType: "application/pdf"],
                    body: ByteBuffer(string: content)
                )
                return (response.status, response.headers, String(buffer: response.body))
            }
            let (status, headers, body) = try await attach(PartnershipsAccessFixture.pdf + String(repeating: "%", count: 6000))
            #expect(status == .created, "\(body)")
            struct Stored: Decodable { let id: Int }
            let id = try JSONDecoder().decode(Stored.self, from: Data(body.utf8)).id
            #expect(headers[.location] == "/api/v1/partnerships/documents/\(id)")
            let tooLarge = try await attach(PartnershipsAccessFixture.pdf + String(repeating: "%", count: 9000))
            #expect(tooLarge.0 == .unprocessableContent)
            #expect(tooLarge.2.contains(#""pointer":"/content""#), "\(tooLarge.2)")
            // The download goes out as the type it was stored with, whatever the client accepts.
            let download = try await client.execute(
                uri: "/api/v1/partnerships/documents/\(id)",
                method: .get,
                headers: [.authorization: "Bearer \(f.tokens[.officer]!)", .accept: "application/pdf"]
            )
            #expect(download.status == .ok)
            #expect(download.headers[.contentType] == "application/pdf")
            #expect(download.headers[.contentDisposition] == #"attachment; filename="skannat avtal.pdf""#)
            #expect(download.body.readableBytes == PartnershipsAccessFixture.pdf.utf8.count + 6000)
        }
        await f.runtime.shutdown()
    }

    @Test("an organisation wound up in the registry has its agreements in force flagged for review through the registry's event")
    func woundUpFlagsAgreements() async throws {
        let f = try await PartnershipsAccessFixture.make()
        let registry = f.runtime.registry
        let day = LocalDate(year: 2016, month: 9, day: 30)!
        _ = try await f.runtime.database.transaction { [ids = f.ids] tx in
            try registry.changeState(
                ofOrganisation: ids.provider,
                OrganisationStateChange(state: .woundUp, on: day, reason: "Föreningen upplöstes"),
                today: .today(),
                reach: .everything,
                actor: .system,
                in: tx
            )
        }
        #expect(try await f.runtime.dispatcher.dispatchPending() >= 1)
        let flagged = try await f.runtime.database.query("SELECT id FROM partnerships.agreements WHERE flagged_for_review ORDER BY id")
        #expect(try flagged.map { try $0.decode("id", as: Int.self) } == [f.ids.agreementIn, f.ids.grantIn], "the draft IOP is not in force")
        #expect(try await f.runtime.dispatcher.dispatchPending() == 0)
        await f.runtime.shutdown()
    }

    @Test("the route walk covers every operation of the partnerships API document, each with the permission the document names")
    func walkCoversOpenAPI() throws {
        let plugin = try PartnershipAgreementsPlugin(settings: ConfigSection(path: "features.partnerships", value: nil))
        let document = try APIDocument(
            url: try #require(PartnershipAgreementsPlugin.apiDocument),
            featureID: "partnerships",
            permissions: plugin.permissions
        )
        try WalkedRoute.expectCovers(document, Self.routes(PartnershipsAccessFixture.Records(), Fresh()))
    }
}
