import DataAccess
import FeatureSupport
import Foundation
import PageKit
import PluginKit

extension PartnershipStore {
    /// The texts of the reminders' e-mail lines (`reminder_<kind>` and `kind_<agreement kind>` in
    /// `Resources/strings.json`).
    static let reminderTexts: StringCatalogue = {
        guard let resources = try? PageTemplates.resources(of: .module),
            let catalogue = try? StringCatalogue(contentsOf: resources.appendingPathComponent("strings.json"))
        else { return StringCatalogue() }
        return catalogue
    }()

    /// The notice of a reminder raised. An agreement's reviews, ends, grant reports and review
    /// flags go to the caseworker the agreement (or grant) names; when it names nobody, or a
    /// disabled user, to every caseworker (`officer`), who handle the municipality's side of
    /// every agreement. The link is the agreement's page.
    func notice(of item: DueDate, in tx: Transaction) throws -> ReminderNotice {
        let caseworker = try tx.queryFirst("SELECT caseworker_user_id FROM partnerships.agreements WHERE id = \(item.agreementId)")
            .flatMap { try $0.decode("caseworker_user_id", as: Int?.self) }
        var text = Self.reminderTexts.texts(of: Wording("reminder_\(item.kind.rawValue)", ["title": item.title]))
        for language in Language.allCases {
            let kind = Self.reminderTexts.text("kind_\(item.agreementKind.rawValue)", language)
            text[language.rawValue] = "\(kind): \(text[language.rawValue] ?? item.title)"
        }
        return ReminderNotice(
            kind: item.kind.rawValue,
            subjectId: item.agreementId,
            due: item.on,
            overdue: item.overdue,
            text: text,
            path: "/partnerships/agreements/\(item.agreementId)",
            responsible: .init(roles: ["officer"], userIds: caseworker.map { [$0] } ?? [])
        )
    }
}
