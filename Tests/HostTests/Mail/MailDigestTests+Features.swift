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
        "the features' daily reminder jobs reach the people responsible: the demo story's reminders in each one's digest, with links to the records"
    )
    func featureReminders() async throws {
        let (runtime, _) = try await HostFixture.demoRuntime()
        for role in ["officer", "supervisor", "coordinator", "auditor"] {
            let user = try await runtime.database.query("SELECT id FROM kernel.users WHERE name = \("user-\(role)")").single()
            let settings = UserSettings(email: "\(role)@kommun.example.se", language: .sv, reminderDigest: true)
            _ = try await runtime.users.changeSettings(ofUser: try user.decode("id"), to: settings, actor: .system)
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
        // The demo story's follow-up: the agreements' and pots' reminders go to the caseworker, a
        // cooperative of the umbrella's without sessions to its supervisor; no ESF report is due,
        // and the auditor is responsible for nothing.
        #expect(written == 2)
        #expect(digests.keys.sorted() == ["officer@kommun.example.se", "supervisor@kommun.example.se"])
        let officer = try #require(digests["officer@kommun.example.se"])
        #expect(officer.hasPrefix("Hej user-officer!\n\nDet här är dina påminnelser \(LocalDate.today()):\n\n- "))
        #expect(officer.contains("\(Self.base)/partnerships/agreements/") && officer.contains("\(Self.base)/supervision/cooperatives/"))
        let items = officer.split(separator: "\n").filter { $0.hasPrefix("- ") }
        #expect(items.count == 6)
        #expect(items.first?.contains("försenad") == true, "overdue first")
        let supervisor = try #require(digests["supervisor@kommun.example.se"])
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
