import DataAccess
import Foundation
import PluginKit
import Registry

/// The story's ESF project: "1000 jobs in social enterprises", owned by the umbrella
/// association, 2015-10-01…2018-09-30 with 200 participants and a target of 1000 jobs by
/// 2020-12-31, the participants' entries and exits over 2015–2018, the jobs that followed in
/// the five cooperatives, a year of monthly reports submitted and a first payment claim.
///
/// The participants and jobs come in through the CSV import, as a project's intake lists would,
/// so loading again changes nothing (the same files). Runs after the registry's demo.
enum ESFDemo {
    static let caseNumber = "2015/00254"

    static func load(into store: ESFStore, today: LocalDate = .today()) async throws {
        try await store.database.transaction { tx in
            try load(into: store, in: tx)
            try loadToday(into: store, today: today, in: tx)
        }
    }

    static func load(into store: ESFStore, in tx: Transaction) throws {
        if try tx.queryFirst("SELECT 1 AS loaded FROM esf.projects WHERE case_number = \(caseNumber)") != nil { return }
        let owner = try store.registry.demoOrganisationID(named: "Sociala arbetskooperativens paraplyförening", in: tx)
        let actor = Actor.system
        func day(_ text: String) -> LocalDate { LocalDate(text)! }
        var project = try store.createProject(
            ProjectDraft(
                caseNumber: caseNumber,
                name: "1000 jobb i sociala företag – Grundsteget",
                ownerId: owner,
                from: day("2015-10-01"),
                to: day("2018-09-30"),
                programmeArea: "2 (objective 2.1)",
                euSharePercent: 50,
                jobsTarget: 1000,
                jobsTargetOn: day("2020-12-31"),
                participantsTarget: 200,
                participantsTargetOn: day("2018-09-30"),
                budget: [
                    .init(category: .staff, amount: 21_400_000), .init(category: .travelAndLodging, amount: 600_000),
                    .init(category: .equipmentMaterialAdministrationPremises, amount: 2_100_000),
                    .init(category: .externalServices, amount: 3_000_000), .init(category: .indirectCosts, amount: 3_210_000),
                    .init(category: .financing, amount: 3_090_000),
                ]
            ),
            reach: .everything,
            actor: actor,
            in: tx
        )
        for state in [ProjectState.granted, .running] { project = try store.changeState(ofProject: project.id, to: state, actor: actor, in: tx) }
        let today = LocalDate(year: 2018, month: 12, day: 31)!
        _ = try store.importCSV(Array(participantsCSV.utf8), project: project.id, today: today, actor: actor, in: tx)
        _ = try store.importCSV(Array(jobsCSV.utf8), project: project.id, today: today, actor: actor, in: tx)
        // Each month submitted on its due day, so a day of the story shows the states of that day.
        for month in ProjectCalendar.months(from: day("2015-10-01"), through: day("2016-09-30")) {
            let due = ProjectCalendar.dueOn(month: month, dueDays: store.settings.reportDueDays)
            _ = try store.submitMonth(month, project: project.id, today: due, actor: actor, in: tx)
        }
        _ = try store.bookCost(
            CostDraft(
                category: .staff,
                on: day("2015-12-31"),
                hours: 465.48,
                annualCost: 620_000,
                description: "Project manager, Oct–Dec 2015 (full time)"
            ),
            project: project.id,
            actor: actor,
            in: tx
        )
        _ = try store.bookCost(
            CostDraft(category: .externalServices, on: day("2015-11-15"), amount: 85_000, description: "Coaching for the intake group"),
            project: project.id,
            actor: actor,
            in: tx
        )
        // Co-financing in kind, one entry per source (rule 17), before the claim closes the quarter.
        for (source, amount, description) in coFinancing {
            _ = try store.bookCost(
                CostDraft(category: .financing, on: day("2015-12-31"), amount: amount, source: source, description: description),
                project: project.id,
                actor: actor,
                in: tx
            )
        }
        let claim = try store.createClaim(ClaimDraft(from: day("2015-10-01"), to: day("2015-12-31")), project: project.id, actor: actor, in: tx)
        let submitted = try store.changeState(
            ofClaim: claim.id,
            ClaimStateChange(state: .submitted, on: day("2016-02-10")),
            today: today,
            actor: actor,
            in: tx
        )
        _ = try store.changeState(
            ofClaim: claim.id,
            ClaimStateChange(state: .paid, on: day("2016-05-20"), paidAmount: submitted.totals.euAmount),
            today: today,
            actor: actor,
            in: tx
        )
        for (code, total, women, men) in indicatorTargets {
            _ = try store.setIndicatorTarget(
                IndicatorTargetDraft(total: total, women: women, men: men),
                project: project.id,
                code: code,
                actor: actor,
                in: tx
            )
        }
    }

    /// The first quarter's co-financing in kind: premises from the municipality, the activity
    /// support the Public Employment Service pays the participants, and the cooperatives' time.
    static let coFinancing: [(CoFinancingSource, Decimal, String)] = [
        (.municipality, 42_000, "Premises in the municipality's house, Oct–Dec 2015 (valued)"),
        (.otherPublicBody, 96_000, "Activity support paid to participants by the Public Employment Service, Oct–Dec 2015"),
        (.private, 12_500, "Supervisors' time given by the cooperatives, Oct–Dec 2015"),
    ]

    /// What the application promised the ESF council per indicator: in all, and by gender where
    /// it was split.
    static let indicatorTargets: [(code: String, total: Int, women: Int?, men: Int?)] = [
        ("CO01", 120, 60, 60), ("CO02", 70, 35, 35), ("CO03", 50, 25, 25), ("CO05", 20, nil, nil), ("CO06", 20, nil, nil),
        ("CO07", 30, 15, 15), ("CO09", 100, 50, 50), ("CR04", 50, 25, 25), ("CR06", 60, 30, 30),
    ]

    /// The 200 participants: entries spread over the project's three years, most leaving after
    /// 6–14 months, one in four to a job.
    static let people: [(number: IdentityNumber, name: String, gender: String, from: LocalDate, to: LocalDate?)] = {
        let firstNames = [
            ("Amina", "female"), ("Erik", "male"), ("Sara", "female"), ("Mohammed", "male"), ("Karin", "female"), ("Johan", "male"),
            ("Leila", "female"), ("Ali", "male"), ("Maria", "female"), ("Anders", "male"),
        ]
        let lastNames = ["Andersson", "Hassan", "Lindqvist", "Yusuf", "Berg", "Nilsson", "Öberg", "Karlsson", "Ahmadi", "Ström"]
        let start = LocalDate(year: 2015, month: 10, day: 1)!
        return (0..<200).map { index in
            let (first, gender) = firstNames[index % 10]
            let birth = LocalDate(year: 1958 + (index * 7) % 42, month: 1 + index % 12, day: 1 + (index * 3) % 28)!
            let number = IdentityNumber(birthDate: birth, serial: 200 + index)!
            let from = start.adding(days: (index * 5) % 1000)
            let stay = 180 + (index * 37) % 240
            let end = from.adding(days: stay)
            return (number, "\(first) \(lastNames[(index / 10) % 10])", gender, from, end <= LocalDate(year: 2018, month: 9, day: 30)! ? end : nil)
        }
    }()

    static var participantsCSV: String {
        let statuses = ["longTermUnemployed", "unemployed", "inactiveNotInEducation", "longTermUnemployed", "inactiveInEducation", "employed"]
        let levels = ["primaryOrLowerSecondary", "upperSecondaryOrPostSecondary", "primaryOrLowerSecondary", "tertiary"]
        var lines = [
            "identity_number,name,gender,from,to,entry_status,education_level,homeless,migrant_background,disability,other_disadvantaged,exit_results"
        ]
        for (index, person) in people.enumerated() {
            let results =
                person.to == nil
                ? "" : index % 4 == 0 ? "employed" : index % 4 == 1 ? "jobSearching" : index % 4 == 2 ? "inEducation|qualification" : ""
            lines.append(
                [
                    person.number.formatted, person.name, person.gender, person.from.description, person.to?.description ?? "",
                    statuses[(index / 2) % 6],
                    levels[index % 4], index % 17 == 0 ? "yes" : "no", index % 3 == 0 ? "yes" : "no", index % 7 == 0 ? "yes" : "no",
                    index % 5 == 0 ? "yes" : "no", results,
                ].joined(separator: ",")
            )
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Jobs in the five cooperatives for the participants who left to one, and for one in
    /// three of the others later on.
    static var jobsCSV: String {
        let employers = ["7696154322", "7696187652", "7696210983", "7696243216", "7164567898"]
        let forms = ["ordinary", "wageSubsidy", "newStartJob", "wageSubsidy", "other"]
        var lines = ["identity_number,employer_organisation_number,from,to,employment_form,share_percent"]
        for (index, person) in people.enumerated() {
            guard let end = person.to, index % 4 == 0 || index % 3 == 0 else { continue }
            lines.append(
                [
                    person.number.formatted, employers[index % 5], end.adding(days: 14 + index % 60).description, "", forms[index % 5],
                    index % 2 == 0 ? "100" : "75",
                ]
                .joined(separator: ",")
            )
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
