import CSVKit
import DataAccess
import FeatureSupport
import Foundation
import PluginKit
import Registry
import TestSupport
import Testing

@testable import PartnershipAgreements

@Suite("Follow-up: reminder dates (rule 21), the grant ledger, totals, wound-up parties")
struct FollowUpTests {
    typealias F = PartnershipFixture

    static func day(_ text: String) -> LocalDate { LocalDate(text)! }

    /// An active framework agreement with these dates.
    static func active(_ f: F, title: String, from: String = "2016-01-01", to: String?, reviewOn: String?) async throws -> Agreement {
        var draft = f.draft(.frameworkAgreement)
        draft.title = title
        draft.from = day(from)
        draft.to = to.map(Self.day)
        draft.reviewOn = reviewOn.map(Self.day)
        let agreement = try await f.create(draft)
        for state in [AgreementState.legalCheck, .signed, .active] { try await f.change(agreement.id, AgreementStateChange(state: state)) }
        return agreement
    }

    @Test("a review, an end or a report date raises a reminder the configured days before it and an overdue flag after it")
    func reminderDates() async throws {
        var settings = PartnershipSettings()
        settings.reminderDays = 30
        try await F.with(settings: settings) { f async throws in
            let asOf = Self.day("2017-06-01")
            let soon = try await Self.active(f, title: "Snart", to: "2019-12-31", reviewOn: "2017-07-01")  // 30 days: due
            _ = try await Self.active(f, title: "Senare", to: "2019-12-31", reviewOn: "2017-07-02")  // 31 days: not yet
            let ended = try await Self.active(f, title: "Slutat", to: "2017-05-31", reviewOn: nil)  // yesterday: overdue
            let draft = try await f.create(f.draft(.frameworkAgreement))  // not in force: never
            let grant = try await GrantTests.granted(f)  // report due 2017-03-31: overdue (a grant's review and end are not followed)
            _ = try await GrantTests.pay(f, grant.id, 100_000)
            try await f.change(grant.id, AgreementStateChange(state: .paid))

            let report = try await f.read { s, db in try s.followUp(asOf: asOf, reach: .everything, in: db) }
            let due = report.due.map { "\($0.kind.rawValue) \($0.agreementId) \($0.on) \($0.daysLeft) \($0.overdue)" }
            #expect(
                due == [
                    "report \(grant.id) 2017-03-31 -62 true", "end \(ended.id) 2017-05-31 -1 true", "review \(soon.id) 2017-07-01 30 false",
                ]
            )
            #expect(!report.due.contains { $0.agreementId == draft.id })
            #expect(report.reminderDays == 30)
            #expect(PartnershipCSV.followUp(report).text.hasPrefix("asOf,kind,agreementId,agreementKind,title,on,daysLeft,overdue\r\n"))

            // The daily job raises each once, and a day only once.
            #expect(try await f.write { s, tx in try s.raiseReminders(on: asOf, in: tx) } == 3)
            #expect(try await f.write { s, tx in try s.raiseReminders(on: asOf, in: tx) } == nil)
            #expect(try await f.write { s, tx in try s.raiseReminders(on: asOf.adding(days: 1), in: tx) } == 1, "Senare comes within 30 days")
            let reminders = try await f.read { s, db in try s.reminders(page: try PageRequest(), reach: .everything, in: db) }
            #expect(reminders.items.count == 4)
            #expect(reminders.items.contains { $0.message.contains("was due on 2017-03-31, 62 days ago") })

            // The report submitted, its reminder is gone.
            _ = try await f.write { s, tx in
                try s.submitReport(
                    GrantReport(submittedOn: asOf, summary: "Redovisning"),
                    forGrant: grant.id,
                    reach: .everything,
                    actor: F.actor,
                    in: tx
                )
            }
            let after = try await f.read { s, db in try s.followUp(asOf: asOf, reach: .everything, in: db) }
            #expect(!after.due.contains { $0.kind == .report })
        }
    }

    @Test("the grant ledger sums applied, granted, paid and repaid per organisation and year; totals per kind and year")
    func ledger() async throws {
        try await F.with { f async throws in
            func grant(to recipient: Int, year: Int, applied: Decimal, granted: Decimal, paid: [Decimal], repaid: Decimal? = nil) async throws {
                var draft = f.draft(.associationGrant)
                draft.partyIds = [f.municipality, recipient]
                draft.from = LocalDate(year: year, month: 1, day: 1)!
                draft.to = LocalDate(year: year, month: 12, day: 31)!
                draft.reviewOn = nil
                draft.grantYear = year
                draft.appliedAmount = applied
                let created = try await f.create(draft)
                try await f.change(created.id, AgreementStateChange(state: .inReview))
                try await f.change(created.id, AgreementStateChange(state: .granted, on: draft.from, grantedAmount: granted))
                for amount in paid { _ = try await GrantTests.pay(f, created.id, amount, paidOn: draft.from) }
                if let repaid {
                    try await f.change(created.id, AgreementStateChange(state: .paid))
                    try await f.change(created.id, AgreementStateChange(state: .reportDue))
                    try await f.change(created.id, AgreementStateChange(state: .repaymentClaimed, amount: repaid, reason: "Outnyttjat"))
                    try await f.change(created.id, AgreementStateChange(state: .repaid))
                }
            }
            try await grant(to: f.umbrella, year: 2017, applied: 3_000_000, granted: 2_820_000, paid: [705_000, 705_000, 705_000, 705_000])
            try await grant(to: f.umbrella, year: 2018, applied: 2_820_000, granted: 2_820_000, paid: [1_410_000])
            try await grant(to: f.cooperative, year: 2017, applied: 120_000.50, granted: 100_000, paid: [100_000], repaid: 20_000.25)
            try await grant(to: f.cooperative, year: 2017, applied: 50_000, granted: 40_000, paid: [])

            let lines = try await f.read { s, db in try s.ledger(year: nil, organisationId: nil, reach: .everything, in: db) }
            let text = lines.map { "\($0.year) \($0.organisationName) \($0.grants) \($0.applied) \($0.granted) \($0.paid) \($0.repaid)" }
            #expect(
                text == [
                    "2017 Café Gläntan 2 170000.5 140000 100000 20000.25", "2017 Paraplyföreningen 1 3000000 2820000 2820000 0",
                    "2018 Paraplyföreningen 1 2820000 2820000 1410000 0",
                ]
            )
            let of2018 = try await f.read { s, db in try s.ledger(year: 2018, organisationId: nil, reach: .everything, in: db) }
            #expect(of2018.count == 1)
            let ofCafe = try await f.read { s, db in try s.ledger(year: nil, organisationId: f.cooperative, reach: .everything, in: db) }
            #expect(ofCafe.map(\.granted) == [140_000])
            #expect(PartnershipCSV.ledger(lines).text.contains("2017,\(f.cooperative),Café Gläntan,2,170000.5,140000,100000,20000.25\r\n"))

            // An IOP running 2016–2018 with contributions in 2016.
            _ = try await f.create(f.draft(.iop, contributions: f.bothContribute))
            let totals = try await f.read { s, db in try s.totals(year: nil, asOf: Self.day("2020-01-01"), reach: .everything, in: db) }
            let rows = totals.map { "\($0.year) \($0.kind.rawValue) \($0.agreements) \($0.money) \($0.inKind) \($0.granted) \($0.paid) \($0.repaid)" }
            #expect(
                rows == [
                    "2016 iop 1 500000 120000.5 0 0 0", "2017 associationGrant 3 0 0 2960000 2920000 20000.25", "2017 iop 1 0 0 0 0 0",
                    "2018 associationGrant 1 0 0 2820000 1410000 0", "2018 iop 1 0 0 0 0 0",
                ]
            )
        }
    }

    @Test("a wound-up party flags the agreements in force for review, once; the follow-up lists them until reviewed")
    func woundUp() async throws {
        try await F.with { f async throws in
            let running = try await Self.active(f, title: "Löpande", to: nil, reviewOn: nil)
            let draft = try await f.create(f.draft(.iop))
            let flagged = try await f.write { _, tx in
                try PartnershipStore.organisationWoundUp(f.umbrella, on: Self.day("2017-01-31"), reason: "Likvidation", in: tx)
            }
            #expect(flagged == 1)
            #expect(
                try await f.write { _, tx in
                    try PartnershipStore.organisationWoundUp(f.umbrella, on: Self.day("2017-01-31"), reason: "Likvidation", in: tx)
                } == 0
            )
            let agreement = try await f.read { s, db in try s.agreement(id: running.id, reach: .everything, in: db) }
            #expect(agreement.flaggedForReview)
            #expect(agreement.flagReason?.contains("Likvidation") == true)
            #expect(try await f.read { s, db in try s.agreement(id: draft.id, reach: .everything, in: db) }.flaggedForReview == false)
            let followUp = try await f.read { s, db in try s.followUp(asOf: Self.day("2017-02-01"), reach: .everything, in: db) }
            #expect(followUp.due.map(\.kind) == [.flagged])
            let cleared = try await f.write { s, tx in try s.clearFlag(ofAgreement: running.id, reach: .everything, actor: F.actor, in: tx) }
            #expect(!cleared.flaggedForReview)
            let audit = try await f.database.query("SELECT action FROM kernel.audit_log WHERE entity_id = \(String(running.id)) ORDER BY id")
            #expect(try audit.map { try $0.decode("action", as: String.self) }.suffix(2) == ["flagForReview", "reviewed"])
        }
    }

    @Test("a scoped reach sees only the agreements one of whose parties it may see")
    func reach() async throws {
        try await F.with { f async throws in
            let agreement = try await f.create(f.draft(.frameworkAgreement))
            let inside = try await f.read { s, db in try s.agreement(id: agreement.id, reach: .provider(f.umbrella), in: db) }
            #expect(inside.id == agreement.id)
            let error = await #expect(throws: FeatureError.self) {
                try await f.read { s, db in try s.agreement(id: agreement.id, reach: .provider(f.cooperative), in: db) }
            }
            #expect(error?.code == .notFound)
            let listed = try await f.read { s, db in
                try s.agreements(matching: AgreementQuery(), page: try PageRequest(), reach: .provider(f.cooperative), in: db)
            }
            #expect(listed.items.isEmpty)
        }
    }

    @Test("the daily job raises today's reminders once, however often it looks")
    func dailyJob() async throws {
        try await F.with { f async throws in
            _ = try await Self.active(f, title: "Granskas", to: nil, reviewOn: LocalDate.today().description)
            let store = f.store
            let job = DailyJob("partnership reminders", database: f.database, logger: TestPostgres.logger) { day, tx in
                try store.raiseReminders(on: day, in: tx)
            }
            await job.runToday()
            await job.runToday()
            #expect(try await f.count("reminder_runs") == 1)
            #expect(try await f.count("reminders") == 1)
        }
    }
}
