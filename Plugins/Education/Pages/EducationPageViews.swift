import DataAccess
import Foundation
import PageKit
import PluginKit

// What the education templates show, every text in the viewer's language already. Stored
// properties only: templates read values through reflection.

/// A circle in the list or in an organisation's section.
struct CircleListView {
    let link: String
    let subject: String
    let association: String
    let organiser: String
    let state: String
    let period: String
    let meetings: Int

    init(_ row: CircleListRow, page: PageContext) {
        link = "/education/circles/\(row.circle.id)"
        subject = row.circle.subject
        association = row.associationName
        organiser = row.organiserName ?? "–"
        state = page.text("circle_" + row.circle.state.rawValue)
        period = "\(row.circle.plannedStart) – \(row.circle.plannedEnd)"
        meetings = row.meetings
    }
}

/// A meeting: a column of the attendance grid and a row of the meeting list.
struct MeetingView {
    let id: Int
    let startsAt: String
    let minutes: Int
    let studyHours: Int
    let present: Int
    let recorded: Bool

    init(_ meeting: Meeting) {
        id = meeting.id
        startsAt = meeting.startsAt.replacingOccurrences(of: "T", with: " ")
        minutes = meeting.minutes
        studyHours = meeting.studyHours
        present = meeting.presentIds.count
        recorded = !meeting.presentIds.isEmpty || !meeting.absentIds.isEmpty
    }
}

/// A row of the attendance grid: an enrolled person and a cell per meeting.
struct AttendanceRowView {
    struct Cell {
        let id: String
        let value: String
        let checked: Bool
        /// A meeting on or after the day the participant was withdrawn: nothing to tick.
        let closed: Bool
        let label: String
        let text: String
    }

    let name: String
    /// The form that ends the person's participation, for a user who may.
    let withdrawLink: String?
    let cells: [Cell]
}

/// One grant rule's outcome, in words, with what was found.
struct RuleView {
    let text: String
    let passed: Bool
    let evidence: [String]
    let hasEvidence: Bool

    init(text: String, passed: Bool, evidence: [String]) {
        self.text = text
        self.passed = passed
        self.evidence = evidence
        hasEvidence = !evidence.isEmpty
    }
}
