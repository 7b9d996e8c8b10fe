import DataAccess
import FeatureSupport
import Foundation
import PluginKit
import Registry

/// The story continued to the day the demo is loaded: the 2015–2018 project reported every month
/// through its end (each month on its due day), and a current project, "Vägen vidare", started
/// fourteen months ago with its participants entering and leaving up to now and its monthly
/// reports submitted on their due days except the latest, so the coordinator's start page shows
/// the report due this month (and at most one just overdue). Every date is relative to `today`;
/// the first year of the 2015–2018 project stays exactly as ``ESFDemo`` loads it. The demo
/// coordinator (`demo-coordinator`), when the host made the demo users first, answers for the
/// current project.
extension ESFDemo {
    static let todayCaseNumber = "2025/00731"

    static func loadToday(into store: ESFStore, today: LocalDate, in tx: Transaction) throws {
        if try tx.queryFirst("SELECT 1 AS loaded FROM esf.projects WHERE case_number = \(todayCaseNumber)") != nil { return }
        let actor = Actor.system
        if let story = try tx.queryFirst("SELECT id FROM esf.projects WHERE case_number = \(caseNumber)") {
            let id: Int = try story.decode("id")
            try submitOnDueDays(store: store, project: id, through: LocalDate(year: 2018, month: 9, day: 30)!, today: today, actor: actor, in: tx)
        }
        let owner = try store.registry.demoOrganisationID(named: "Sociala arbetskooperativens paraplyförening", in: tx)
        let start = ProjectCalendar.monthStart(today).adding(months: -14)
        var project = try store.createProject(
            ProjectDraft(
                caseNumber: todayCaseNumber,
                name: "Vägen vidare – arbetsträning i sociala företag",
                ownerId: owner,
                from: start,
                to: start.adding(months: 36).adding(days: -1),
                programmeArea: "ESF+ 2021–2027, specific objective (h)",
                euSharePercent: 50,
                jobsTarget: 60,
                jobsTargetOn: start.adding(months: 36).adding(days: -1),
                participantsTarget: 80,
                participantsTargetOn: start.adding(months: 36).adding(days: -1),
                budget: [.init(category: .staff, amount: 6_200_000), .init(category: .externalServices, amount: 900_000)],
                coordinatorUserId: try store.staff.activeUser(named: "demo-coordinator", role: .coordinator, in: tx)
            ),
            reach: .everything,
            actor: actor,
            in: tx
        )
        for state in [ProjectState.granted, .running] { project = try store.changeState(ofProject: project.id, to: state, actor: actor, in: tx) }
        _ = try store.importCSV(Array(todayParticipantsCSV(start: start, today: today).utf8), project: project.id, today: today, actor: actor, in: tx)
        try submitOnDueDays(store: store, project: project.id, through: today, today: today, actor: actor, in: tx)
    }

    /// Submits a project's open months on their due days, the latest ended month excepted, and
    /// any month whose due day is less than a week ago (it is what the coordinator works on).
    static func submitOnDueDays(store: ESFStore, project: Int, through last: LocalDate, today: LocalDate, actor: Actor, in tx: Transaction) throws {
        let reports = try store.monthlyReports(ofProject: project, today: today, counting: false, in: tx)
        for report in reports.dropLast(last >= today ? 1 : 0) where report.state == .open && report.dueOn <= today.adding(days: -7) {
            guard let month = ProjectCalendar.month(report.month), month <= last else { continue }
            _ = try store.submitMonth(month, project: project, today: report.dueOn, actor: actor, in: tx)
        }
    }

    /// Thirty participants entering about every two weeks since the project's start, staying
    /// four to ten months; those whose stay has ended by `today` have left.
    static func todayParticipantsCSV(start: LocalDate, today: LocalDate) -> String {
        let names = [
            ("Linnea", "female"), ("Hassan", "male"), ("Elin", "female"), ("Viktor", "male"), ("Fatima", "female"), ("Oskar", "male"),
        ]
        let lastNames = ["Åkesson", "Warsame", "Holm", "Ekström", "Rahimi"]
        let statuses = ["longTermUnemployed", "unemployed", "inactiveNotInEducation", "longTermUnemployed", "employed"]
        var lines = [
            "identity_number,name,gender,from,to,entry_status,education_level,homeless,migrant_background,disability,other_disadvantaged,exit_results"
        ]
        for index in 0..<30 {
            let from = start.adding(days: 3 + index * 14)
            guard from < today else { break }
            let end = from.adding(days: 120 + (index * 23) % 180)
            let (first, gender) = names[index % names.count]
            let birth = LocalDate(year: 1962 + (index * 5) % 40, month: 1 + (index * 7) % 12, day: 2 + index % 26)!
            let number = IdentityNumber(birthDate: birth, serial: 700 + index)!
            let left = end < today
            lines.append(
                [
                    number.formatted, "\(first) \(lastNames[index % lastNames.count])", gender, from.description, left ? end.description : "",
                    statuses[index % statuses.count], "upperSecondaryOrPostSecondary", "no", "no", "no", "no",
                    left ? (index % 3 == 0 ? "employed" : "jobSearching") : "",
                ].joined(separator: ",")
            )
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
