import CSVKit
import DataAccess
import FeatureSupport
import Foundation
import Hummingbird
import PageKit
import PluginKit
import Registry

/// The education pages: the circles the viewer may see; a circle's page with its meetings, the
/// attendance grid (ticked and saved as a whole, through the API) and the grant
/// rules checked, pass or fail with the reasons. Every read goes through the viewer's reach, so a
/// supervisor asking for a circle outside it gets 404, as for a missing one.
struct EducationPages: PageProvider {
    let store: EducationStore
    let templates: PageTemplates
    /// The start page's verdicts, reached again only for a circle whose facts changed.
    let verdicts = ComplianceCache()

    typealias P = EducationPermissions

    var navigation: [NavigationEntry] { [NavigationEntry(titleKey: "educationTitle", path: "/education", permission: P.read)] }

    func reach(_ principal: Principal) -> Reach { store.registry.reach(of: principal) }

    func addPages(to router: PageRouter) {
        router.get("", requiring: P.read) { request, page in try await circles(request: request, page: page) }
        router.get("circles/{id}", requiring: P.read) { _, page in
            let id = try page.requestContext.parameters.require("id", as: Int.self)
            return try await circle(id, page: page)
        }
        router.post("circles/{id}/attendance", requiring: P.meetingWrite) { _, page in
            let id = try page.requestContext.parameters.require("id", as: Int.self)
            return try await saveAttendance(circle: id, page: page)
        }
    }

    // MARK: - The list

    func circles(request: Request, page: PageContext) async throws -> PageResult {
        let query = try ListQuery(request, sortKeys: Array(EducationStore.circleSorts.keys), defaultSort: "start")
        let reach = reach(page.principal)
        let limit = request.wantsCSV ? ListQuery.downloadLimit : query.pageSize
        let offset = request.wantsCSV ? 0 : query.offset
        // By organiser (or co-organiser) and year, as the organisation page links them.
        let filter = CircleQuery(organiserId: try request.queryInt("organiser"), year: try request.queryYear("year"))
        let (found, organiserName) = try await store.database.withConnection { db in
            (
                try store.circleList(query, filter: filter, limit: limit, offset: offset, reach: reach, in: db),
                try filter.organiserId.flatMap { id in try db.queryFirst("SELECT name FROM registry.organisations WHERE id = \(id)") }?
                    .decode("name", as: String.self)
            )
        }
        if request.wantsCSV {
            var csv = CSV("id", "subject", "studyAssociation", "organiser", "state", "plannedStart", "plannedEnd", "meetings")
            for row in found.rows {
                let c = row.circle
                csv.add(
                    String(c.id),
                    c.subject,
                    row.associationName,
                    row.organiserName ?? "",
                    c.state.rawValue,
                    "\(c.plannedStart)",
                    "\(c.plannedEnd)",
                    String(row.meetings)
                )
            }
            return .csv(csv, filename: "studiecirklar.csv")
        }
        let list = ListView(
            query: query,
            total: found.total,
            columns: [
                ("subject", page.text("subject")), ("association", page.text("studyAssociation")), (nil, page.text("organiser")),
                ("state", page.text("state")),
                ("start", page.text("plannedPeriod")), (nil, page.text("meetings")),
            ],
            context: page
        )
        var data: [String: Any] = [
            "list": list, "rows": found.rows.map { CircleListView($0, page: page) },
            "actions": page.actions([
                ("newCircle", page.formLink("education", "createCircle", requiring: P.circleWrite)),
                ("moveResponsibility", page.formLink("education", "moveEducationResponsibility", requiring: P.circleWrite)),
            ]),
        ]
        let filters = [organiserName.map { page.text("organisedBy", ["name": $0]) }, filter.year.map { page.text("inYear", ["year": "\($0)"]) }]
        if !filters.compactMap({ $0 }).isEmpty { data["filter"] = filters.compactMap { $0 }.joined(separator: ", ") }
        return try page.render("circles", title: page.text("educationTitle"), data)
    }

    // MARK: - A circle

    /// The circle's page; `posted` keeps the grid as it was posted when saving it was refused.
    func circle(
        _ id: Int,
        page: PageContext,
        posted: Set<String>? = nil,
        error: FeatureError? = nil,
        status: HTTPResponse.Status = .ok
    ) async throws -> PageResult {
        let reach = reach(page.principal)
        let (circle, names, meetings, enrolled, visible, compliance) = try await store.database.withConnection { db in
            let circle = try store.circle(id: id, reach: reach, in: db)
            let enrolled = try store.enrolledPeople(inCircle: id, in: db)
            return (
                circle,
                try store.names(of: circle, in: db),
                try store.meetings(ofCircle: id, reach: reach, in: db),
                enrolled,
                try store.registry.peopleWithinReach(enrolled.map(\.id), reach: reach, in: db),
                try store.compliance(ofCircle: id, reach: reach, in: db)
            )
        }
        let editable = page.principal.holds(P.meetingWrite) && circle.state.takesMeetings
        // The participants outside the viewer's reach are counted, not named.
        let people = enrolled.filter { visible.contains($0.id) }
        let others = enrolled.count - people.count
        let rows = people.map { person in
            AttendanceRowView(
                name: person.withdrawnOn.map { page.text("withdrawnName", ["name": person.name, "day": $0.description]) } ?? person.name,
                withdrawLink: person.withdrawnOn == nil
                    ? page.formLink("education", "withdraw", ["id": String(id), "personId": String(person.id)], requiring: P.circleWrite) : nil,
                cells: meetings.map { meeting in
                    let value = "\(meeting.id):\(person.id)"
                    let checked = posted?.contains(value) ?? meeting.presentIds.contains(person.id)
                    // No attendance from the day a withdrawn participant left.
                    let left = person.withdrawnOn.map { String(meeting.startsAt.prefix(10)) >= $0.description } ?? false
                    return AttendanceRowView.Cell(
                        id: "present-\(meeting.id)-\(person.id)",
                        value: value,
                        checked: checked,
                        closed: left,
                        label: "\(person.name), \(meeting.startsAt.replacingOccurrences(of: "T", with: " "))",
                        text: left ? "–" : page.text(checked ? "present" : (meeting.absentIds.contains(person.id) ? "absent" : "notRecorded"))
                    )
                }
            )
        }
        var summary = PageForm(action: "/education/circles/\(id)/attendance", submit: page.text("saveAttendance"), fields: [])
        if let error { summary.fill(page.form, error: error, in: page) }
        var data: [String: Any] = [
            "facts": [
                "association": names.association, "organiser": names.organiser ?? "–", "leader": names.leader, "assistant": names.assistant ?? "–",
                "aims": names.aimsCooperative ?? "–", "state": page.text("circle_" + circle.state.rawValue),
                "period": "\(circle.plannedStart) – \(circle.plannedEnd)", "formed": circle.formedCooperative ?? "–",
            ],
            "meetings": meetings.map(MeetingView.init),
            "hasMeetings": !meetings.isEmpty,
            "rows": rows,
            "hasPeople": !rows.isEmpty,
            "noPeople": enrolled.isEmpty,
            "otherParticipants": others > 0 ? page.text("otherParticipants", ["count": String(others)]) : "",
            "editable": editable && !meetings.isEmpty && !rows.isEmpty,
            "summary": summary,
            "compliance": [
                "passed": compliance.passed, "rules": ruleViews(compliance.naming(only: visible), page: page),
                "meetings": compliance.meetings, "studyHours": compliance.studyHours,
                "counted": compliance.counted.count, "participants": compliance.participants.count,
            ] as [String: Any],
        ]
        if editable { data["action"] = summary.action }
        data["actions"] = Self.circleActions(circle, page: page)
        return try page.render("circle", title: circle.subject, data, status: status)
    }

    /// The forms a circle's page links to, those the viewer may use while the circle's state
    /// allows them: enrol a participant, add a meeting, and the state changes it may make next
    /// (completing with the cooperative it formed, reporting, rejecting), each a generic form
    /// with the state chosen.
    static func circleActions(_ circle: Circle, page: PageContext) -> [[String: String]] {
        let id = ["id": String(circle.id)]
        let next = circle.state.allowedNext
        func change(_ state: CircleState) -> String? {
            next.contains(state)
                ? page.formLink("education", "changeCircleState", id.merging(["state": state.rawValue]) { a, _ in a }, requiring: P.circleWrite) : nil
        }
        return page.actions([
            ("enrolParticipant", next.isEmpty ? nil : page.formLink("education", "enrol", id, requiring: P.circleWrite)),
            ("planMeeting", circle.state.takesMeetings ? page.formLink("education", "addMeeting", id, requiring: P.meetingWrite) : nil),
            ("completeCircle", change(.completed)),
            ("reportCircle", change(.reported)),
            ("rejectCircle", change(.rejected)),
        ])
    }

    /// Each rule in the viewer's language with the configured numbers, and what was found.
    func ruleViews(_ compliance: Compliance, page: PageContext) -> [RuleView] {
        let s = store.settings
        let numbers: [String: Int] = [
            "minPresent": s.minPresent, "maxPresent": s.maxPresent, "minMeetings": s.minMeetings, "minStudyHours": s.minStudyHours,
            "hourMinutes": s.hourMinutes, "maxHoursPerMeeting": s.maxHoursPerMeeting, "maxMeetingsPerWeek": s.maxMeetingsPerWeek,
            "maxHoursPerYear": s.maxHoursPerYear, "minMeetingsAttended": s.minMeetingsAttended, "firstMeetings": s.firstMeetings,
            "minAge": s.minAge,
        ]
        let values = numbers.mapValues(String.init)
        return compliance.rules.map { rule in
            RuleView(
                text: page.text("rule_" + rule.rule, values),
                passed: rule.passed,
                evidence: rule.findings.map { page.text("finding_" + $0.key, $0.values) }
            )
        }
    }

    /// Saves the posted grid: every meeting it shows whose ticks differ from what is recorded,
    /// each through the API's `recordAttendance` (its checks, its audit row), all in one
    /// transaction (all or nothing). The grid is checked whole first, so a forged or garbled tick
    /// saves nothing; each meeting's write is checked again under the circle's lock, and a refusal
    /// there (a closed circle, a person no longer enrolled) comes back on the grid with nothing saved.
    func saveAttendance(circle id: Int, page: PageContext) async throws -> PageResult {
        let (reach, form) = (reach(page.principal), page.form)
        let ticked = Set(form.all("present"))
        do {
            var present: [Int: Set<Int>] = [:]
            for value in ticked {
                let parts = value.split(separator: ":")
                guard parts.count == 2, let meeting = Int(parts[0]), let person = Int(parts[1]) else {
                    throw FeatureError(.invalidInput, page.text("errorGrid"), field: "present")
                }
                present[meeting, default: []].insert(person)
            }
            let shown = Set(form.all("meeting").compactMap { Int($0) })
            let ticks = present
            let changes = try await store.database.withConnection { db in
                let meetings = try store.meetings(ofCircle: id, reach: reach, in: db)
                let known = Set(meetings.map(\.id))
                // The grid shows only the participants within reach; a tick for another is forged.
                // Withdrawn participants count too: their earlier presence stays as recorded.
                let enrolled = try store.enrolledPeople(inCircle: id, in: db).map(\.id)
                let hidden = Set(enrolled).subtracting(try store.registry.peopleWithinReach(enrolled, reach: reach, in: db))
                guard ticks.keys.allSatisfy(shown.contains), shown.isSubset(of: known), ticks.values.allSatisfy({ $0.isDisjoint(with: hidden) })
                else {
                    throw FeatureError(.invalidInput, page.text("errorGrid"), field: "present")
                }
                return meetings.filter { shown.contains($0.id) }.compactMap { meeting -> (Int, AttendanceDraft)? in
                    // Those not on the grid keep their attendance as recorded.
                    let people = (ticks[meeting.id] ?? []).union(Set(meeting.presentIds).intersection(hidden))
                    // Unchanged (an unrecorded meeting with no ticks stays unrecorded).
                    return people == Set(meeting.presentIds) ? nil : (meeting.id, AttendanceDraft(presentIds: people.sorted()))
                }
            }
            // One transaction for the whole grid: each meeting's API write joins it (a savepoint),
            // so a refusal at a later meeting takes the earlier ones back with it.
            try await store.database.withTaskTransaction {
                for (meeting, draft) in changes {
                    try await page.perform("education", "recordAttendance", path: ["id": String(meeting)], body: draft)
                }
            }
            return page.redirect(to: "/education/circles/\(id)", notice: "attendanceSaved")
        } catch let error as FeatureError where [.invalidInput, .conflict].contains(error.code) {
            return try await circle(id, page: page, posted: ticked, error: error, status: .unprocessableContent)
        }
    }

    // MARK: - Shared pages

    /// Circles within reach that need attention: a completed one that fails a grant rule or is
    /// not reported yet, a running one past its planned end or breaking a rule more meetings
    /// cannot mend (people present, hours per meeting, meetings per week, hours per year).
    func attention(context page: PageContext) async throws -> [AttentionItem] {
        guard page.principal.holds(P.read) else { return [] }
        let (reach, today) = (reach(page.principal), LocalDate.today())
        let checked = try await store.database.withConnection { db in
            let open = try store.openCircles(limit: 200, reach: reach, in: db)
            let known = open.map { verdicts.compliance(ofCircle: $0.row.circle.id, key: $0.factsKey) }
            let changed = zip(open, known).filter { $0.1 == nil }.map(\.0)
            let records = try store.records(ofCircles: changed.map(\.row.circle.id), in: db)
            // `records(ofCircles:)` answers every id asked for; a circle it missed is left out, not trapped on.
            let reached = changed.compactMap { circle in
                let id = circle.row.circle.id
                return records[id].map { (id: id, key: circle.factsKey, compliance: Compliance(circleId: id, record: $0, settings: store.settings)) }
            }
            verdicts.store(reached)
            let fresh = Dictionary(uniqueKeysWithValues: reached.map { ($0.id, $0.compliance) })
            return zip(open, known).compactMap { circle, compliance in (compliance ?? fresh[circle.row.circle.id]).map { (circle.row, $0) } }
        }
        let mendable: Set<String> = ["minimumMeetings", "minimumStudyHours", "countedParticipants"]
        var items: [AttentionItem] = []
        for (row, compliance) in checked {
            let c = row.circle
            let subject = "\(c.subject) (\(row.associationName))"
            let link = "/education/circles/\(c.id)"
            let failing = compliance.rules.filter { !$0.passed && (c.state == .completed || !mendable.contains($0.rule)) }
            if !failing.isEmpty {
                items.append(AttentionItem(title: page.text("attentionRulesFail"), subject: subject, due: nil, overdue: true, link: link))
            }
            if c.state == .completed {
                items.append(AttentionItem(title: page.text("attentionNotReported"), subject: subject, due: c.plannedEnd, overdue: true, link: link))
            } else if c.plannedEnd < today {
                items.append(AttentionItem(title: page.text("attentionPastEnd"), subject: subject, due: c.plannedEnd, overdue: true, link: link))
            }
        }
        return items
    }

    /// The circles a study association organises, or that aim at or formed a cooperative.
    func organisationSection(_ organisationID: Int, context page: PageContext) async throws -> PageSection? {
        guard page.principal.holds(P.read) else { return nil }
        let reach = reach(page.principal)
        let (circles, moves, names) = try await store.database.withConnection { db in
            let moves = try store.responsibilityMoves(organisationId: organisationID, in: db)
            let ids = Set(moves.flatMap { [$0.fromOrganisationId, $0.toOrganisationId].compactMap { $0 } })
            var names: [Int: String] = [:]
            for id in ids { names[id] = try db.queryFirst("SELECT name FROM registry.organisations WHERE id = \(id)")?.decode("name") }
            return (try store.circlesOf(organisation: organisationID, reach: reach, in: db), moves, names)
        }
        guard !circles.isEmpty || !moves.isEmpty else { return nil }
        // The years it organised circles in, each a link to the circle list of that organiser and year.
        let years = Set(
            circles.filter { $0.circle.organiserId == organisationID }.flatMap { Array($0.circle.plannedStart.year...$0.circle.plannedEnd.year) }
        )
        let html = try page.fragment(
            "organisationSection",
            [
                "circles": circles.map { CircleListView($0, page: page) },
                "hasCircles": !circles.isEmpty,
                "moves": moves.map { move -> [String: Any] in
                    var view: [String: Any] = [
                        "on": move.on.description,
                        "text": move.fromOrganisationId.map { from in
                            page.text("movedFromTo", ["from": names[from] ?? String(from), "to": names[move.toOrganisationId] ?? ""])
                        } ?? page.text("movedTo", ["to": names[move.toOrganisationId] ?? ""]),
                    ]
                    if let note = move.note { view["note"] = note }
                    return view
                },
                "years": years.sorted().map { ["year": "\($0)", "link": "/education?organiser=\(organisationID)&year=\($0)"] },
            ]
        )
        return PageSection(title: page.text("circlesTitle"), html: html, link: "/education")
    }
}
