import DataAccess
import Foundation
import HTTPTypes
import HostTestSupport
import Hummingbird
import HummingbirdTesting
import PageKit
import PluginKit
import Registry
import TestSupport
import Testing

@testable import Host
@testable import PartnershipAgreements

/// Case numbers (diarienummer) of agreements and grants (issue 22, point 12): stored, shown on
/// the agreement's page and in the list, searchable in the API's list and the page's.
@Suite("Case numbers of agreements and grants")
struct CaseNumberTests {
    @Test("stored with the agreement; the API's list filters by a part of it, case aside; the page's list finds it by search and shows it")
    func storedShownSearched() async throws {
        let f = try await PartnershipPageTests.fixture()
        let r = f.ids
        try await buildApplication(runtime: f.runtime).test(.router) { client in
            let headers: HTTPFields = [.authorization: "Bearer \(f.tokens[.officer]!)", .contentType: "application/json"]
            func create(_ body: String) async throws -> (HTTPResponse.Status, String) {
                let response = try await client.execute(
                    uri: "/api/v1/partnerships/agreements",
                    method: .post,
                    headers: headers,
                    body: ByteBuffer(string: body)
                )
                return (response.status, String(buffer: response.body))
            }
            let grant = try await create(
                #"{"kind": "associationGrant", "caseNumber": "SN 2016/123", "title": "Föreningsbidrag 2016", "purpose": "Verksamhet", "partyIds": [\#(r.municipality), \#(r.provider)], "from": "2016-01-01", "appliedAmount": 50000}"#
            )
            #expect(grant.0 == .created)
            #expect(grant.1.contains(#""caseNumber":"SN 2016\/123""#) || grant.1.contains(#""caseNumber":"SN 2016/123""#), "\(grant.1)")
            let iop = try await create(
                #"{"kind": "iop", "caseNumber": "KS 2015/7", "title": "IOP arbetsträning", "purpose": "Arbetsträning", "partyIds": [\#(r.municipality), \#(r.provider)], "from": "2015-06-01"}"#
            )
            #expect(iop.0 == .created)
            let long = try await create(
                #"{"kind": "iop", "caseNumber": "\#(String(repeating: "9", count: 41))", "title": "För långt", "purpose": "Test", "partyIds": [\#(r.municipality), \#(r.provider)], "from": "2015-06-01"}"#
            )
            #expect(long.0 == .unprocessableContent)
            #expect(long.1.contains("/caseNumber"))
            func list(_ query: String) async throws -> String {
                let response = try await client.execute(uri: "/api/v1/partnerships/agreements?\(query)", method: .get, headers: headers)
                #expect(response.status == .ok)
                return String(buffer: response.body)
            }
            let found = try await list("caseNumber=sn%202016")
            #expect(found.contains("Föreningsbidrag 2016"))
            #expect(!found.contains("IOP arbetsträning"))
            let byPart = try await list("caseNumber=2015%2F7")
            #expect(byPart.contains("IOP arbetsträning") && !byPart.contains("Föreningsbidrag 2016"))
            #expect(!(try await list("caseNumber=1999")).contains("\"title\""), "nothing matches")
            // The page's list: the search finds by case number, the column shows it.
            var officer = try await PartnershipPageTests.signedIn(client, .officer)
            let page = try await officer.get("/partnerships?q=2016%2F123")
            #expect(page.mainText.contains("Föreningsbidrag 2016"))
            #expect(page.mainText.contains("SN 2016/123"))
            #expect(!page.mainText.contains("IOP arbetsträning"))
            #expect(page.mainText.contains("Diarienummer"))
            let csv = try await officer.get("/partnerships?q=ks%202015&format=csv")
            #expect(csv.body.contains("KS 2015/7"))
            let id = try #require(page.body.firstMatch(of: /href="\/partnerships\/agreements\/(\d+)"/)).1
            let agreement = try await officer.get("/partnerships/agreements/\(id)")
            #expect(agreement.mainText.contains("Diarienummer SN 2016/123"))
            // The create form asks for it.
            let form = try await officer.get("/partnerships/forms/createAgreement")
            #expect(form.body.contains(#"name="caseNumber""#))
        }
        await f.runtime.shutdown()
    }
}
