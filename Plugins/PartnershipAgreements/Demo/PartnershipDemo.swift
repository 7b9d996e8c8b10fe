import DataAccess
import FeatureSupport
import Foundation
import PluginKit
import Registry

/// The story of DOMAIN.md as far as partnerships go: the 2012 framework agreement between the
/// municipality and the social economy and its action plan (with the review of which activities
/// associations could run instead of the city, whose outcome was the unit's spin-off), the
/// committee's money moved to association grants in 2015, the supervision contract under which
/// the umbrella association took over the unit's five cooperatives on 1 April 2015, the umbrella
/// association's yearly grant of 2.82 MSEK in 2017 and 2018, and one IOP.
///
/// The story reaches the day it is loaded (``loadToday(into:today:in:)``): this year's grants
/// with their decisions, payments and report dates (one report due within weeks, last year's
/// grant to the bicycle workshop overdue), and an IOP under review, its review in two weeks;
/// each dated relative to that day, so the start page shows a working day.
///
/// Runs after the registry's demo and finds its organisations by name. Idempotent: the whole
/// story is one transaction, skipped when the framework agreement is already recorded; today's
/// part is skipped when this year's grant to the umbrella association is recorded.
enum PartnershipDemo {
    static let frameworkTitle = "Överenskommelse mellan kommunen och den sociala ekonomin"

    static func load(into store: PartnershipStore) async throws {
        try await store.database.transaction { tx in
            try load(into: store, in: tx)
            try continueStory(into: store, today: .today(), in: tx)
            try loadToday(into: store, today: .today(), in: tx)
        }
    }

    /// After 2020: the agreements of the story end or are followed up, so nothing stays overdue
    /// for years. The framework agreement and the 2019 IOP are evaluated and expire at their
    /// ends; the 2015 supervision contract is evaluated and replaced by a new one from 2021-04-01
    /// (its review in six weeks); the 2018 grant's report comes in late, in 2021, and is approved.
    /// Every event is dated after 2020, so the story up to 2020 reads as before. Skipped once the
    /// framework agreement is no longer in its 2016 renewal.
    static func continueStory(into store: PartnershipStore, today: LocalDate, in tx: Transaction) throws {
        func id(_ title: String) throws -> Int {
            try tx.query("SELECT id FROM partnerships.agreements WHERE title = \(title) ORDER BY id LIMIT 1").single().decode("id")
        }
        guard try tx.queryFirst("SELECT 1 FROM partnerships.agreements WHERE title = \(frameworkTitle) AND state = 'renewed'") != nil else { return }
        let actor = Actor.system
        func day(_ text: String) -> LocalDate { LocalDate(text)! }
        func move(_ id: Int, _ steps: [(AgreementState, String, String?)]) throws { try Self.move(id, steps, store: store, in: tx) }
        try move(
            try id(frameworkTitle),
            [(.evaluated, "2021-01-20", "Utvärdering efter avtalsperioden"), (.expired, "2021-01-31", "Samverkan fortsätter i IOP och bidrag")]
        )
        try move(
            try id("IOP Arbetsträning i sociala arbetskooperativ"),
            [(.evaluated, "2021-10-01", "Utvärdering tillsammans med paraplyföreningen"), (.expired, "2022-01-01", nil)]
        )
        let grant2018 = try id("Verksamhetsbidrag 2018: paraplyföreningen")
        _ = try store.submitReport(
            GrantReport(submittedOn: day("2021-02-15"), summary: "Redovisning 2018, inlämnad sent", usedAmount: 2_820_000),
            forGrant: grant2018,
            reach: .everything,
            actor: actor,
            in: tx
        )
        try move(grant2018, [(.approved, "2021-03-01", "Godkänd efter påminnelse")])
        try move(
            try id("Handledningsavtal: de fem sociala arbetskooperativen"),
            [(.evaluated, "2021-03-01", "Utvärdering: handledningen fortsätter i ett nytt avtal"), (.expired, "2021-03-31", nil)]
        )
        func organisation(_ name: String) throws -> Int { try store.registry.demoOrganisationID(named: name, in: tx) }
        let contract = try store.createAgreement(
            AgreementDraft(
                kind: .supervisionContract,
                caseNumber: "SN 2021/64",
                title: "Handledningsavtal 2021–: paraplyföreningen",
                purpose: "Paraplyföreningen handleder de sociala arbetskooperativen och stöder nya",
                partyIds: [try organisation("Kommunen, socialtjänsten"), try organisation("Sociala arbetskooperativens paraplyförening")],
                from: day("2021-04-01"),
                reviewOn: today.adding(days: 45),
                terminationTerms: "Tre månaders ömsesidig uppsägningstid"
            ),
            reach: .everything,
            actor: actor,
            in: tx
        ).id
        try move(contract, [(.legalCheck, "2021-02-15", nil), (.signed, "2021-03-20", "Beslut i socialnämnden"), (.active, "2021-04-01", nil)])
    }

    /// The part of the story that reaches `today`: this year's grants and last year's, and an IOP
    /// under review, all dated relative to `today`. The demo caseworker (`demo-officer`), when the
    /// host made the demo users first, answers for them.
    static func loadToday(into store: PartnershipStore, today: LocalDate, in tx: Transaction) throws {
        let year = today.year
        let umbrellaTitle = "Verksamhetsbidrag \(year): paraplyföreningen"
        if try tx.queryFirst("SELECT 1 FROM partnerships.agreements WHERE title = \(umbrellaTitle)") != nil { return }
        func organisation(_ name: String) throws -> Int { try store.registry.demoOrganisationID(named: name, in: tx) }
        let municipality = try organisation("Kommunen, socialtjänsten")
        let umbrella = try organisation("Sociala arbetskooperativens paraplyförening")
        let returbutiken = try organisation("Returbutiken Återbruk ek. för.")
        let cykel = try organisation("Cykelverkstan Hjulet ek. för.")
        let actor = Actor.system
        let caseworker = try store.staff.activeUser(named: "demo-officer", role: .officer, in: tx)
        let yearStart = LocalDate(year: year, month: 1, day: 1)!
        func change(_ id: Int, _ change: AgreementStateChange) throws {
            _ = try store.changeState(ofAgreement: id, change, today: change.on!, reach: .everything, actor: actor, in: tx)
        }
        /// A grant applied for, decided on `decided` and paid on `paid`, with an own report day when given.
        func grant(
            _ title: String,
            to recipient: Int,
            year grantYear: Int,
            amount: Decimal,
            decided: LocalDate,
            paid: LocalDate,
            reportDueOn: LocalDate? = nil,
            caseNumber: String
        ) throws -> Int {
            let id = try store.createAgreement(
                AgreementDraft(
                    kind: .associationGrant,
                    caseNumber: caseNumber,
                    title: title,
                    purpose: "Föreningsbidrag från socialnämnden till verksamhet för personer långt från arbetsmarknaden",
                    partyIds: [municipality, recipient],
                    from: LocalDate(year: grantYear, month: 1, day: 1)!,
                    to: LocalDate(year: grantYear, month: 12, day: 31)!,
                    grantYear: grantYear,
                    appliedAmount: amount,
                    caseworkerUserId: caseworker
                ),
                reach: .everything,
                actor: actor,
                in: tx
            ).id
            try change(id, AgreementStateChange(state: .inReview, on: decided.adding(days: -30)))
            try change(
                id,
                AgreementStateChange(
                    state: .granted,
                    on: decided,
                    grantedAmount: amount,
                    conditions: "Redovisning av verksamhet och ekonomi",
                    reportDueOn: reportDueOn
                )
            )
            _ = try store.addPayment(PaymentDraft(amount: amount, paidOn: paid), toGrant: id, reach: .everything, actor: actor, in: tx)
            try change(id, AgreementStateChange(state: .paid, on: paid))
            return id
        }
        // This year's grants: the umbrella association's, decided in December, paid in January,
        // reported by 31 March next year; Returbutiken's, decided two months ago with a report
        // of the first half-year due in three weeks.
        let decided = yearStart.adding(days: -17)
        _ = try grant(umbrellaTitle, to: umbrella, year: year, amount: 2_900_000, decided: decided, paid: yearStart, caseNumber: "SN \(year - 1)/412")
        let recent = today.adding(days: -60)
        _ = try grant(
            "Verksamhetsbidrag \(year): Returbutiken Återbruk",
            to: returbutiken,
            year: year,
            amount: 160_000,
            decided: recent,
            paid: today.adding(days: -45),
            reportDueOn: today.adding(days: 21),
            caseNumber: "SN \(year)/88"
        )
        // Last year's grant to the bicycle workshop: paid, its report a week overdue.
        let lastYear = try grant(
            "Verksamhetsbidrag \(year - 1): Cykelverkstan Hjulet",
            to: cykel,
            year: year - 1,
            amount: 125_000,
            decided: LocalDate(year: year - 1, month: 2, day: 14)!,
            paid: LocalDate(year: year - 1, month: 3, day: 1)!,
            reportDueOn: today.adding(days: -7),
            caseNumber: "SN \(year - 1)/57"
        )
        try change(lastYear, AgreementStateChange(state: .reportDue, on: today.adding(days: -37)))
        // An IOP under review: two years in, its review in two weeks.
        let start = today.adding(days: -730)
        let iop = try store.createAgreement(
            AgreementDraft(
                kind: .iop,
                caseNumber: "SN \(start.year)/301",
                title: "IOP Stödboende och arbetsträning i Café Gläntan",
                purpose: "Arbetsträning och stöd för personer med psykisk ohälsa i kooperativets café, på paraplyföreningens initiativ",
                partyIds: [municipality, umbrella],
                from: start,
                to: today.adding(days: 365),
                reviewOn: today.adding(days: 14),
                terminationTerms: "Vardera part kan säga upp partnerskapet med sex månaders varsel",
                initiatedById: umbrella,
                contributions: [
                    ContributionDraft(organisationId: municipality, year: start.year, form: .money, amount: 900_000),
                    ContributionDraft(
                        organisationId: umbrella,
                        year: start.year,
                        form: .inKind,
                        amount: 250_000,
                        description: "Handledare och lokaler"
                    ),
                ],
                caseworkerUserId: caseworker
            ),
            reach: .everything,
            actor: actor,
            in: tx
        ).id
        _ = try store.recordProcurementCheck(
            ProcurementCheck(
                finding: "Ingen marknad för tjänsten; initiativet kom från den idéburna parten (kommunjuristens bedömning)",
                on: start.adding(days: -40)
            ),
            agreement: iop,
            today: start.adding(days: -40),
            reach: .everything,
            actor: actor,
            in: tx
        )
        for (state, on) in [(AgreementState.legalCheck, start.adding(days: -45)), (.signed, start.adding(days: -14)), (.active, start)] {
            try change(iop, AgreementStateChange(state: state, on: on))
        }
    }

    /// Moves an agreement through `steps`: each a state, its day (`YYYY-MM-DD`) and a comment.
    static func move(_ id: Int, _ steps: [(AgreementState, String, String?)], store: PartnershipStore, in tx: Transaction) throws {
        for (state, on, comment) in steps {
            _ = try store.changeState(
                ofAgreement: id,
                AgreementStateChange(state: state, on: LocalDate(on)!, comment: comment),
                today: LocalDate(on)!,
                reach: .everything,
                actor: .system,
                in: tx
            )
        }
    }

    static func load(into store: PartnershipStore, in tx: Transaction) throws {
        func organisation(_ name: String) throws -> Int { try store.registry.demoOrganisationID(named: name, in: tx) }
        if try tx.queryFirst("SELECT 1 FROM partnerships.agreements WHERE title = \(frameworkTitle)") != nil { return }
        let municipality = try organisation("Kommunen, socialtjänsten")
        let umbrella = try organisation("Sociala arbetskooperativens paraplyförening")
        let returbutiken = try organisation("Returbutiken Återbruk ek. för.")
        let cykel = try organisation("Cykelverkstan Hjulet ek. för.")
        let actor = Actor.system
        func day(_ text: String) -> LocalDate { LocalDate(text)! }
        func add(_ draft: AgreementDraft) throws -> Int { try store.createAgreement(draft, reach: .everything, actor: actor, in: tx).id }
        func move(_ id: Int, _ steps: [(AgreementState, String, String?)]) throws { try Self.move(id, steps, store: store, in: tx) }
        func change(_ id: Int, _ change: AgreementStateChange) throws {
            _ = try store.changeState(ofAgreement: id, change, today: change.on!, reach: .everything, actor: actor, in: tx)
        }
        func pay(_ id: Int, _ amount: Decimal, on: String) throws {
            _ = try store.addPayment(PaymentDraft(amount: amount, paidOn: day(on)), toGrant: id, reach: .everything, actor: actor, in: tx)
        }

        // 2012: the framework agreement with the social economy, and its action plan.
        let framework = try add(
            AgreementDraft(
                kind: .frameworkAgreement,
                title: frameworkTitle,
                purpose: "Samverkan mellan kommunen och den sociala ekonomin för att fler ska komma närmare arbetsmarknaden",
                partyIds: [municipality, umbrella],
                from: day("2012-05-01"),
                reviewOn: day("2016-12-01"),
                terminationTerms: "Kan sägas upp av vardera part med sex månaders varsel"
            )
        )
        try move(
            framework,
            [
                (.legalCheck, "2012-03-01", "Remiss till kommunens jurister"), (.signed, "2012-04-16", "Undertecknad i kommunfullmäktige"),
                (.active, "2012-05-01", nil), (.evaluated, "2016-11-15", "Utvärdering tillsammans med föreningarna"),
            ]
        )
        try change(
            framework,
            AgreementStateChange(
                state: .renewed,
                on: day("2016-12-15"),
                comment: "Förnyad till 2020",
                to: day("2020-12-31"),
                reviewOn: day("2020-06-30")
            )
        )
        let plan: [ActivityDraft] = [
            ActivityDraft(
                what: "Se över vilka verksamheter som föreningar kan driva i stället för kommunen",
                how: "Genomgång av förvaltningens verksamheter tillsammans med den sociala ekonomins organisationer",
                who: "Socialförvaltningen och paraplyföreningen",
                when: "2013–2014",
                dueOn: day("2014-12-31"),
                financing: "Inom ordinarie budget",
                status: .done,
                outcome:
                    "Enheten för sociala arbetskooperativ knoppades av: handledningen av de fem kooperativen gick över till paraplyföreningen den 1 april 2015 (handledningsavtalet), och nämndens pengar gick till föreningsbidrag, ESF-projektet och IOP"
            ),
            ActivityDraft(
                what: "Dialogforum två gånger om året",
                who: "Kommunen och föreningarna",
                when: "Vår och höst",
                financing: "Kommunen",
                status: .ongoing
            ),
            ActivityDraft(
                what: "Utbildning om idéburet offentligt partnerskap för förvaltningar och föreningar",
                who: "Enheten Stöd till social ekonomi",
                when: "2016",
                dueOn: day("2016-12-31"),
                financing: "Kommunen",
                status: .done,
                outcome: "Fyra utbildningstillfällen, 60 deltagare"
            ),
            ActivityDraft(
                what: "Skapa förutsättningar för 1000 jobb i sociala företag till 2020 (ESF-projekt)",
                how: "Ansökan till Europeiska socialfonden med paraplyföreningen som medsökande",
                who: "Enheten Stöd till social ekonomi",
                when: "2016–2020",
                dueOn: day("2020-12-31"),
                financing: "ESF och kommunal medfinansiering",
                status: .ongoing
            ),
        ]
        for activity in plan { _ = try store.addActivity(activity, toAgreement: framework, reach: .everything, actor: actor, in: tx) }

        // 1 April 2015: the umbrella association takes over the supervision of the five cooperatives.
        let contract = try add(
            AgreementDraft(
                kind: .supervisionContract,
                title: "Handledningsavtal: de fem sociala arbetskooperativen",
                purpose: "Paraplyföreningen handleder de fem kooperativ som Enheten för sociala arbetskooperativ tidigare handledde",
                partyIds: [municipality, umbrella],
                from: day("2015-04-01"),
                reviewOn: day("2016-03-31"),
                terminationTerms: "Tre månaders ömsesidig uppsägningstid"
            )
        )
        try move(contract, [(.legalCheck, "2015-02-15", nil), (.signed, "2015-03-20", "Beslut i socialnämnden"), (.active, "2015-04-01", nil)])

        // 2015: the committee's money moves to association grants.
        let grants2015: [(Int, String, Decimal, Decimal, Decimal?)] = [
            (umbrella, "Verksamhetsbidrag 2015: paraplyföreningen", 2_400_000, 2_200_000, nil),
            (returbutiken, "Verksamhetsbidrag 2015: Returbutiken Återbruk", 150_000, 150_000, nil),
            (cykel, "Verksamhetsbidrag 2015: Cykelverkstan Hjulet", 120_000, 120_000, 20_000),
        ]
        for (recipient, title, applied, granted, repayment) in grants2015 {
            let grant = try add(
                AgreementDraft(
                    kind: .associationGrant,
                    title: title,
                    purpose: "Föreningsbidrag från socialnämnden, sedan enhetens verksamhet lagts ned",
                    partyIds: [municipality, recipient],
                    from: day("2015-01-01"),
                    to: day("2015-12-31"),
                    grantYear: 2015,
                    appliedAmount: applied
                )
            )
            try move(grant, [(.inReview, "2015-01-20", nil)])
            try change(
                grant,
                AgreementStateChange(
                    state: .granted,
                    on: day("2015-02-16"),
                    grantedAmount: granted,
                    conditions: "Redovisning av verksamhet och ekonomi"
                )
            )
            try pay(grant, granted, on: "2015-03-02")
            try move(grant, [(.paid, "2015-03-02", nil), (.reportDue, "2016-01-01", nil)])
            _ = try store.submitReport(
                GrantReport(submittedOn: day("2016-03-21"), summary: "Verksamhetsberättelse och ekonomisk redovisning 2015"),
                forGrant: grant,
                reach: .everything,
                actor: actor,
                in: tx
            )
            if let repayment {
                try change(
                    grant,
                    AgreementStateChange(state: .repaymentClaimed, on: day("2016-04-15"), amount: repayment, reason: "Outnyttjade medel 2015")
                )
                try change(grant, AgreementStateChange(state: .repaid, on: day("2016-05-20"), comment: "Återbetalt"))
            } else {
                try move(grant, [(.approved, "2016-04-15", "Redovisningen godkänd")])
            }
        }

        // 2017 and 2018: the umbrella association's yearly grant of 2.82 MSEK, paid quarterly.
        for year in [2017, 2018] {
            let grant = try add(
                AgreementDraft(
                    kind: .associationGrant,
                    title: "Verksamhetsbidrag \(year): paraplyföreningen",
                    purpose: "Handledning av sociala arbetskooperativ och stöd till nya",
                    partyIds: [municipality, umbrella],
                    from: day("\(year)-01-01"),
                    to: day("\(year)-12-31"),
                    grantYear: year,
                    appliedAmount: 2_820_000
                )
            )
            try move(grant, [(.inReview, "\(year - 1)-11-01", nil)])
            try change(
                grant,
                AgreementStateChange(
                    state: .granted,
                    on: day("\(year - 1)-12-14"),
                    grantedAmount: 2_820_000,
                    conditions: "Kvartalsvis utbetalning; redovisning per kooperativ"
                )
            )
            for quarter in ["01", "04", "07", "10"] { try pay(grant, 705_000, on: "\(year)-\(quarter)-02") }
            try move(grant, [(.paid, "\(year)-10-02", nil), (.reportDue, "\(year + 1)-01-01", nil)])
            if year == 2017 {
                _ = try store.submitReport(
                    GrantReport(submittedOn: day("2018-03-28"), summary: "Redovisning 2017: handledning av sju kooperativ, två nystartade"),
                    forGrant: grant,
                    reach: .everything,
                    actor: actor,
                    in: tx
                )
                try move(grant, [(.approved, "2018-04-20", "Godkänd")])
            }
        }

        // One IOP: work training in the cooperatives, both sides contributing.
        let iop = try add(
            AgreementDraft(
                kind: .iop,
                title: "IOP Arbetsträning i sociala arbetskooperativ",
                purpose: "Arbetsträning för personer långt från arbetsmarknaden i sociala arbetskooperativ, på paraplyföreningens initiativ",
                partyIds: [municipality, umbrella],
                from: day("2019-01-01"),
                to: day("2021-12-31"),
                reviewOn: day("2020-06-30"),
                terminationTerms: "Vardera part kan säga upp partnerskapet med sex månaders varsel",
                initiatedById: umbrella,
                contributions: [
                    ContributionDraft(organisationId: municipality, year: 2019, form: .money, amount: 1_500_000),
                    ContributionDraft(organisationId: umbrella, year: 2019, form: .inKind, amount: 400_000, description: "Handledare och lokaler"),
                ]
            )
        )
        _ = try store.recordProcurementCheck(
            ProcurementCheck(
                finding:
                    "Ingen marknad för tjänsten; initiativet kom från den idéburna parten; inget otillåtet statsstöd (kommunjuristens bedömning)",
                on: day("2018-11-20")
            ),
            agreement: iop,
            today: day("2018-11-20"),
            reach: .everything,
            actor: actor,
            in: tx
        )
        try move(iop, [(.legalCheck, "2018-11-01", nil), (.signed, "2018-12-10", "Undertecknat"), (.active, "2019-01-01", nil)])
    }
}
