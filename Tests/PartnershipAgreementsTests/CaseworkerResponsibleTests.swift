import DataAccess
import FeatureSupport
import Foundation
import HostTestSupport
import PluginKit
import Registry
import TestSupport
import Testing

@testable import PartnershipAgreements

/// The caseworker who answers for an agreement or a grant: the caseworker recording it, or the
/// one named; anyone else refused at the field; audited; named on the reminders.
@Suite("Partnerships: the caseworker responsible")
struct CaseworkerResponsibleTests {
    @Test("a grant names the caseworker recording it; another caseworker can be named; a coordinator or supervisor is refused at /caseworkerUserId")
    func caseworker() async throws {
        try await PartnershipFixture.with { f async throws in
            let officer = try await HostFixture.user("birgitta", role: "officer", in: f.store.database)
            let colleague = try await HostFixture.user("cecilia", role: "officer", in: f.store.database)
            let coordinator = try await HostFixture.user("samordnaren", role: "coordinator", in: f.store.database)
            let supervisor = try await HostFixture.user("handledaren", role: "supervisor", organisation: f.umbrella, in: f.store.database)
            let asOfficer = Actor(userID: officer, name: "birgitta")
            let grant = try await f.write { [draft = f.draft(.associationGrant)] s, tx in
                try s.createAgreement(draft, reach: .everything, actor: asOfficer, in: tx)
            }
            #expect(grant.caseworkerUserId == officer)
            let byCommand = try await f.create(f.draft(.iop))
            #expect(byCommand.caseworkerUserId == nil)
            for wrong in [coordinator, supervisor] {
                var draft = f.draft(.associationGrant)
                draft.caseworkerUserId = wrong
                let error = await #expect(throws: FeatureError.self) {
                    try await f.write { [draft] s, tx in try s.createAgreement(draft, reach: .everything, actor: asOfficer, in: tx) }
                }
                #expect(error?.field == "/caseworkerUserId")
                #expect(error?.message == "user \(wrong) is not an active officer")
            }
            let moved = try await f.write { s, tx in
                try s.setResponsible(
                    ofAgreement: grant.id,
                    AgreementResponsible(caseworkerUserId: colleague),
                    reach: .everything,
                    actor: asOfficer,
                    in: tx
                )
            }
            #expect(moved.caseworkerUserId == colleague)
            let audit = try await f.store.database.query(
                """
                SELECT before->>'caseworkerUserId' AS before, after->>'caseworkerUserId' AS after FROM kernel.audit_log
                WHERE feature = 'partnerships' AND entity = 'agreement' AND entity_id = \(String(grant.id)) AND action = 'responsible'
                """
            ).single()
            #expect(try audit.decode("before", as: String?.self) == String(officer))
            #expect(try audit.decode("after", as: String?.self) == String(colleague))

            let due = DueDate(
                kind: .report,
                agreementId: grant.id,
                agreementKind: .associationGrant,
                title: grant.title,
                on: PartnershipFixture.start,
                daysLeft: 3,
                overdue: false
            )
            let notice = try await f.write { s, tx in try s.notice(of: due, in: tx) }
            #expect(notice.responsible.userIds == [colleague])
            #expect(notice.responsible.roles == ["officer"])
        }
    }
}
