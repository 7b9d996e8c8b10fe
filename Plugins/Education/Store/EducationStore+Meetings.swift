import DataAccess
import FeatureSupport
import PluginKit
import Registry

extension EducationStore {
    /// A circle's meetings in order, with who was present and absent.
    func meetings(ofCircle id: Int, reach: Reach, in executor: some SQLExecutor) throws -> [Meeting] {
        _ = try circle(id: id, reach: reach, in: executor)
        let rows = try executor.query(
            """
            SELECT m.id, m.circle_id, to_char(m.starts_at, 'YYYY-MM-DD"T"HH24:MI') AS starts_at, m.minutes,
                   (SELECT coalesce(jsonb_agg(a.person_id ORDER BY a.person_id), '[]') FROM education.attendance a
                     WHERE a.meeting_id = m.id AND a.present) AS present,
                   (SELECT coalesce(jsonb_agg(a.person_id ORDER BY a.person_id), '[]') FROM education.attendance a
                     WHERE a.meeting_id = m.id AND NOT a.present) AS absent
            FROM education.meetings m WHERE m.circle_id = \(id) ORDER BY m.starts_at, m.id
            """
        )
        return try rows.map { row in
            let minutes: Int = try row.decode("minutes")
            return Meeting(
                id: try row.decode("id"),
                circleId: try row.decode("circle_id"),
                startsAt: try row.decode("starts_at"),
                minutes: minutes,
                studyHours: StudyHours.of(minutes: minutes, hourMinutes: settings.hourMinutes),
                presentIds: try row.decode("present", as: JSONB<[Int]>.self).value,
                absentIds: try row.decode("absent", as: JSONB<[Int]>.self).value
            )
        }
    }

    /// Records a meeting of a planned or running circle; the first one starts a planned circle.
    ///
    /// - Throws: ``FeatureError`` `.conflict` for a completed, reported or rejected circle;
    ///   `.invalidInput` for a bad start or a length outside 1–720 minutes.
    func addMeeting(_ draft: MeetingDraft, toCircle id: Int, reach: Reach, actor: Actor, in tx: Transaction) throws -> Meeting {
        let circle = try lockedCircle(id, reach: reach, in: tx)
        guard circle.state.takesMeetings else {
            throw FeatureError(
                .conflict,
                "circle \(id) is \(circle.state.rawValue); it takes no more meetings",
                field: "/startsAt",
                wording: "meetingsClosed"
            )
        }
        guard let start = Self.localTime(draft.startsAt) else {
            throw FeatureError(
                .invalidInput,
                "must be a local time YYYY-MM-DDTHH:MM, not '\(draft.startsAt.prefix(30))'",
                field: "/startsAt",
                wording: "meetingTime"
            )
        }
        let minutes = try Input.number(draft.minutes, field: "/minutes", in: 1...720)
        let meetingID: Int = try tx.query(
            "INSERT INTO education.meetings (circle_id, starts_at, minutes) VALUES (\(id), \(start)::timestamp, \(minutes)) RETURNING id"
        ).single().decode("id")
        if circle.state == .planned {
            try tx.execute("UPDATE education.circles SET state = 'running', updated_at = now() WHERE id = \(id)")
            try tx.audit(actor, feature: Self.feature, entity: "circle", id: id, action: "state.running")
        }
        let meeting = try meetings(ofCircle: id, reach: .everything, in: tx).first { $0.id == meetingID }!
        try tx.audit(actor, feature: Self.feature, entity: "meeting", id: meetingID, action: "create", after: meeting)
        return meeting
    }

    /// Records who was present at a meeting: the enrolled people named are present, every
    /// other enrolled person absent. Recording again replaces the earlier record.
    ///
    /// - Throws: ``FeatureError`` `.invalidInput` for a person not enrolled; `.conflict` once the
    ///   circle is completed.
    func recordAttendance(_ draft: AttendanceDraft, atMeeting meetingID: Int, reach: Reach, actor: Actor, in tx: Transaction) throws -> Meeting {
        guard let row = try tx.queryFirst("SELECT circle_id FROM education.meetings WHERE id = \(meetingID)") else {
            throw FeatureError.notFound("meeting", id: meetingID)
        }
        let circleID: Int = try row.decode("circle_id")
        let circle: Circle
        do {
            circle = try lockedCircle(circleID, reach: reach, in: tx)
        } catch let error as FeatureError where error.code == .notFound {
            // A meeting of a circle out of reach answers as a missing meeting, byte for byte: naming
            // the circle would tell that the meeting exists, and which circle holds it.
            throw FeatureError.notFound("meeting", id: meetingID)
        }
        guard circle.state.takesMeetings else {
            throw FeatureError(
                .conflict,
                "circle \(circleID) is \(circle.state.rawValue); its attendance is closed",
                field: "/presentIds",
                wording: "attendanceClosed"
            )
        }
        // Those enrolled and not withdrawn by the meeting's day.
        let enrolled = Set(try attending(meeting: meetingID, in: tx))
        for (index, person) in draft.presentIds.enumerated() where !enrolled.contains(person) {
            throw FeatureError(
                .invalidInput,
                "person \(person) is not enrolled in circle \(circleID)",
                field: "/presentIds/\(index)",
                wording: Wording("notEnrolled", ["person": "\(person)"])
            )
        }
        let before = try meetings(ofCircle: circleID, reach: .everything, in: tx).first { $0.id == meetingID }!
        let present = Set(draft.presentIds)
        try tx.execute("DELETE FROM education.attendance WHERE meeting_id = \(meetingID)")
        for person in enrolled.sorted() {
            try tx.execute(
                """
                INSERT INTO education.attendance (meeting_id, person_id, present, circle_id, starts_at)
                SELECT m.id, \(person), \(present.contains(person)), m.circle_id, m.starts_at FROM education.meetings m WHERE m.id = \(meetingID)
                """
            )
        }
        try tx.execute(
            """
            UPDATE education.enrolments e SET first_present_at = p.first, last_present_at = p.last
            FROM (SELECT e2.person_id, min(a.starts_at) AS first, max(a.starts_at) AS last
                  FROM education.enrolments e2
                  LEFT JOIN education.attendance a ON a.circle_id = e2.circle_id AND a.person_id = e2.person_id AND a.present
                  WHERE e2.circle_id = \(circleID) GROUP BY e2.person_id) p
            WHERE e.circle_id = \(circleID) AND e.person_id = p.person_id
            """
        )
        let after = try meetings(ofCircle: circleID, reach: .everything, in: tx).first { $0.id == meetingID }!
        try tx.audit(actor, feature: Self.feature, entity: "meeting", id: meetingID, action: "attendance", before: before, after: after)
        return after
    }

    /// What the rules look at, read from the database.
    func record(ofCircle id: Int, in executor: some SQLExecutor) throws -> CircleRecord {
        try records(ofCircles: [id], in: executor)[id, default: CircleRecord(meetings: [], participants: [])]
    }

    /// What the rules look at for several circles, in three queries whatever their number (the
    /// presences through `attendance_present_by_circle`), so a page checking many circles does
    /// not ask three times per circle.
    func records(ofCircles ids: [Int], in executor: some SQLExecutor) throws -> [Int: CircleRecord] {
        var present: [Int: Set<Int>] = [:]
        // One row per meeting, its people as `12,15,31`: decoding a row costs more than splitting a list.
        let presences = try executor.query(
            """
            SELECT meeting_id, string_agg(person_id::text, ',') AS people FROM education.attendance
            WHERE present AND circle_id = ANY(\(ids)) GROUP BY circle_id, meeting_id
            """
        )
        for row in presences {
            var people: String = try row.decode("people")
            present[try row.decode("meeting_id")] = people.withUTF8(Self.ids)
        }
        var records = Dictionary(uniqueKeysWithValues: ids.map { ($0, CircleRecord(meetings: [], participants: [])) })
        let meetings = try executor.query(
            """
            SELECT id, circle_id, to_char(starts_at, 'YYYY-MM-DD"T"HH24:MI') AS starts_at, minutes
            FROM education.meetings WHERE circle_id = ANY(\(ids)) ORDER BY circle_id, starts_at, id
            """
        )
        for row in meetings {
            let (id, startsAt): (Int, String) = (try row.decode("id"), try row.decode("starts_at"))
            guard let day = LocalDate(String(startsAt.prefix(10))) else { continue }  // to_char's own YYYY-MM-DD, always a day
            records[try row.decode("circle_id")]?.meetings.append(
                CircleRecord.MeetingFacts(id: id, startsAt: startsAt, day: day, minutes: try row.decode("minutes"), present: present[id] ?? [])
            )
        }
        let participants = try executor.query(
            """
            SELECT e.circle_id, p.id, p.name, p.gender, coalesce(p.birth_year, e.birth_year) AS birth_year
            FROM education.enrolments e JOIN registry.people p ON p.id = e.person_id
            WHERE e.circle_id = ANY(\(ids)) ORDER BY e.circle_id, \(SQL.swedish("p.name")), p.id
            """
        )
        for row in participants {
            let circleID: Int = try row.decode("circle_id")
            records[circleID]?.participants.append(
                CircleRecord.Participant(
                    id: try row.decode("id"),
                    name: try row.decode("name"),
                    gender: try row.decode("gender"),
                    birthYear: try row.decode("birth_year")
                )
            )
        }
        return records
    }

    /// The ids of a `12,15,31` list, read byte by byte (the start page reads thousands).
    static func ids(_ bytes: UnsafeBufferPointer<UInt8>) -> Set<Int> {
        var ids = Set<Int>(minimumCapacity: bytes.count / 4)
        var value = 0
        for byte in bytes {
            if byte == UInt8(ascii: ",") {
                ids.insert(value)
                value = 0
            } else {
                value = value * 10 + Int(byte) - Int(UInt8(ascii: "0"))
            }
        }
        if !bytes.isEmpty { ids.insert(value) }
        return ids
    }

    /// Every grant rule checked against the circle.
    func compliance(ofCircle id: Int, reach: Reach, in executor: some SQLExecutor) throws -> Compliance {
        _ = try circle(id: id, reach: reach, in: executor)
        return Compliance(circleId: id, record: try record(ofCircle: id, in: executor), settings: settings)
    }

    /// The grant rules checked against a circle as a reader with `reach` may see them: the
    /// participants outside it are counted, not named (``Compliance/naming(only:)``).
    ///
    /// - Throws: ``FeatureError`` `.notFound` for a circle outside reach.
    func compliance(ofCircle id: Int, namingWithin reach: Reach, in executor: some SQLExecutor) throws -> Compliance {
        let compliance = try compliance(ofCircle: id, reach: reach, in: executor)
        return compliance.naming(only: try registry.peopleWithinReach(compliance.participants.map(\.personId), reach: reach, in: executor))
    }

    /// `YYYY-MM-DDTHH:MM` (or with a space), a valid day and time; the text PostgreSQL is given.
    static func localTime(_ text: String) -> String? {
        let normalized = text.replacing(" ", with: "T")
        guard normalized.count == 16, let day = try? LocalDate(input: String(normalized.prefix(10))), normalized.dropFirst(10).first == "T" else {
            return nil
        }
        let time = normalized.dropFirst(11).split(separator: ":")
        guard time.count == 2, let hour = Int(time[0]), let minute = Int(time[1]), (0...23).contains(hour), (0...59).contains(minute) else {
            return nil
        }
        return "\(day) \(time[0]):\(time[1])"
    }
}

extension Meeting: Auditable {
    var auditFields: [String: JSONValue] {
        [
            "startsAt": .string(startsAt), "minutes": .int(minutes), "presentIds": .array(presentIds.map(JSONValue.int)),
            "absentIds": .array(absentIds.map(JSONValue.int)),
        ]
    }
}
