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

@testable import Host
@testable import PartnershipAgreements

/// Partnerships' writes in the pages: a grant's payment in kronor through the form derived from
/// the API document, the grantee's report, a repayment claim asked first on the agreement's own
/// state form, an activity outside a supervisor's reach, and a document uploaded on the
/// agreement's page (multipart) and downloaded with the same bytes; refusals at their fields in
/// Swedish with nothing stored.
@Suite("Partnership forms")
struct PartnershipFormTests {
    @Test("a payment from the grant's page: refused at its fields in Swedish with nothing stored, then saved in kronor, audited, shown")
    func paymentFromThePage() async throws {
        let f = try await PartnershipPageTests.fixture()
        let grant = f.ids.grantIn
        try await buildApplication(runtime: f.runtime).test(.router) { client in
            var officer = try await PartnershipPageTests.signedIn(client, .officer)
            let page = try await officer.get("/partnerships/agreements/\(grant)")
            let link = "/partnerships/forms/addGrantPayment?id=\(grant)&back=/partnerships/agreements/\(grant)"
            #expect(page.body.contains(link.replacingOccurrences(of: "&", with: "&amp;")), "the grant's page links to the payment form")
            #expect(page.mainText.contains("Registrera bidragsmottagarens redovisning"))
            let form = try await officer.get(link)
            #expect(form.status == .ok)
            #expect(form.mainText.contains("Utbetalning av bidraget"))
            #expect(form.body.contains(#"id="f-amount" name="amount" value="" required aria-required="true" inputmode="decimal""#))
            let payments = try await HostFixture.count(f.runtime, "SELECT count(*) AS n FROM partnerships.payments WHERE agreement_id = \(grant)")

            let refused = try await officer.post(link, [("amount", "tolv tusen"), ("paidOn", "30/6")])
            #expect(refused.status == .unprocessableContent)
            #expect(refused.body.contains("error-summary"))
            #expect(refused.body.contains(##"<a href="#f-amount">Belopp: Ange ett tal, till exempel 1 234,50.</a>"##))
            #expect(refused.body.contains(##"<a href="#f-paidOn">Utbetald: Skriv datumet som ÅÅÅÅ-MM-DD"##))
            #expect(refused.body.contains(#"name="amount" value="tolv tusen""#), "what was typed comes back")
            #expect(
                try await HostFixture.count(f.runtime, "SELECT count(*) AS n FROM partnerships.payments WHERE agreement_id = \(grant)") == payments
            )

            let saved = try await officer.post(link, [("amount", "12 345,50 kr"), ("paidOn", "2016-06-30"), ("note", "Andra delen")])
            #expect(saved.status == .seeOther)
            #expect(saved.location == "/partnerships/agreements/\(grant)")
            let row = try await f.runtime.database.query(
                "SELECT amount::text AS amount FROM partnerships.payments WHERE agreement_id = \(grant) AND paid_on = '2016-06-30'"
            ).single()
            #expect(try row.decode("amount", as: String.self) == "12345.50")
            let audit = try await f.runtime.database.query(
                "SELECT actor FROM kernel.audit_log WHERE feature = 'partnerships' ORDER BY id DESC LIMIT 1"
            ).single()
            #expect(try audit.decode("actor", as: String.self) == "user-officer", "the page's write is audited as its user")
            let shown = try await officer.get("/partnerships/agreements/\(grant)")
            #expect(shown.mainText.contains("Utbetalningen är sparad."), "the notice")
            #expect(shown.body.contains("<td>12\u{00A0}345,50\u{00A0}kr</td><td>–</td><td>2016-06-30</td>"), "in kronor with a decimal comma")
            #expect(shown.body.contains("<dd>62\u{00A0}345,50\u{00A0}kr</dd>"), "paid in all")
        }
        await f.runtime.shutdown()
    }

    @Test("the grantee's report, then a repayment claim that asks first on a page of its own; nothing changes until confirmed")
    func claimAsksFirst() async throws {
        let f = try await PartnershipPageTests.fixture()
        let grant = f.ids.grantIn
        try await buildApplication(runtime: f.runtime).test(.router) { client in
            var officer = try await PartnershipPageTests.signedIn(client, .officer)
            let page = try await officer.get("/partnerships/agreements/\(grant)")
            let report = "/partnerships/forms/submitGrantReport?id=\(grant)&back=/partnerships/agreements/\(grant)"
            #expect(page.body.contains(report.replacingOccurrences(of: "&", with: "&amp;")))
            _ = try await officer.get(report)
            let noSummary = try await officer.post(report, [("submittedOn", "2017-03-15")])
            #expect(noSummary.status == .unprocessableContent)
            #expect(noSummary.body.contains(##"<a href="#f-summary">Vad redovisningen säger: Fyll i fältet.</a>"##))
            let reported = try await officer.post(report, [("submittedOn", "2017-03-15"), ("summary", "Pengarna gick till lokalhyra")])
            #expect(reported.status == .seeOther)
            #expect(reported.location == "/partnerships/agreements/\(grant)", "back to the grant")
            let withReport = try await officer.get("/partnerships/agreements/\(grant)")
            #expect(withReport.mainText.contains("Redovisningen är registrerad."))
            #expect(withReport.mainText.contains("2017-03-15: Pengarna gick till lokalhyra"))

            let state = "/partnerships/agreements/\(grant)/state"
            #expect(try await officer.post(state, [("state", "reportDue"), ("on", "2017-01-01")]).status == .seeOther, "no question for this step")
            _ = try await officer.get("/partnerships/agreements/\(grant)")
            let claim = [("state", "repaymentClaimed"), ("on", "2017-04-10"), ("amount", "20 000"), ("reason", "Pengar kvar vid årets slut")]
            let asked = try await officer.post(state, claim)
            #expect(asked.status == .ok)
            #expect(asked.mainText.contains("Är du säker?"))
            #expect(asked.mainText.contains("Mottagaren krävs på beloppet du angett"))
            #expect(asked.mainText.contains("Pengar kvar vid årets slut"), "what was entered is shown")
            #expect(try await PartnershipPageTests.state(f, grant) == "reportDue", "nothing yet")
            #expect(try await HostFixture.count(f.runtime, "SELECT count(*) AS n FROM partnerships.repayment_claims") == 0)
            let done = try await officer.post(state, claim + [("_confirmed", "yes")])
            #expect(done.status == .seeOther)
            #expect(try await PartnershipPageTests.state(f, grant) == "repaymentClaimed")
            let shown = try await officer.get("/partnerships/agreements/\(grant)")
            #expect(shown.mainText.contains("Återkrav"))
            #expect(shown.body.contains("<td>2017-04-10</td><td>20\u{00A0}000\u{00A0}kr</td><td>Pengar kvar vid årets slut</td>"))
        }
        await f.runtime.shutdown()
    }

    @Test("permission and reach: 403 on a form without the permission, 404 for an activity outside a supervisor's reach")
    func permissionAndReach() async throws {
        let f = try await PartnershipPageTests.fixture()
        let r = f.ids
        try await buildApplication(runtime: f.runtime).test(.router) { client in
            var auditor = try await PartnershipPageTests.signedIn(client, .auditor)
            #expect(try await auditor.get("/partnerships/forms/addGrantPayment?id=\(r.grantIn)").status == .forbidden)
            #expect(
                !(try await auditor.get("/partnerships/agreements/\(r.grantIn)").body.contains("/partnerships/forms/")),
                "no links it may not use"
            )
            var supervisor = try await PartnershipPageTests.signedIn(client, .supervisor)
            #expect(try await supervisor.get("/partnerships/forms/createAgreement").status == .forbidden)
            let own = try await supervisor.get("/partnerships/agreements/\(r.agreementIn)")
            #expect(own.mainText.contains("Dialogforum"), "the action plan")
            #expect(own.body.contains("/partnerships/forms/updateAgreementActivity?id=\(r.activityIn)&amp;status=planned"))
            #expect(!own.body.contains(#"enctype="multipart/form-data""#), "no upload without the permission")
            let outside = "/partnerships/forms/updateAgreementActivity?id=\(r.activityOut)"
            _ = try await supervisor.get(outside)
            let refused = try await supervisor.post(outside, [("status", "done"), ("outcome", "Klart")])
            #expect(refused.status == .notFound, "an activity outside reach answers as a missing one")
            #expect(try await HostFixture.count(f.runtime, "SELECT count(*) AS n FROM partnerships.activities WHERE status = 'done'") == 0)
            let inside = "/partnerships/forms/updateAgreementActivity?id=\(r.activityIn)"
            _ = try await supervisor.get(inside)
            let done = try await supervisor.post(inside, [("status", "done"), ("outcome", "Tre forum hölls")])
            #expect(done.status == .seeOther)
            #expect(done.location == "/partnerships/agreements/\(r.agreementIn)")
            let shown = try await supervisor.get("/partnerships/agreements/\(r.agreementIn)")
            #expect(shown.mainText.contains("Dialogforum – – Klar Tre forum hölls"))
        }
        await f.runtime.shutdown()
    }

    @Test("a document uploaded on the agreement's page: refusals at the file's field, then stored, audited, downloadable byte for byte")
    func uploadAndDownload() async throws {
        let f = try await PartnershipsAccessFixture.make(maxAttachmentBytes: 8192)
        try await HostFixture.setPagePasswords(f.runtime)
        let agreement = f.ids.agreementIn
        let action = "/partnerships/agreements/\(agreement)/documents"
        let pdf = Data("%PDF-1.4\n1 0 obj << >> endobj\n%%EOF\n".utf8)
        try await buildApplication(runtime: f.runtime).test(.router) { client in
            var officer = try await PartnershipPageTests.signedIn(client, .officer)
            let page = try await officer.get("/partnerships/agreements/\(agreement)")
            #expect(page.body.contains(#"<form method="post" action="\#(action)" enctype="multipart/form-data""#))
            #expect(page.body.contains(#"type="file" id="f-content" name="content""#))
            #expect(page.mainText.contains("högst 8 kB"), "the limit in the hint")
            let documents = try await HostFixture.count(f.runtime, "SELECT count(*) AS n FROM partnerships.documents")
            let refusals: [(String, String, Data, String)] = [
                ("tom.pdf", "application/pdf", Data(), "Filen är tom."),
                ("stor.pdf", "application/pdf", pdf + Data(repeating: 32, count: 9000), "Filen är för stor; högst 8 kB får laddas upp."),
                ("program.exe", "application/x-msdownload", Data("MZ".utf8), "Den filtypen tas inte emot"),
                ("falsk.pdf", "application/pdf", Data("inte en pdf".utf8), "Filens innehåll stämmer inte med dess typ."),
                ("", "application/octet-stream", Data(), "Välj en fil att ladda upp."),
            ]
            for (name, type, content, message) in refusals {
                _ = try await officer.get("/partnerships/agreements/\(agreement)")
                let refused = try await officer.postFile(action, field: "content", filename: name, contentType: type, content: content)
                #expect(refused.status == .unprocessableContent, "\(name)")
                #expect(refused.body.contains(##"<a href="#f-content">Fil: \##(message)"##), "\(name): in the summary")
                #expect(refused.body.contains(#"id="f-content-error""#), "\(name): at the field")
                #expect(refused.mainText.contains("Statushistorik"), "the agreement's page comes back")
            }
            #expect(try await HostFixture.count(f.runtime, "SELECT count(*) AS n FROM partnerships.documents") == documents, "nothing stored")

            _ = try await officer.get("/partnerships/agreements/\(agreement)")
            let saved = try await officer.postFile(
                action,
                field: "content",
                filename: "protokoll 2016.pdf",
                contentType: "application/pdf",
                content: pdf
            )
            #expect(saved.status == .seeOther)
            #expect(saved.location == "/partnerships/agreements/\(agreement)")
            let id: Int = try await f.runtime.database.query(
                "SELECT id FROM partnerships.documents WHERE filename = 'protokoll 2016.pdf' AND agreement_id = \(agreement)"
            ).single().decode("id")
            let audit = try await f.runtime.database.query(
                "SELECT actor FROM kernel.audit_log WHERE feature = 'partnerships' AND entity = 'document' AND entity_id = \(String(id))"
            ).single()
            #expect(try audit.decode("actor", as: String.self) == "user-officer", "audited as its user")
            let shown = try await officer.get("/partnerships/agreements/\(agreement)")
            #expect(shown.mainText.contains("Dokumentet är bifogat."))
            #expect(shown.body.contains(#"<a href="/partnerships/documents/\#(id)">protokoll 2016.pdf</a>"#))
            let download = try await client.execute(
                uri: "/partnerships/documents/\(id)",
                method: .get,
                headers: [.cookie: officer.cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; ")]
            )
            #expect(download.status == .ok)
            #expect(download.headers[.contentType] == "application/pdf")
            #expect(Data(download.body.readableBytesView) == pdf, "the same bytes")

            var supervisor = try await PartnershipPageTests.signedIn(client, .supervisor)
            _ = try await supervisor.get("/partnerships/agreements/\(agreement)")
            let forbidden = try await supervisor.postFile(action, field: "content", filename: "x.pdf", contentType: "application/pdf", content: pdf)
            #expect(forbidden.status == .forbidden)
        }
        await f.runtime.shutdown()
    }

    @Test("the state changes the API document states (AgreementState) are the ones the model allows, so a form offers no state it would refuse")
    func documentedTransitions() throws {
        let url = try #require(PartnershipAgreementsPlugin.apiDocument)
        let permissions = try PartnershipAgreementsPlugin(settings: ConfigSection(path: "features.partnerships", value: nil)).permissions
        #expect(
            try DocumentedTransitions.of("AgreementState", in: url, permissions: permissions)
                == Dictionary(uniqueKeysWithValues: AgreementState.allCases.map { ($0.rawValue, $0.allowedNext.map(\.rawValue).sorted()) })
        )
    }
}
