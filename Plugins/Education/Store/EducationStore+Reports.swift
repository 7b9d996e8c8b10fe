import CSVKit
import DataAccess
import Foundation
import PluginKit
import Registry

/// A circle's report: meetings, study hours, counted participants by gender.
struct CircleReport: Sendable, Hashable, Codable {
    var circleId: Int
    var subject: String
    var studyAssociationId: Int
    var state: CircleState
    var meetings: Int
    var studyHours: Int
    var countedParticipants: Int
    var countedByGender: [String: Int]
    var rulesPassed: Bool
}

/// A study association's circles, study hours and unique participants in a period.
struct AssociationPeriodReport: Sendable, Hashable, Codable {
    var studyAssociationId: Int
    var studyAssociation: String
    var circles: Int
    var meetings: Int
    var studyHours: Int
    var uniqueParticipants: Int
}

/// The per-period report: the period and a row per study association.
struct PeriodReport: Sendable, Hashable, Codable {
    var from: LocalDate
    var to: LocalDate
    var items: [AssociationPeriodReport]

    /// The report as a CSV download, the period repeated on every row.
    var csv: CSV {
        var csv = CSV("from", "to", "studyAssociationId", "studyAssociation", "circles", "meetings", "studyHours", "uniqueParticipants")
        for row in items {
            csv.add(
                from.description,
                to.description,
                String(row.studyAssociationId),
                row.studyAssociation,
                String(row.circles),
                String(row.meetings),
                String(row.studyHours),
                String(row.uniqueParticipants)
            )
        }
        return csv
    }
}

extension EducationStore {
    /// The report of one circle.
    func circleReport(id: Int, reach: Reach, in executor: some SQLExecutor) throws -> CircleReport {
        let circle = try circle(id: id, reach: reach, in: executor)
        let compliance = try compliance(ofCircle: id, reach: reach, in: executor)
        var byGender: [String: Int] = [:]
        for participant in compliance.counted { byGender[participant.gender.rawValue, default: 0] += 1 }
        return CircleReport(
            circleId: id,
            subject: circle.subject,
            studyAssociationId: circle.studyAssociationId,
            state: circle.state,
            meetings: compliance.meetings,
            studyHours: compliance.studyHours,
            countedParticipants: compliance.counted.count,
            countedByGender: byGender,
            rulesPassed: compliance.passed
        )
    }

    /// Per study association: circles that met in the period, their meetings and study hours in
    /// it, and the people present at least once in it (each counted once per association).
    func periodReport(
        from first: LocalDate,
        to last: LocalDate,
        studyAssociationId: Int?,
        reach: Reach,
        in executor: some SQLExecutor
    ) throws
        -> [AssociationPeriodReport]
    {
        let (start, end): (SQL, SQL) = ("\(first)::timestamp", "\(last.adding(days: 1))::timestamp")
        var conditions: [SQL] = [Self.allows(reach), "m.starts_at >= \(start)", "m.starts_at < \(end)"]
        if let association = studyAssociationId { conditions.append("c.study_association_id = \(association)") }
        // Unique participants: an enrolment whose first or last presence falls in the period was
        // present in it; only one present before and after it needs a probe of the attendance
        // (attendance_present_in_circle) for a presence inside; then distinct people per association.
        let rows = try executor.query(
            """
            WITH met AS MATERIALIZED (
                SELECT c.study_association_id, m.circle_id, count(*) AS meetings, sum(m.minutes / \(settings.hourMinutes))::bigint AS study_hours
                FROM education.meetings m JOIN education.circles c ON c.id = m.circle_id
                WHERE \(SQL.joined(conditions, separator: " AND "))
                GROUP BY c.study_association_id, m.circle_id
            ), people AS (
                SELECT met.study_association_id, count(DISTINCT e.person_id) AS unique_participants
                FROM met JOIN education.enrolments e ON e.circle_id = met.circle_id
                WHERE e.first_present_at < \(end) AND e.last_present_at >= \(start)
                  AND (e.first_present_at >= \(start) OR e.last_present_at < \(end) OR EXISTS (
                      SELECT 1 FROM education.attendance a
                      WHERE a.person_id = e.person_id AND a.circle_id = e.circle_id AND a.present
                        AND a.starts_at >= \(start) AND a.starts_at < \(end)
                  ))
                GROUP BY met.study_association_id
            )
            SELECT met.study_association_id, o.name, count(*) AS circles, sum(met.meetings)::bigint AS meetings,
                   sum(met.study_hours)::bigint AS study_hours, coalesce(max(p.unique_participants), 0) AS unique_participants
            FROM met JOIN registry.organisations o ON o.id = met.study_association_id
            LEFT JOIN people p ON p.study_association_id = met.study_association_id
            GROUP BY met.study_association_id, o.name ORDER BY \(SQL.swedish("o.name")), met.study_association_id
            """
        )
        return try rows.map { row in
            AssociationPeriodReport(
                studyAssociationId: try row.decode("study_association_id"),
                studyAssociation: try row.decode("name"),
                circles: try row.decode("circles"),
                meetings: try row.decode("meetings"),
                studyHours: try row.decode("study_hours"),
                uniqueParticipants: try row.decode("unique_participants")
            )
        }
    }

    /// The signed attendance list of a circle: one line per enrolled person with a mark per
    /// meeting. Identity numbers are masked unless `revealNumbers` (then each reading is audited).
    /// The people outside `reach` are counted, not named: one last line `N other participants`
    /// with how many of them were present at each meeting.
    func attendanceList(ofCircle id: Int, revealNumbers: Bool, reach: Reach, actor: Actor, in tx: Transaction) throws -> CSV {
        let meetings = try self.meetings(ofCircle: id, reach: reach, in: tx)
        var header = ["personId", "name", "identityNumber"]
        header += meetings.map(\.startsAt)
        header.append("meetingsPresent")
        var csv = CSV(header)
        let enrolled = try enrolled(inCircle: id, in: tx)
        let visible = try registry.peopleWithinReach(enrolled, reach: reach, in: tx)
        for personID in enrolled where visible.contains(personID) {
            let person = try registry.person(id: personID, reach: .everything, in: tx)
            var number = person.identityNumber ?? ""
            if revealNumbers, person.identityNumber != nil {
                number =
                    try registry.revealIdentityNumber(
                        ofPerson: personID,
                        purpose: "attendance list of circle \(id)",
                        reach: .everything,
                        actor: actor,
                        in: tx
                    )?
                    .formatted ?? number
            }
            let marks = meetings.map { $0.presentIds.contains(personID) ? "X" : "" }
            csv.add(row: [String(personID), person.name, number] + marks + [String(marks.filter { $0 == "X" }.count)])
        }
        let others = Set(enrolled).subtracting(visible)
        if !others.isEmpty {
            let present = meetings.map { $0.presentIds.filter(others.contains).count }
            csv.add(row: ["", "\(others.count) other participants", ""] + present.map(String.init) + [String(present.reduce(0, +))])
        }
        return csv
    }
}
