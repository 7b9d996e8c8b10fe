import DataAccess
import Foundation
import PluginKit
import Registry

/// The story of DOMAIN.md as far as supervision goes: the unit's five cooperatives under the
/// unit's two supervisors, the handover to the umbrella association on 1 April 2015, Café
/// Gläntan's own supervisor at 50 % for 18 months from a pot with a review date (re-examined in
/// May 2017 and ended as planned, with its decision letter), and a year
/// (2016) of sessions with goals — and, dated from the day it is loaded, the umbrella
/// association's work of recent weeks (``loadToday(into:on:in:)``).
///
/// Runs after the registry's demo and finds its organisations and people by name. Idempotent:
/// the whole story is one transaction; the history is skipped when the handover is already
/// recorded, the recent part when its pots are.
enum SupervisionDemo {
    static let handoverDay = LocalDate(year: 2015, month: 4, day: 1)!

    static func load(into store: SupervisionStore) async throws {
        try await store.database.transaction { tx in
            try load(into: store, in: tx)
            try loadToday(into: store, on: .today(), in: tx)
        }
    }

    static func load(into store: SupervisionStore, in tx: Transaction) throws {
        func organisation(_ name: String) throws -> Int { try store.registry.demoOrganisationID(named: name, in: tx) }
        func person(_ name: String) throws -> Int { try store.registry.demoPersonID(named: name, in: tx) }
        let unit = try organisation("Enheten för sociala arbetskooperativ")
        let umbrella = try organisation("Sociala arbetskooperativens paraplyförening")
        let municipality = try organisation("Kommunen, socialtjänsten")
        if try tx.queryFirst("SELECT 1 FROM supervision.handovers WHERE from_provider_id = \(unit)") != nil { return }

        let names = [
            "Returbutiken Återbruk ek. för.", "Café Gläntan ek. för.", "Örtagårdens trädgårdskooperativ", "Cykelverkstan Hjulet ek. för.",
            "Städkooperativet Skärgården",
        ]
        let cooperatives = try names.map(organisation)
        let (orjan, asa, lena) = (try person("Örjan Åkesson"), try person("Åsa Öberg"), try person("Lena Håkansson"))
        let cafe = cooperatives[1]
        let actor = Actor.system
        func day(_ text: String) -> LocalDate { LocalDate(text)! }

        // The unit's supervisors: Örjan for the three oldest cooperatives, Åsa for the two younger.
        let starts = ["2008-01-01", "2008-01-01", "2008-04-01", "2010-04-01", "2012-06-01"]
        for (index, cooperative) in cooperatives.enumerated() {
            _ = try store.createAssignment(
                AssignmentDraft(
                    cooperativeId: cooperative,
                    providerId: unit,
                    supervisorId: index < 3 ? orjan : asa,
                    sharePercent: 20,
                    from: day(starts[index]),
                    fundingSource: "Kommunens anslag till enheten",
                    reviewOn: day("2015-12-01"),
                    targetHoursPerMonth: 8,
                    state: .active
                ),
                reach: .everything,
                actor: actor,
                in: tx
            )
        }
        // Spring 2015: the committee hands the supervision to the umbrella association.
        _ = try store.handover(HandoverRequest(fromProviderId: unit, toProviderId: umbrella, on: handoverDay), actor: actor, in: tx)

        // Café Gläntan stands on its own: its own supervisor at 50 % for 18 months from a pot.
        let cafeUnderUmbrella = try tx.query(
            "SELECT \(Assignment.columns) FROM supervision.assignments a WHERE a.cooperative_id = \(cafe) AND a.provider_id = \(umbrella) AND a.state = 'active'"
        ).single()
        _ = try store.end(
            try Assignment(row: cafeUnderUmbrella),
            on: day("2016-01-31"),
            reason: "Café Gläntan employs its own supervisor",
            actor: actor,
            in: tx
        )
        let pot = try store.createPot(
            FundingPotDraft(
                cooperativeId: cafe,
                funderId: municipality,
                purpose: "Egen handledare 50 % i 18 månader",
                amount: 540_000,
                sharePercent: 50,
                from: day("2016-02-01"),
                to: day("2017-07-31"),
                reviewOn: day("2017-05-01")
            ),
            today: .today(),
            reach: .everything,
            actor: actor,
            in: tx
        )
        _ = try store.createAssignment(
            AssignmentDraft(
                cooperativeId: cafe,
                providerId: cafe,
                supervisorId: lena,
                sharePercent: 50,
                from: day("2016-02-01"),
                to: day("2017-07-31"),
                fundingSource: "Egen pott (kommunens stöd)",
                potId: pot.id,
                reviewOn: day("2017-05-01"),
                targetHoursPerMonth: 12,
                state: .active
            ),
            reach: .everything,
            actor: actor,
            in: tx
        )
        for month in 2...12 {
            let paid = LocalDate(year: 2016, month: month, day: 25)!
            _ = try store.spend(
                Spending(on: paid, amount: 30_000, note: "Lön handledare \(paid.description.prefix(7))"),
                fromPot: pot.id,
                today: .today(),
                reach: .everything,
                actor: actor,
                in: tx
            )
        }

        // May 2017, the pot's re-examination: Café Gläntan pays its supervisor itself from
        // August, so the pot ends on its last day as planned, with what is left unused; the
        // decision writes its letter to the cooperative.
        _ = try store.decide(
            PotDecisionDraft(
                outcome: .end,
                decidedOn: day("2017-05-10"),
                to: day("2017-07-31"),
                note: "Kooperativet bär kostnaden för sin egen handledare från och med augusti 2017."
            ),
            onPot: pot.id,
            today: day("2017-05-10"),
            reach: .everything,
            actor: actor,
            in: tx
        )

        // Goals, and a year of sessions every other week under the assignments in force.
        let goals = [
            try store.createGoal(
                GoalDraft(cooperativeId: cooperatives[0], title: "Bokföringen i eget system", openedOn: day("2016-01-15")),
                today: .today(),
                reach: .everything,
                actor: actor,
                in: tx
            ),
            try store.createGoal(
                GoalDraft(cooperativeId: cafe, title: "Styrelsen håller egna möten med protokoll", openedOn: day("2016-02-01")),
                today: .today(),
                reach: .everything,
                actor: actor,
                in: tx
            ),
        ]
        let topics: [[SessionTopic]] = [[.business], [.boardWork, .economy], [.individualDevelopment], [.economy], [.business, .other]]
        var session = 0
        for (index, cooperative) in cooperatives.enumerated() {
            let members = try tx.query(
                "SELECT DISTINCT person_id FROM registry.roles WHERE organisation_id = \(cooperative) AND role = 'cooperator' AND from_date <= '2016-01-04'::date ORDER BY person_id"
            ).map { try $0.decode("person_id", as: Int.self) }
            for week in stride(from: 0, to: 52, by: 2) {
                let on = day("2016-01-04").adding(days: week * 7 + index)
                guard
                    let row = try tx.queryFirst(
                        """
                        SELECT id FROM supervision.assignments WHERE cooperative_id = \(cooperative) AND state IN \(AssignmentState.inForceSQL)
                          AND from_date <= \(on) AND (to_date IS NULL OR to_date >= \(on))
                        """
                    )
                else { continue }
                let goal = goals.first { $0.cooperativeId == cooperative && week < 40 }
                _ = try store.createSession(
                    SessionDraft(
                        assignmentId: try row.decode("id"),
                        on: on,
                        minutes: [90, 120, 60, 105][session % 4],
                        attendeeIds: members,
                        topics: topics[session % topics.count],
                        actions: week % 6 == 0
                            ? [AgreedAction(what: "Ta fram underlag till nästa styrelsemöte", ownerId: members.first, due: on.adding(days: 14))]
                            : nil,
                        goalIds: goal.map { [$0.id] },
                        notes: nil
                    ),
                    reach: .everything,
                    actor: actor,
                    in: tx
                )
                session += 1
            }
        }
        _ = try store.changeState(
            ofGoal: goals[1].id,
            GoalStateChange(state: .met, on: day("2016-11-30")),
            today: .today(),
            reach: .everything,
            actor: actor,
            in: tx
        )
    }
}
