import DataAccess
import Foundation
import PageKit
import PluginKit

// What the supervision templates show, every text in the viewer's language already. Stored
// properties only: templates read values through reflection.

/// A cooperative in the list.
struct CooperativeListView {
    let link: String
    let name: String
    let provider: String
    let supervisor: String
    let hours: String
    let lastSession: String

    init(_ row: CooperativeListRow, hours: CooperativeHours?, page: PageContext) {
        link = "/supervision/cooperatives/\(row.id)"
        name = row.name
        provider = row.providerName ?? page.text("noAssignmentInForce")
        supervisor = row.supervisorName ?? "–"
        self.hours = HoursText.of(hours, page: page)
        lastSession = row.lastSession?.description ?? page.text("noSessionYet")
    }
}

/// Hours against target as text: "4,5 av 8 timmar (56 %)".
enum HoursText {
    static func of(_ hours: CooperativeHours?, page: PageContext) -> String {
        guard let hours else { return page.text("noHours") }
        let done = number(hours.hours, page: page)
        guard let target = hours.targetHours else { return page.text("hoursNoTarget", ["hours": done]) }
        return page.text(
            "hoursOfTarget",
            ["hours": done, "target": number(target, page: page), "percent": hours.percentOfTarget.map(String.init) ?? "–"]
        )
    }

    /// A decimal with the language's decimal sign.
    static func number(_ value: Decimal, page: PageContext) -> String {
        let text = "\(value)"
        return page.language == .sv ? text.replacingOccurrences(of: ".", with: ",") : text
    }
}

/// An assignment on the cooperative's page or in an organisation's section.
struct AssignmentView {
    let cooperative: String
    let cooperativeLink: String
    let state: String
    let inForce: Bool
    let provider: String
    let supervisor: String
    let share: String
    let period: String
    let reviewOn: String
    let funding: String
    let caseNumber: String
    /// The supervisor user who answers for it, by name; "–" when it names nobody.
    let responsible: String
    /// The form that moves it on, for a user who may.
    let changeLink: String?
    /// The form that names who answers for it, for a user who may, while it is not ended.
    let responsibleLink: String?

    init(_ row: AssignmentRow, page: PageContext) {
        let a = row.assignment
        cooperative = row.cooperativeName
        cooperativeLink = "/supervision/cooperatives/\(a.cooperativeId)"
        state = page.text("assignment_" + a.state.rawValue)
        inForce = a.state.isInForce
        provider = row.providerName
        supervisor = row.supervisorName
        share = HoursText.number(a.sharePercent, page: page) + " %"
        period = "\(a.from) – \(a.to?.description ?? "")"
        reviewOn = a.reviewOn?.description ?? "–"
        funding = a.fundingSource
        caseNumber = a.caseNumber ?? "–"
        responsible = row.responsibleName ?? "–"
        responsibleLink =
            a.state == .ended
            ? nil : page.formLink("supervision", "setAssignmentResponsible", ["id": String(a.id)], requiring: SupervisionPermissions.assignmentWrite)
        changeLink =
            a.state.allowedNext.isEmpty
            ? nil : page.formLink("supervision", "changeAssignmentState", ["id": String(a.id)], requiring: SupervisionPermissions.assignmentWrite)
    }
}

/// A session in the cooperative's list.
struct SessionView {
    let date: String
    let minutes: Int
    let topics: String

    init(_ session: Session, page: PageContext) {
        date = session.on.description
        minutes = session.minutes
        topics = session.topics.map { page.text("topic_" + $0.rawValue) }.joined(separator: ", ")
    }
}

/// A development goal.
struct GoalView {
    let title: String
    let state: String
    let openedOn: String
    let closedOn: String
    /// The form that moves it on, for a user who may.
    let changeLink: String?

    init(_ goal: Goal, page: PageContext) {
        title = goal.title
        state = page.text("goal_" + goal.state.rawValue)
        openedOn = goal.openedOn.description
        closedOn = goal.closedOn?.description ?? "–"
        // A met or dropped goal moves no further.
        changeLink =
            goal.state.allowedNext.isEmpty
            ? nil : page.formLink("supervision", "changeGoalState", ["id": String(goal.id)], requiring: SupervisionPermissions.goalWrite)
    }
}

/// A funding pot on its cooperative's page, amounts in kronor.
struct PotView {
    let purpose: String
    let amount: String
    let spent: String
    let remaining: String
    let period: String
    let reviewOn: String
    let state: String
    let caseNumber: String
    /// The caseworker who answers for it, by name; "–" when it names nobody.
    let responsible: String
    /// The pot's history: set up, each re-examination's decision, and the balance.
    let history: [String]
    /// The forms that record spending, move the review and record a decision, for a user who
    /// may, while the pot is open.
    let spendLink: String?
    let reviewLink: String?
    let decideLink: String?
    /// The form that names who answers for it, for a user who may, while it is open.
    let responsibleLink: String?

    init(_ pot: FundingPot, decisions: [PotDecision], responsible: String?, page: PageContext) {
        let kronor = { (amount: Decimal) in Kronor.text(amount, page.language) }
        purpose = pot.purpose
        amount = kronor(pot.amount)
        spent = kronor(pot.spent)
        remaining = kronor(pot.remaining)
        period = "\(pot.from) – \(pot.to)"
        reviewOn = pot.reviewOn?.description ?? "–"
        state = page.text("value.potState.\(pot.state.rawValue)")
        caseNumber = pot.caseNumber ?? "–"
        self.responsible = responsible ?? "–"
        let first = decisions.first
        let setUp = page.text(
            "potSetUp",
            [
                "amount": kronor(pot.amount - decisions.reduce(0) { $0 + $1.amountAdded }), "from": "\(pot.from)",
                "to": "\(first?.previousTo ?? pot.to)",
            ]
        )
        history =
            ["\(pot.from) \(setUp)"]
            + decisions.map { decision in
                let caseNumber = decision.caseNumber.map { page.text("potCaseNumber", ["number": $0]) } ?? ""
                let outcome =
                    switch decision.outcome {
                    case .extend: page.text("potExtended", ["to": "\(decision.to)", "amount": kronor(decision.amountAdded)])
                    case .end: page.text("potEnded", ["to": "\(decision.to)"])
                    case .grant: page.text("potGranted", ["amount": kronor(decision.grantAmount)])
                    }
                return "\(decision.decidedOn) \(page.text("potReview"))\(caseNumber): \(outcome)"
            }
            + [page.text("potBalance", ["remaining": kronor(pot.remaining), "spent": kronor(pot.spent), "granted": kronor(pot.granted)])]
        let open = pot.state == .open
        let potID = ["id": String(pot.id)]
        spendLink = open ? page.formLink("supervision", "spendFromPot", potID, requiring: SupervisionPermissions.potWrite) : nil
        reviewLink = open ? page.formLink("supervision", "reviewPot", potID, requiring: SupervisionPermissions.potWrite) : nil
        decideLink = open ? page.formLink("supervision", "decidePot", potID, requiring: SupervisionPermissions.potWrite) : nil
        responsibleLink = open ? page.formLink("supervision", "setPotResponsible", potID, requiring: SupervisionPermissions.potWrite) : nil
    }
}

/// A move a handover would make or made.
struct MoveView {
    let cooperative: String
    let link: String
    let endedAssignment: Int
    let newAssignment: String
    let supervisor: String
}
