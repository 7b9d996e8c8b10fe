import DataAccess
import FeatureSupport
import Foundation
import HostTestSupport
import PluginKit
import TestSupport
import Testing

@testable import Host

extension MailDigestTests {
    /// Publishes a reminder naming `users` as responsible (roles: the caseworkers).
    func raise(subject: Int, naming users: [Int], _ runtime: HostRuntime) async throws {
        let events = runtime.context(for: "notes").events
        let notice = ReminderNotice(
            kind: "review",
            subjectId: subject,
            due: LocalDate(year: 2026, month: 12, day: 20)!,
            overdue: false,
            text: ["sv": "Omprövning av avtal \(subject)", "en": "Review of agreement \(subject)"],
            path: "/notes/\(subject)",
            responsible: .init(roles: ["officer"], userIds: users)
        )
        _ = try await runtime.database.transaction { tx in try events.publish(ReminderRaised<NotesPlugin>(notice), in: tx) }
        _ = try await runtime.dispatcher.dispatchPending()
    }

    /// Who has the reminder about `subject` queued.
    func queued(_ subject: Int, _ runtime: HostRuntime) async throws -> [Int] {
        try await runtime.database.query(
            "SELECT user_id FROM kernel.mail_reminders WHERE (notice->>'subjectId')::bigint = \(subject) ORDER BY user_id"
        ).map { try $0.decode("user_id") }
    }

    @Test("a reminder on a record naming a caseworker goes to them alone, not to another caseworker")
    func namedUserOnly() async throws {
        let (runtime, ids) = try await host()
        let (anna, cecilia) = (try #require(ids["anna"]), try #require(ids["cecilia"]))
        try await raise(subject: 31, naming: [anna], runtime)
        try await raise(subject: 32, naming: [cecilia], runtime)
        try await raise(subject: 33, naming: [], runtime)
        #expect(try await queued(31, runtime) == [anna])
        #expect(try await queued(32, runtime) == [cecilia])
        #expect(try await queued(33, runtime) == [anna, cecilia], "naming nobody: every caseworker with the digest on")
        await runtime.shutdown()
    }

    @Test("a reminder naming a disabled user goes to the role instead")
    func disabledFallsBack() async throws {
        let (runtime, ids) = try await host()
        let (anna, cecilia) = (try #require(ids["anna"]), try #require(ids["cecilia"]))
        _ = try await runtime.users.disable(name: "anna", actor: .system)
        try await raise(subject: 41, naming: [anna], runtime)
        #expect(try await queued(41, runtime) == [cecilia], "the active caseworkers with the digest on")
        await runtime.shutdown()
    }

    @Test("a notice queued before records named users (no userIds) still decodes, naming nobody")
    func oldNoticeDecodes() throws {
        let old = Data(
            #"""
            {"kind": "review", "subjectId": 7, "due": "2026-12-20", "overdue": false, "text": {"sv": "Omprövning", "en": "Review"},
             "path": "/notes/7", "responsible": {"roles": ["supervisor"], "organisationId": 3, "fallback": ["officer"]}}
            """#.utf8
        )
        let notice = try JSONDecoder().decode(ReminderNotice.self, from: old)
        #expect(notice.responsible.userIds.isEmpty)
        #expect(notice.responsible.roles == ["supervisor"] && notice.responsible.organisationId == 3 && notice.responsible.fallback == ["officer"])
        var named = notice
        named.responsible.userIds = [5]
        #expect(try JSONDecoder().decode(ReminderNotice.self, from: try JSONEncoder().encode(named)) == named, "the new key round-trips")
    }
}
