import DataAccess
import FeatureSupport
import Foundation
import HostTestSupport
import PluginKit
import Registry
import TestSupport
import Testing

@testable import ESFProject

/// The coordinator who answers for a project: the coordinator recording it, or the one named;
/// anyone else refused at the field; audited; named on the monthly reports' reminders.
@Suite("ESF: the coordinator responsible for a project")
struct CoordinatorResponsibleTests {
    @Test("a project names its coordinator: the one recording it by default; a caseworker, a disabled or unknown user refused at /coordinatorUserId")
    func coordinator() async throws {
        try await ESFFixture.with { f async throws in
            let coordinator = try await HostFixture.user("samordnaren", role: "coordinator", in: f.database)
            let other = try await HostFixture.user("andra-samordnaren", role: "coordinator", in: f.database)
            let officer = try await HostFixture.user("handlaggaren", role: "officer", in: f.database)
            let gone = try await HostFixture.user("slutat", role: "coordinator", disabled: true, in: f.database)
            let asCoordinator = Actor(userID: coordinator, name: "samordnaren")
            let mine = try await f.write { s, tx in
                try s.createProject(ESFFixture.draft(owner: f.owner, caseNumber: "2016/00001"), reach: .everything, actor: asCoordinator, in: tx)
            }
            #expect(mine.coordinatorUserId == coordinator)
            for wrong in [officer, gone, 987_654] {
                var draft = ESFFixture.draft(owner: f.owner, caseNumber: "2016/00002")
                draft.coordinatorUserId = wrong
                let error = await #expect(throws: FeatureError.self) {
                    try await f.write { [draft] s, tx in try s.createProject(draft, reach: .everything, actor: asCoordinator, in: tx) }
                }
                #expect(error?.code == .invalidInput)
                #expect(error?.field == "/coordinatorUserId")
                #expect(error?.message == "user \(wrong) is not an active coordinator")
            }
            let moved = try await f.write { s, tx in
                try s.setResponsible(ofProject: mine.id, ProjectResponsible(coordinatorUserId: other), actor: asCoordinator, in: tx)
            }
            #expect(moved.coordinatorUserId == other)
            let audit = try await f.database.query(
                """
                SELECT after->>'coordinatorUserId' AS after FROM kernel.audit_log
                WHERE feature = 'esf' AND entity = 'project' AND entity_id = \(String(mine.id)) AND action = 'responsible'
                """
            ).single()
            #expect(try audit.decode("after", as: String?.self) == String(other))

            let report = MonthlyReport(
                projectId: mine.id,
                month: "2016-01",
                version: 1,
                state: .open,
                dueOn: LocalDate(year: 2016, month: 2, day: 28)!,
                overdue: false,
                started: 0,
                ended: 0
            )
            let notice = try await f.write { s, tx in try s.notice(of: report, in: tx) }
            #expect(notice.responsible.userIds == [other])
            #expect(notice.responsible.roles == ["coordinator"] && notice.responsible.fallback == ["officer"])
            // The fixture's project, recorded from the command line, names nobody: the role gets it.
            let unnamed = try await f.write { s, tx in
                try s.notice(
                    of: MonthlyReport(
                        projectId: f.project,
                        month: "2016-01",
                        version: 1,
                        state: .open,
                        dueOn: report.dueOn,
                        overdue: false,
                        started: 0,
                        ended: 0
                    ),
                    in: tx
                )
            }
            #expect(unnamed.responsible.userIds.isEmpty)
        }
    }
}
