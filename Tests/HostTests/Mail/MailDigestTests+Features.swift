import DataAccess
import FeatureSupport
import Foundation
import HostTestSupport
import PageKit
import PluginKit
import Testing

@testable import Host

extension MailDigestTests {
    @Test(
        "the features' daily reminder jobs reach the people responsible: the demo story's reminders in the digest of the user each record names (else of its role), with links"
    )
    func featureReminders() async throws {
        let (runtime, _) = try await HostFixture.demoRuntime()
        let names =
            ["officer", "supervisor", "coordinator", "auditor"].map { "user-\($0)" } + ["demo-officer", "demo-supervisor", "demo-coordinator"]
        for name in names {
            let settings = UserSettings(email: "\(name)@kommun.example.se", language: .sv, reminderDigest: true)
            _ = try await runtime.users.changeSettings(ofUser: try await HostFixture.userID(runtime, name), to: settings, actor: .system)
        }
        for feature in runtime.features.enabled {
            for case let job as DailyJob in try feature.plugin.services(context: runtime.context(for: feature.id))
            where job.name.hasSuffix("reminders") {
                await job.runToday()
            }
        }
        while try await runtime.dispatcher.dispatchPending() > 0 {}
        let writer = try DigestWriter(settings: settings(port: 25))
        let written = try await runtime.database.transaction { tx in try writer.write(on: LocalDate.today(), in: tx) }
        let rows = try await runtime.database.query("SELECT recipient, subject, body FROM kernel.mail_outbox ORDER BY recipient")
        var digests: [String: String] = [:]
        for row in rows { digests[try row.decode("recipient")] = try row.decode("body") }
        // The demo story's follow-up: the records of today name the demo caseworker (this year's
        // grants, the pots) and the umbrella's demo supervisor (its assignments), so their
        // reminders go to them alone; an older agreement names nobody, so every caseworker gets
        // it. No ESF report is due, and the auditor is responsible for nothing.
        #expect(written == digests.count)
        #expect(
            Set(digests.keys).isSubset(of: ["demo-officer@kommun.example.se", "demo-supervisor@kommun.example.se", "user-officer@kommun.example.se"])
        )
        let officer = try #require(digests["demo-officer@kommun.example.se"])
        #expect(officer.hasPrefix("Hej Birgitta Nordström (handläggare)!\n\nDet här är dina påminnelser \(LocalDate.today()):\n\n- "))
        #expect(officer.contains("\(Self.base)/partnerships/agreements/") && officer.contains("\(Self.base)/supervision/cooperatives/"))
        let items = officer.split(separator: "\n").filter { $0.hasPrefix("- ") }
        #expect(items.count == 6)
        #expect(items.first?.contains("försenad") == true, "overdue first")
        let colleague = digests["user-officer@kommun.example.se"].map { $0.split(separator: "\n").filter { $0.hasPrefix("- ") } } ?? []
        #expect(colleague.count < items.count && Set(colleague).isSubset(of: Set(items)), "another caseworker gets only what names nobody")
        #expect(!colleague.contains { $0.contains("Returbutiken") }, "this year's grant names the demo caseworker")
        #expect(digests["user-supervisor@kommun.example.se"] == nil, "the umbrella's assignments name the demo supervisor")
        let supervisor = try #require(digests["demo-supervisor@kommun.example.se"])
        #expect(supervisor.contains("- Ingen handledning hos Städkooperativet Skärgården på länge"))
        #expect(supervisor.contains("\(Self.base)/supervision/cooperatives/") && !supervisor.contains("/partnerships/"))

        // The jobs again: nothing new to write today.
        for feature in runtime.features.enabled {
            for case let job as DailyJob in try feature.plugin.services(context: runtime.context(for: feature.id))
            where job.name.hasSuffix("reminders") {
                await job.runToday()
            }
        }
        while try await runtime.dispatcher.dispatchPending() > 0 {}
        #expect(try await runtime.database.transaction { tx in try writer.write(on: LocalDate.today(), in: tx) } == 0)
        await runtime.shutdown()
    }
}
