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

    /// The notice of a reminder raised. An agreement names no caseworker, so its reviews, ends,
    /// grant reports and review flags go to the caseworkers (`officer`), who handle the
    /// municipality's side of every agreement. The link is the agreement's page.
    static func notice(of item: DueDate) -> ReminderNotice {
        var text = reminderTexts.texts(of: Wording("reminder_\(item.kind.rawValue)", ["title": item.title]))
        for language in Language.allCases {
            let kind = reminderTexts.text("kind_\(item.agreementKind.rawValue)", language)
            text[language.rawValue] = "\(kind): \(text[language.rawValue] ?? item.title)"
        }
        return ReminderNotice(
            kind: item.kind.rawValue,
            subjectId: item.agreementId,
            due: item.on,
            overdue: item.overdue,
            text: text,
            path: "/partnerships/agreements/\(item.agreementId)",
            responsible: .init(roles: ["officer"])
        )
    }
}
