import DataAccess
import FeatureSupport
import Foundation
import PageKit
import PluginKit

extension SupervisionStore {
    /// The texts of the reminders' e-mail lines (`reminder_<kind>` in `Resources/strings.json`).
    static let reminderTexts: StringCatalogue = {
        guard let resources = try? PageTemplates.resources(of: .module),
            let catalogue = try? StringCatalogue(contentsOf: resources.appendingPathComponent("strings.json"))
        else { return StringCatalogue() }
        return catalogue
    }()

    /// The notice of a reminder raised, for the person responsible: a review of an assignment,
    /// and a cooperative without sessions, go to the supervisor user the assignment (or, for the
    /// cooperative, the one in force or last in force) names; when it names nobody, or only a
    /// disabled user, to the supervisors of its provider, and to a caseworker (`officer`) when
    /// that provider has no supervisor user. A pot's review and end go to the caseworker the pot
    /// names, else to every caseworker, who decide about the municipality's money. The link is
    /// the cooperative's page.
    func notice(
        kind: String,
        subject: Int,
        cooperative: Int,
        cooperativeName: String,
        due: LocalDate,
        overdue: Bool,
        in tx: Transaction
    ) throws -> ReminderNotice {
        let responsible: ReminderNotice.Responsible
        switch kind {
        case DueItem.Kind.potReview.rawValue, DueItem.Kind.potEnd.rawValue:
            let caseworker = try tx.queryFirst("SELECT caseworker_user_id FROM supervision.funding_pots WHERE id = \(subject)")
                .flatMap { try $0.decode("caseworker_user_id", as: Int?.self) }
            responsible = .init(roles: ["officer"], userIds: caseworker.map { [$0] } ?? [])
        default:
            let assignment: SQL =
                kind == DueItem.Kind.assignmentReview.rawValue
                ? "SELECT provider_id, supervisor_user_id FROM supervision.assignments WHERE id = \(subject)"
                : """
                SELECT provider_id, supervisor_user_id FROM supervision.assignments WHERE cooperative_id = \(cooperative)
                ORDER BY state = 'ended', id DESC LIMIT 1
                """
            let row = try tx.queryFirst(assignment)
            let organisation = try row.map { try $0.decode("provider_id", as: Int.self) }
            let supervisor = try row.flatMap { try $0.decode("supervisor_user_id", as: Int?.self) }
            responsible = .init(roles: ["supervisor"], organisationId: organisation, fallback: ["officer"], userIds: supervisor.map { [$0] } ?? [])
        }
        return ReminderNotice(
            kind: kind,
            subjectId: subject,
            due: due,
            overdue: overdue,
            text: Self.reminderTexts.texts(of: Wording("reminder_\(kind)", ["name": cooperativeName, "id": String(subject)])),
            path: "/supervision/cooperatives/\(cooperative)",
            responsible: responsible
        )
    }
}
