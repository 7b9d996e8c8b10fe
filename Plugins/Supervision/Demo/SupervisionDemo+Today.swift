import DataAccess
import FeatureSupport
import Foundation
import PluginKit
import Registry

extension SupervisionDemo {
    /// The purpose of the pot the recent part sets up, by which a second load finds it.
    static let recentPotPurpose = "Handledning av nya medlemmar"

    /// The umbrella association's supervision up to `today`, the day the demo is loaded, so a
    /// supervisor's and a caseworker's start pages show a working day: the umbrella's four
    /// assignments were taken up for review a month ago; sessions every other week of the last
    /// ten weeks (Städkooperativet's last one five weeks ago, so it shows as without supervision);
    /// goals in progress and one met; a pot for new members' supervision with a review in three
    /// weeks and a shorter one for board training ending in six. Nothing before 2021 changes.
    /// The demo users, when the host made them first, answer for it: the umbrella's supervisor
    /// (`demo-supervisor`) for its assignments, the caseworker (`demo-officer`) for the pots.
    static func loadToday(into store: SupervisionStore, on today: LocalDate, in tx: Transaction) throws {
        if try tx.queryFirst("SELECT 1 AS found FROM supervision.funding_pots WHERE purpose = \(recentPotPurpose)") != nil { return }
        let umbrella = try store.registry.demoOrganisationID(named: "Sociala arbetskooperativens paraplyförening", in: tx)
        let municipality = try store.registry.demoOrganisationID(named: "Kommunen, socialtjänsten", in: tx)
        let actor = Actor.system
        func day(_ offset: Int) -> LocalDate { today.adding(days: offset) }
        let assignments = try tx.query(
            """
            SELECT \(Assignment.columns), o.name AS cooperative_name FROM supervision.assignments a
            JOIN registry.organisations o ON o.id = a.cooperative_id
            WHERE a.provider_id = \(umbrella) AND a.state IN \(AssignmentState.inForceSQL) ORDER BY a.id
            """
        ).map { row in (try Assignment(row: row), try row.decode("cooperative_name", as: String.self)) }
        guard !assignments.isEmpty else { return }
        let supervisor = try store.staff.activeUser(named: "demo-supervisor", role: .supervisor, organisation: umbrella, in: tx)
        let caseworker = try store.staff.activeUser(named: "demo-officer", role: .officer, in: tx)
        for (assignment, _) in assignments where supervisor != nil && assignment.supervisorUserId != supervisor {
            _ = try store.setResponsible(
                ofAssignment: assignment.id,
                AssignmentResponsible(supervisorUserId: supervisor),
                reach: .everything,
                actor: actor,
                in: tx
            )
        }
        for (assignment, _) in assignments where assignment.state != .underReview {
            _ = try store.changeState(
                ofAssignment: assignment.id,
                AssignmentStateChange(state: .underReview, on: day(-30), reason: "Ny överenskommelse med paraplyföreningen"),
                today: today,
                reach: .everything,
                actor: actor,
                in: tx
            )
        }
        // Goals opened two months ago: the sessions working on them move them into progress.
        var goals: [Int: Int] = [:]
        for (index, (assignment, _)) in assignments.enumerated() where index < 3 {
            let titles = ["Ta fram en affärsplan för nästa år", "Introduktion för nya medlemmar", "Styrelsen håller egna möten med protokoll"]
            goals[assignment.cooperativeId] = try store.createGoal(
                GoalDraft(cooperativeId: assignment.cooperativeId, title: titles[index], openedOn: day(-60)),
                today: today,
                reach: .everything,
                actor: actor,
                in: tx
            ).id
        }
        let topics: [[SessionTopic]] = [[.business], [.boardWork, .economy], [.individualDevelopment], [.economy]]
        for (index, (assignment, name)) in assignments.enumerated() {
            let members = try tx.query(
                """
                SELECT DISTINCT person_id FROM registry.roles WHERE organisation_id = \(assignment.cooperativeId) AND role = 'cooperator'
                  AND from_date <= \(day(-70)) AND (to_date IS NULL OR to_date >= \(today)) ORDER BY person_id
                """
            ).map { try $0.decode("person_id", as: Int.self) }
            // Every other week for ten weeks; Städkooperativet's supervisor has been away since five weeks ago.
            let last = name.hasPrefix("Städkooperativet") ? -36 : -2 - index
            for offset in stride(from: -68 + index, through: last, by: 14) {
                _ = try store.createSession(
                    SessionDraft(
                        assignmentId: assignment.id,
                        on: day(offset),
                        minutes: [90, 120, 60, 105][(offset + 68) / 14 % 4],
                        attendeeIds: members,
                        topics: topics[index % topics.count],
                        actions: offset > -20
                            ? [AgreedAction(what: "Ta fram underlag till nästa styrelsemöte", ownerId: members.first, due: day(offset + 14))] : nil,
                        goalIds: goals[assignment.cooperativeId].map { [$0] },
                        notes: nil
                    ),
                    reach: .everything,
                    actor: actor,
                    in: tx
                )
            }
        }
        if let met = goals[assignments[min(2, assignments.count - 1)].0.cooperativeId] {
            _ = try store.changeState(ofGoal: met, GoalStateChange(state: .met, on: day(-10)), today: today, reach: .everything, actor: actor, in: tx)
        }
        // Money for the umbrella's extra supervision of new members, reviewed in three weeks; a
        // shorter pot for board training that ends in six.
        let pots: [(Int, String, Decimal, Int, Int, Int?, String)] = [
            (assignments[0].0.cooperativeId, recentPotPurpose, 120_000, -150, 210, 21, "SN \(today.year)/118"),
            (assignments[min(1, assignments.count - 1)].0.cooperativeId, "Utbildning i styrelsearbete", 30_000, -120, 42, nil, "SN \(today.year)/97"),
        ]
        for (cooperative, purpose, amount, from, to, review, caseNumber) in pots {
            let pot = try store.createPot(
                FundingPotDraft(
                    cooperativeId: cooperative,
                    funderId: municipality,
                    purpose: purpose,
                    amount: amount,
                    sharePercent: 100,
                    from: day(from),
                    to: day(to),
                    reviewOn: review.map(day),
                    caseNumber: caseNumber,
                    caseworkerUserId: caseworker
                ),
                today: today,
                reach: .everything,
                actor: actor,
                in: tx
            )
            for month in stride(from: from + 25, to: 0, by: 30) {
                _ = try store.spend(
                    Spending(on: day(month), amount: amount / 12, note: "Handledartimmar"),
                    fromPot: pot.id,
                    today: today,
                    reach: .everything,
                    actor: actor,
                    in: tx
                )
            }
        }
    }
}
