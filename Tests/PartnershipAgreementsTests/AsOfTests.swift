import DataAccess
import FeatureSupport
import Foundation
import HostTestSupport
import PluginKit
import Registry
import TestSupport
import Testing

@testable import Host
@testable import PartnershipAgreements

/// The follow-up answers as of the day asked for (issue 22, point 2): the agreements in force
/// that day, the reports not yet in by then, whatever has happened to them since.
@Suite("Partnerships follow-up as of a past day")
struct AsOfTests {
    typealias F = PartnershipFixture

    static func day(_ text: String) -> LocalDate { LocalDate(text)! }

    @Test("a day in 2015: an agreement terminated since still has its review due then; a grant reported since still has its report due then")
    func pastStates() async throws {
        try await F.with { f async throws in
            var draft = f.draft(.frameworkAgreement)
            (draft.title, draft.from, draft.to, draft.reviewOn) = ("Ramavtal 2015", Self.day("2015-01-01"), nil, Self.day("2015-06-30"))
            let framework = try await f.create(draft)
            for (state, on) in [
                (AgreementState.legalCheck, "2014-11-01"), (.signed, "2014-12-01"), (.active, "2015-01-01"), (.evaluated, "2015-12-01"),
                (.terminated, "2016-01-10"),
            ] {
                try await f.change(framework.id, AgreementStateChange(state: state, on: Self.day(on), comment: "steg"))
            }
            // A grant of 2015, paid 2015-03-02, reported 2016-03-21, approved 2016-04-15.
            var application = f.draft(.associationGrant)
            (application.from, application.to, application.grantYear) = (Self.day("2015-01-01"), Self.day("2015-12-31"), 2015)
            let grant = try await f.create(application)
            try await f.change(grant.id, AgreementStateChange(state: .inReview, on: Self.day("2015-01-20")))
            try await f.change(grant.id, AgreementStateChange(state: .granted, on: Self.day("2015-02-16"), grantedAmount: 100_000))
            _ = try await GrantTests.pay(f, grant.id, 100_000, paidOn: Self.day("2015-03-02"))
            try await f.change(grant.id, AgreementStateChange(state: .paid, on: Self.day("2015-03-02")))
            try await f.change(grant.id, AgreementStateChange(state: .reportDue, on: Self.day("2016-01-01")))
            _ = try await GrantUseTests.report(f, grant.id, used: 100_000)
            try await f.database.execute("UPDATE partnerships.reports SET submitted_on = '2016-03-21' WHERE agreement_id = \(grant.id)")
            try await f.change(grant.id, AgreementStateChange(state: .approved, on: Self.day("2016-04-15")))

            func due(_ asOf: String) async throws -> [String] {
                try await f.read { s, db in try s.followUp(asOf: Self.day(asOf), reach: .everything, in: db) }.due.map {
                    "\($0.kind.rawValue) \($0.agreementId) \($0.on)"
                }
            }
            // 2015-05-15: the framework agreement was active, its review due on 2015-06-30.
            #expect(try await due("2015-05-15") == ["review \(framework.id) 2015-06-30"])
            // 2014-10-01: not yet signed, nothing to follow.
            #expect(try await due("2014-10-01").isEmpty)
            // 2016-03-01: the grant's report, due 2016-03-31, was not in yet; the agreement was terminated.
            #expect(try await due("2016-03-01") == ["report \(grant.id) 2016-03-31"])
            // 2016-03-25: the report came on 2016-03-21.
            #expect(try await due("2016-03-25").isEmpty)
            // Today: both closed.
            #expect(try await due(LocalDate.today().description).isEmpty)
        }
    }

    @Test("the demo story: on 2016-02-15 the three 2015 grants' reports are due on 2016-03-31, though approved or repaid since")
    func demoStory() async throws {
        let (runtime, _) = try await HostFixture.demoRuntime()
        let store = try PartnershipStore(context: runtime.context(for: "partnerships"))
        let asOf = Self.day("2016-02-15")
        let report = try await runtime.database.withConnection { db in try store.followUp(asOf: asOf, reach: .everything, in: db) }
        let reports = report.due.filter { $0.kind == .report && $0.on == Self.day("2016-03-31") }
        #expect(
            reports.map(\.title).sorted() == [
                "Verksamhetsbidrag 2015: Cykelverkstan Hjulet", "Verksamhetsbidrag 2015: Returbutiken Återbruk",
                "Verksamhetsbidrag 2015: paraplyföreningen",
            ]
        )
        // The day in 2015 the umbrella association took over: the supervision contract was just
        // made active, the framework agreement active; neither due within 60 days; no report due.
        let takeover = try await runtime.database.withConnection { db in try store.followUp(asOf: Self.day("2015-04-01"), reach: .everything, in: db)
        }
        #expect(takeover.due.allSatisfy { $0.on <= Self.day("2015-05-31") }, "\(takeover.due)")
        #expect(!takeover.due.contains { $0.title.hasPrefix("IOP") }, "the IOP of 2019 did not exist")
        await runtime.shutdown()
    }
}
