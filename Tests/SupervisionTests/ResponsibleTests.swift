import DataAccess
import FeatureSupport
import Foundation
import HostTestSupport
import PluginKit
import Registry
import TestSupport
import Testing

@testable import Supervision

/// Who answers for an assignment (a supervisor user of its provider) and for a pot (a
/// caseworker): checked against the host's users, defaulted to the officer who sets up a pot,
/// audited, and named on the reminders.
@Suite("Supervision: the users responsible")
struct ResponsibleTests {
    typealias F = SupervisionFixture

    @Test(
        "an assignment names a supervisor user of its provider; another provider's supervisor, a caseworker, a disabled or unknown user is refused at /supervisorUserId"
    )
    func assignmentSupervisor() async throws {
        try await F.with { f async throws in
            let own = try await HostFixture.user("handledare-enheten", role: "supervisor", organisation: f.unit, in: f.database)
            let other = try await HostFixture.user("handledare-paraply", role: "supervisor", organisation: f.umbrella, in: f.database)
            let officer = try await HostFixture.user("handlaggare", role: "officer", in: f.database)
            let gone = try await HostFixture.user("slutat", role: "supervisor", organisation: f.unit, disabled: true, in: f.database)
            for wrong in [other, officer, gone, 987_654] {
                var draft = f.draft(0)
                draft.supervisorUserId = wrong
                let error = await #expect(throws: FeatureError.self) {
                    try await f.write { [draft] s, tx in try s.createAssignment(draft, reach: .everything, actor: F.actor, in: tx) }
                }
                #expect(error?.code == .invalidInput)
                #expect(error?.field == "/supervisorUserId")
                #expect(error?.message == "user \(wrong) is not an active supervisor of organisation \(f.unit)")
            }
            #expect(try await f.count("assignments") == 0, "nothing stored")

            var draft = f.draft(0)
            draft.supervisorUserId = own
            let created = try await f.write { [draft] s, tx in try s.createAssignment(draft, reach: .everything, actor: F.actor, in: tx) }
            #expect(created.supervisorUserId == own)
            let refused = await #expect(throws: FeatureError.self) {
                try await f.write { s, tx in
                    try s.setResponsible(
                        ofAssignment: created.id,
                        AssignmentResponsible(supervisorUserId: other),
                        reach: .everything,
                        actor: F.actor,
                        in: tx
                    )
                }
            }
            #expect(refused?.field == "/supervisorUserId")
            let cleared = try await f.write { s, tx in
                try s.setResponsible(
                    ofAssignment: created.id,
                    AssignmentResponsible(supervisorUserId: nil),
                    reach: .everything,
                    actor: F.actor,
                    in: tx
                )
            }
            #expect(cleared.supervisorUserId == nil)
            let audit = try await f.database.query(
                """
                SELECT before->>'supervisorUserId' AS before, after->>'supervisorUserId' AS after FROM kernel.audit_log
                WHERE feature = 'supervision' AND entity = 'assignment' AND entity_id = \(String(created.id)) AND action = 'responsible'
                """
            )
            #expect(audit.count == 1, "the change is audited once; the refused one left no row")
            #expect(try audit.first?.decode("before", as: String?.self) == String(own))
            #expect(try audit.first?.decode("after", as: String?.self) == nil)

            // The review's reminder names the supervisor user again named.
            _ = try await f.write { s, tx in
                try s.setResponsible(
                    ofAssignment: created.id,
                    AssignmentResponsible(supervisorUserId: own),
                    reach: .everything,
                    actor: F.actor,
                    in: tx
                )
            }
            let notice = try await f.write { s, tx in
                try s.notice(
                    kind: "assignmentReview",
                    subject: created.id,
                    cooperative: created.cooperativeId,
                    cooperativeName: "Returbutiken",
                    due: F.start,
                    overdue: false,
                    in: tx
                )
            }
            #expect(notice.responsible.userIds == [own])
            #expect(notice.responsible.roles == ["supervisor"] && notice.responsible.organisationId == f.unit)
        }
    }

    @Test("a pot names the caseworker who sets it up, or the one given; a supervisor is refused at /caseworkerUserId; its reminders name them")
    func potCaseworker() async throws {
        try await F.with { f async throws in
            let officer = try await HostFixture.user("birgitta", role: "officer", in: f.database)
            let colleague = try await HostFixture.user("cecilia", role: "officer", in: f.database)
            let supervisor = try await HostFixture.user("handledare", role: "supervisor", organisation: f.unit, in: f.database)
            let draft = FundingPotDraft(
                cooperativeId: f.cooperatives[1],
                purpose: "Egen handledare",
                amount: 100_000,
                sharePercent: 50,
                from: F.start,
                to: LocalDate(year: 2017, month: 6, day: 30)!
            )
            let asOfficer = Actor(userID: officer, name: "birgitta")
            let mine = try await f.write { s, tx in try s.createPot(draft, today: F.start, reach: .everything, actor: asOfficer, in: tx) }
            #expect(mine.caseworkerUserId == officer, "the officer setting it up answers for it")
            let byCommand = try await f.write { s, tx in try s.createPot(draft, today: F.start, reach: .everything, actor: F.actor, in: tx) }
            #expect(byCommand.caseworkerUserId == nil, "the command line names nobody")
            var named = draft
            named.caseworkerUserId = colleague
            let theirs = try await f.write { [named] s, tx in try s.createPot(named, today: F.start, reach: .everything, actor: asOfficer, in: tx) }
            #expect(theirs.caseworkerUserId == colleague)
            named.caseworkerUserId = supervisor
            let error = await #expect(throws: FeatureError.self) {
                try await f.write { [named] s, tx in try s.createPot(named, today: F.start, reach: .everything, actor: asOfficer, in: tx) }
            }
            #expect(error?.field == "/caseworkerUserId")
            #expect(error?.message == "user \(supervisor) is not an active officer")

            let moved = try await f.write { s, tx in
                try s.setResponsible(
                    ofPot: byCommand.id,
                    PotResponsible(caseworkerUserId: colleague),
                    today: F.start,
                    reach: .everything,
                    actor: F.actor,
                    in: tx
                )
            }
            #expect(moved.caseworkerUserId == colleague)
            let notice = try await f.write { s, tx in
                try s.notice(
                    kind: "potEnd",
                    subject: byCommand.id,
                    cooperative: f.cooperatives[1],
                    cooperativeName: "Café Gläntan",
                    due: draft.to,
                    overdue: false,
                    in: tx
                )
            }
            #expect(notice.responsible.userIds == [colleague])
            #expect(notice.responsible.roles == ["officer"])
        }
    }
}
