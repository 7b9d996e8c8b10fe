import DataAccess
import PluginKit
import Registry

/// The story's early years: three study circles of the study association in 2001–2003, led by
/// its circle leader with the unit's supervisor assisting; the third formed the first
/// cooperative, Returbutiken Återbruk.
///
/// Who ran it: the unit for social work cooperatives from 2001, until the education moved to the
/// unit "Support to the social economy" on 1 April 2015 (one record, seen on both units' pages).
///
/// Today's education, at the unit "Support to the social economy": a circle running now, three
/// weeks in, whose attendance is still being ticked, organised by that unit.
///
/// Runs after the registry's demo and finds its organisations and people by name. Idempotent:
/// one transaction; each part is skipped when its first circle is already there.
enum EducationDemo {
    static let subjects = [
        "Att starta ett socialt arbetskooperativ", "Ekonomi och styrelsearbete i en ekonomisk förening", "Affärsplan för en returbutik",
    ]

    /// The circle that runs now.
    static let runningSubject = "Bokföring och moms för arbetskooperativ"

    static func load(into store: EducationStore) async throws {
        try await store.database.transaction { tx in
            try load(into: store, in: tx)
            try loadResponsibility(into: store, in: tx)
            try loadRunning(into: store, today: .today(), in: tx)
        }
    }

    /// The two moves of the responsibility for education; skipped when any move is recorded.
    /// The story's circles of 2001–2003 keep no organiser (they were recorded before), the
    /// circle running now gets the unit responsible on its start.
    static func loadResponsibility(into store: EducationStore, in tx: Transaction) throws {
        if try tx.queryFirst("SELECT 1 FROM education.responsibility_moves") != nil { return }
        let unit = try store.registry.demoOrganisationID(named: "Enheten för sociala arbetskooperativ", in: tx)
        let support = try store.registry.demoOrganisationID(named: "Enheten Stöd till social ekonomi", in: tx)
        _ = try store.moveResponsibility(
            ResponsibilityMoveDraft(toOrganisationId: unit, on: LocalDate(year: 2001, month: 1, day: 1)!, note: "Enheten startar"),
            actor: .system,
            in: tx
        )
        _ = try store.moveResponsibility(
            ResponsibilityMoveDraft(
                fromOrganisationId: unit,
                toOrganisationId: support,
                on: LocalDate(year: 2015, month: 4, day: 1)!,
                note: "Socialnämnden lägger ned enheten; utbildningen flyttar till Stöd till social ekonomi"
            ),
            actor: .system,
            in: tx
        )
    }

    /// A circle three weeks in: three weekly meetings, the last one's attendance not yet ticked.
    static func loadRunning(into store: EducationStore, today: LocalDate, in tx: Transaction) throws {
        if try tx.queryFirst("SELECT 1 FROM education.circles WHERE subject = \(runningSubject)") != nil { return }
        func person(_ name: String) throws -> Int { try store.registry.demoPersonID(named: name, in: tx) }
        let start = today.adding(days: -20)
        let circle = try store.createCircle(
            CircleDraft(
                studyAssociationId: try store.registry.demoOrganisationID(named: "Studieförbundet Kunskapsvägen", in: tx),
                leaderId: try person("Märta Ängström"),
                assistantId: try person("Örjan Åkesson"),
                subject: runningSubject,
                studyPlan: "Åtta träffar à tre studietimmar: verifikationer, kassabok, moms, bokslut.",
                aimsCooperativeId: nil,
                plannedStart: start,
                plannedEnd: start.adding(days: 56)
            ),
            actor: .system,
            in: tx
        )
        let people = try ["Jörgen Lindqvist", "Tomasz Nowak", "Ali Hassan", "Per Sjöström"].map(person)
        // Everyone at the first two meetings; the third's attendance is left to tick.
        try enrolAndMeet(people, inCircle: circle.id, from: start, weeks: 3, in: store, tx) { week in week < 2 ? people : nil }
    }

    /// Enrols `people` on `start` and holds a 135-minute meeting each week, recording who
    /// `present` says was there (nothing when it says `nil`).
    static func enrolAndMeet(
        _ people: [Int],
        inCircle circle: Int,
        from start: LocalDate,
        weeks: Int,
        in store: EducationStore,
        _ tx: Transaction,
        present: (Int) -> [Int]?
    ) throws {
        for participant in people {
            _ = try store.enrol(
                EnrolmentDraft(personId: participant, on: start),
                inCircle: circle,
                today: start,
                reach: .everything,
                actor: .system,
                in: tx
            )
        }
        for week in 0..<weeks {
            let meeting = try store.addMeeting(
                MeetingDraft(startsAt: "\(start.adding(days: week * 7))T18:00", minutes: 135),
                toCircle: circle,
                reach: .everything,
                actor: .system,
                in: tx
            )
            if let present = present(week) {
                _ = try store.recordAttendance(
                    AttendanceDraft(presentIds: present),
                    atMeeting: meeting.id,
                    reach: .everything,
                    actor: .system,
                    in: tx
                )
            }
        }
    }

    static func load(into store: EducationStore, in tx: Transaction) throws {
        func organisation(_ name: String) throws -> Int { try store.registry.demoOrganisationID(named: name, in: tx) }
        func person(_ name: String) throws -> Int { try store.registry.demoPersonID(named: name, in: tx) }
        if try tx.queryFirst("SELECT 1 FROM education.circles WHERE subject = \(subjects[0])") != nil { return }
        let association = try organisation("Studieförbundet Kunskapsvägen")
        let returbutiken = try organisation("Returbutiken Återbruk ek. för.")
        let (leader, assistant) = (try person("Märta Ängström"), try person("Örjan Åkesson"))
        let groups = [
            ["Jörgen Lindqvist", "Tomasz Nowak", "Per Sjöström", "Birgitta Nordström"],
            ["Ali Hassan", "Åsa Öberg", "Jörgen Lindqvist", "Per Sjöström"],
            ["Tomasz Nowak", "Ali Hassan", "Per Sjöström", "Birgitta Nordström"],
        ]
        let starts = ["2001-09-03", "2002-02-04", "2003-01-13"]
        let actor = Actor.system
        for (index, subject) in subjects.enumerated() {
            let start = LocalDate(starts[index])!
            let circle = try store.createCircle(
                CircleDraft(
                    studyAssociationId: association,
                    leaderId: leader,
                    assistantId: assistant,
                    subject: subject,
                    studyPlan: "Tio träffar à tre studietimmar: mål, ekonomi, juridik, marknad och ett eget arbetskooperativ.",
                    aimsCooperativeId: index == 2 ? returbutiken : nil,
                    plannedStart: start,
                    plannedEnd: start.adding(days: 70)
                ),
                actor: actor,
                in: tx
            )
            let people = try groups[index].map(person)
            // Everyone most weeks; one of them misses a meeting now and then.
            try enrolAndMeet(people, inCircle: circle.id, from: start, weeks: 10, in: store, tx) { week in
                people.enumerated().filter { ($0.offset + week) % 5 != 4 }.map(\.element)
            }
            let end = start.adding(days: 63)
            let formed = index == 2
            _ = try store.changeState(
                ofCircle: circle.id,
                CircleStateChange(state: .completed, formedCooperativeId: formed ? returbutiken : nil, on: formed ? LocalDate("2003-05-01") : end),
                mayOverride: false,
                today: end,
                reach: .everything,
                actor: actor,
                in: tx
            )
            _ = try store.changeState(
                ofCircle: circle.id,
                CircleStateChange(state: .reported),
                mayOverride: false,
                today: end,
                reach: .everything,
                actor: actor,
                in: tx
            )
        }
    }
}
