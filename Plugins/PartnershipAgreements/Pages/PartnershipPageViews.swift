import DataAccess
import Foundation
import PageKit
import PluginKit

// What the partnership templates show, with every text already in the viewer's language.
// Stored properties only: templates read values through reflection.

/// An agreement as the list shows it.
struct AgreementRowView {
    let link: String
    let title: String
    let caseNumber: String
    let kind: String
    let parties: String
    let state: String
    let next: String
    let nextOn: String?
    let money: String
    let inKind: String

    init(_ row: AgreementRow, page: PageContext) {
        link = "/partnerships/agreements/\(row.id)"
        title = row.title
        caseNumber = row.caseNumber ?? "–"
        kind = page.text("kind_" + row.kind.rawValue)
        parties = row.partyNames
        state = page.text("state_" + row.state.rawValue)
        next = row.nextKind.map { page.text("next_" + $0.rawValue) } ?? "–"
        nextOn = row.nextOn?.description
        money = Kronor.text(row.money, page.language)
        inKind = Kronor.text(row.inKind, page.language)
    }
}

/// A party with its side and its contributions.
struct PartyView {
    struct ContributionView {
        let year: Int
        let form: String
        let amount: String
        let description: String
    }

    let name: String
    let link: String
    let side: String
    let contributions: [ContributionView]
    let hasContributions: Bool
    let total: String

    init(_ party: Party, name: String, contributions: [Contribution], page: PageContext) {
        self.name = name
        link = "/registry/organisations/\(party.organisationId)"
        side = page.text("side_" + party.side.rawValue)
        let own = contributions.filter { $0.organisationId == party.organisationId }
        self.contributions = own.map {
            ContributionView(
                year: $0.year,
                form: page.text("form_" + $0.form.rawValue),
                amount: Kronor.text($0.amount, page.language),
                description: $0.description ?? "–"
            )
        }
        hasContributions = !own.isEmpty
        total = Kronor.text(own.reduce(0) { $0 + $1.amount }, page.language)
    }
}

/// A recorded change of state.
struct TransitionView {
    let from: String
    let to: String
    let on: String
    let comment: String
    let actor: String

    init(_ transition: Transition, page: PageContext) {
        from = page.text("state_" + transition.from.rawValue)
        to = page.text("state_" + transition.to.rawValue)
        on = transition.on.description
        comment = transition.comment ?? "–"
        actor = transition.actor
    }
}

/// A document of an agreement, linking to its download.
struct DocumentView {
    let filename: String
    let link: String
    let size: String
    let uploadedBy: String
    let uploadedOn: String
    /// A decision letter's page, to read and print (the link above downloads it).
    let letterLink: String?

    init(_ document: Document) {
        filename = document.filename
        link = "/partnerships/documents/\(document.id)"
        size = Self.size(document.sizeBytes)
        uploadedBy = document.uploadedBy
        uploadedOn = (document.decidedOn ?? LocalDate(containing: document.uploadedAt)).description
        letterLink = document.letter == nil ? nil : "/partnerships/letters/\(document.id)"
    }

    /// A file's size as people read it: `512 B`, `40 kB`, `10 MB`.
    static func size(_ bytes: Int) -> String {
        bytes >= 1_048_576 ? "\(bytes / 1_048_576) MB" : bytes >= 1024 ? "\(bytes / 1024) kB" : "\(bytes) B"
    }
}

/// A line of the grant ledger: granted, paid, repaid and what remains to be paid out.
struct LedgerLineView {
    let organisation: String
    let link: String
    let year: Int
    let grants: Int
    let applied: String
    let granted: String
    let paid: String
    let repaid: String
    let remaining: String

    init(_ line: LedgerLine, page: PageContext) {
        organisation = line.organisationName
        link = "/registry/organisations/\(line.organisationId)"
        year = line.year
        grants = line.grants
        applied = Kronor.text(line.applied, page.language)
        granted = Kronor.text(line.granted, page.language)
        paid = Kronor.text(line.paid, page.language)
        repaid = Kronor.text(line.repaid, page.language)
        remaining = Kronor.text(line.remaining, page.language)
    }
}

/// An activity of a framework agreement's action plan, with the form that changes its status.
struct ActivityView {
    let what: String
    let who: String
    let dueOn: String
    let status: String
    let outcome: String
    /// The form that sets its status and outcome, for a user who may.
    let changeLink: String?

    init(_ activity: Activity, page: PageContext) {
        what = activity.what
        who = activity.who ?? "–"
        dueOn = activity.dueOn?.description ?? activity.when ?? "–"
        status = page.text("value.status." + activity.status.rawValue)
        outcome = activity.outcome ?? ""
        changeLink = page.formLink(
            "partnerships",
            "updateAgreementActivity",
            ["id": String(activity.id), "status": activity.status.rawValue],
            requiring: PartnershipPermissions.activityWrite
        )
    }
}
