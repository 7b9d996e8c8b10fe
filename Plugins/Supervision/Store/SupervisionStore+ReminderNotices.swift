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

    /// The notice of a reminder raised, for the person responsible. The records name no user, so:
    /// a review of an assignment, and a cooperative without sessions, go to the supervisors of
    /// the provider whose assignment is (or was last) in force, a caseworker (`officer`) when
    /// that provider has no supervisor user; a pot's review and end go to the caseworkers, who
    /// decide about the municipality's money. The link is the cooperative's page.
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
            responsible = .init(roles: ["officer"])
        default:
            let provider: SQL =
                kind == DueItem.Kind.assignmentReview.rawValue
                ? "SELECT provider_id FROM supervision.assignments WHERE id = \(subject)"
                : "SELECT provider_id FROM supervision.assignments WHERE cooperative_id = \(cooperative) ORDER BY state = 'ended', id DESC LIMIT 1"
            let organisation = try tx.queryFirst(provider).map { try $0.decode("provider_id", as: Int.self) }
            responsible = .init(roles: ["supervisor"], organisationId: organisation, fallback: ["officer"])
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
