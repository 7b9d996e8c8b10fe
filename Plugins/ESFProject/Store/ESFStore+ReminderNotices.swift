import DataAccess
import FeatureSupport
import Foundation
import PageKit
import PluginKit

extension ESFStore {
    /// The texts of the reminders' e-mail lines (`reminder_monthlyReport` in `Resources/strings.json`).
    static let reminderTexts: StringCatalogue = {
        guard let resources = try? PageTemplates.resources(of: .module),
            let catalogue = try? StringCatalogue(contentsOf: resources.appendingPathComponent("strings.json"))
        else { return StringCatalogue() }
        return catalogue
    }()

    /// The notice of a monthly report's reminder. It goes to the coordinator user the project
    /// names; when it names nobody (or a disabled user), to the ESF coordinators (`coordinator`),
    /// who report the participants, and to the caseworkers (`officer`) when there is no
    /// coordinator user. The link is the project's page.
    func notice(of report: MonthlyReport, in tx: Transaction) throws -> ReminderNotice {
        let project = try tx.queryFirst("SELECT case_number, name, coordinator_user_id FROM esf.projects WHERE id = \(report.projectId)")
        let name = try project?.decode("name", as: String.self) ?? String(report.projectId)
        let caseNumber = try project?.decode("case_number", as: String.self) ?? ""
        let coordinator = try project?.decode("coordinator_user_id", as: Int?.self)
        // The text's key is `reminder_<kind>`, as in the other features (not a refusal's wording).
        let kind = "monthlyReport"
        return ReminderNotice(
            kind: kind,
            subjectId: report.projectId,
            due: report.dueOn,
            overdue: report.overdue,
            text: Self.reminderTexts.texts(of: Wording("reminder_\(kind)", ["month": report.month, "name": name, "caseNumber": caseNumber])),
            path: "/esf/projects/\(report.projectId)",
            responsible: .init(roles: ["coordinator"], fallback: ["officer"], userIds: coordinator.map { [$0] } ?? [])
        )
    }
}
