import CSVKit
import DataAccess
import FeatureSupport
import Foundation
import Hummingbird
import PageKit
import PluginKit
import Registry

/// The supervision pages: the cooperatives the viewer may see with their assignment in force,
/// hours this month against target and last session; a cooperative's page with its assignments,
/// sessions, goals and hours, and the form that logs a session; the handover of one provider's
/// assignments to another, previewed first. Every read goes through the viewer's reach, so a
/// supervisor asking for a cooperative outside it gets 404, as for a missing one.
struct SupervisionPages: PageProvider {
    let store: SupervisionStore
    let templates: PageTemplates

    typealias P = SupervisionPermissions

    var navigation: [NavigationEntry] { [NavigationEntry(titleKey: "supervisionTitle", path: "/supervision", permission: P.read)] }

    func reach(_ principal: Principal) -> Reach { store.registry.reach(of: principal) }

    func addPages(to router: PageRouter) {
        router.get("", requiring: P.read) { request, page in try await cooperatives(request: request, page: page) }
        router.get("cooperatives/{id}", requiring: P.read) { _, page in
            let id = try page.requestContext.parameters.require("id", as: Int.self)
            return try await cooperative(id, page: page)
        }
        router.post("cooperatives/{id}/sessions", requiring: P.sessionWrite) { _, page in
            let id = try page.requestContext.parameters.require("id", as: Int.self)
            return try await logSession(cooperative: id, page: page)
        }
        router.get("handover", requiring: P.handover) { _, page in
            try await handoverPage(page, form: try await handoverForm(page), preview: nil)
        }
        router.post("handover", requiring: P.handover) { _, page in try await handover(page) }
        // A pot decision's letter as it was written, to read and print (one A4 PDF from the browser).
        router.get("letters/{id}", requiring: P.read) { _, page in
            let (id, reach) = (try page.requestContext.parameters.require("id", as: Int.self), reach(page.principal))
            let letter = try await store.database.withConnection { db in try store.letter(id: id, reach: reach, in: db) }
            return PageResult.letter(letter.text)
        }
    }

    // MARK: - The list

    func cooperatives(request: Request, page: PageContext) async throws -> PageResult {
        let query = try ListQuery(request, sortKeys: Array(SupervisionStore.cooperativeSorts.keys), defaultSort: "name")
        let (reach, today) = (reach(page.principal), LocalDate.today())
        let period = Period.month(of: today)
        let limit = request.wantsCSV ? ListQuery.downloadLimit : query.pageSize
        let offset = request.wantsCSV ? 0 : query.offset
        let (found, hours) = try await store.database.withConnection { db in
            let found = try store.cooperativeList(query, limit: limit, offset: offset, reach: reach, in: db)
            let hours = try store.hours(in: period, reach: reach, in: db)
            return (found, Dictionary(hours.map { ($0.cooperativeId, $0) }) { first, _ in first })
        }
        if request.wantsCSV {
            var csv = CSV("id", "name", "provider", "supervisor", "period", "hours", "targetHours", "lastSession")
            for row in found.rows {
                let h = hours[row.id]
                csv.add(
                    String(row.id),
                    row.name,
                    row.providerName ?? "",
                    row.supervisorName ?? "",
                    period.label,
                    h.map { "\($0.hours)" } ?? "0",
                    h?.targetHours.map { "\($0)" } ?? "",
                    row.lastSession?.description ?? ""
                )
            }
            return .csv(csv, filename: "handledning-kooperativ.csv")
        }
        let list = ListView(
            query: query,
            total: found.total,
            columns: [
                ("name", page.text("cooperative")), ("provider", page.text("provider")), (nil, page.text("supervisor")),
                (nil, page.text("hoursThisMonth", ["period": period.label])),
                ("lastSession", page.text("lastSession")),
            ],
            context: page
        )
        return try page.render(
            "cooperatives",
            title: page.text("supervisionTitle"),
            [
                "list": list, "rows": found.rows.map { CooperativeListView($0, hours: hours[$0.id], page: page) },
                "canHandover": page.principal.holds(P.handover),
            ]
        )
    }

    // MARK: - A cooperative

    func cooperative(_ id: Int, page: PageContext, form: PageForm? = nil, status: HTTPResponse.Status = .ok) async throws -> PageResult {
        let (reach, today) = (reach(page.principal), LocalDate.today())
        let period = Period.month(of: today)
        let (organisation, assignments, sessions, goals, hours, pots, decisions, letters, caseworkers) = try await store.database.withConnection {
            db in
            let organisation = try store.registry.organisation(id: id, reach: reach, in: db)
            let pots = try store.pots(cooperativeId: id, page: PageRequest(limit: 100), today: today, reach: reach, in: db).items
            return (
                organisation,
                try store.assignmentRows(cooperative: id, reach: reach, in: db),
                try store.recentSessions(ofCooperative: id, in: db),
                try store.goals(ofCooperative: id, in: db),
                try store.hours(in: period, reach: reach, in: db).first { $0.cooperativeId == id },
                pots,
                try store.potDecisions(ofCooperative: id, in: db),
                try store.letters(ofCooperative: id, in: db),
                try store.staff.displayNames(pots.map(\.caseworkerUserId), in: db)
            )
        }
        let writable = Self.writable(assignments.map(\.assignment), reach: reach)
        let canWrite = page.principal.holds(P.sessionWrite)
        let sessionForm =
            canWrite && !writable.isEmpty ? (form ?? sessionForm(cooperative: id, assignments: assignments, writable: writable, page: page)) : nil
        var data: [String: Any] = [
            "registryLink": "/registry/organisations/\(id)",
            "assignments": assignments.map { AssignmentView($0, page: page) },
            "sessions": sessions.map { SessionView($0, page: page) },
            "goals": goals.map { GoalView($0, page: page) },
            "pots": pots.map { pot in
                PotView(pot, decisions: decisions[pot.id] ?? [], responsible: pot.caseworkerUserId.flatMap { caseworkers[$0] }, page: page)
            },
            "letters": letters.map { letter in
                [
                    "date": letter.decidedOn.description, "caseNumber": letter.caseNumber, "purpose": letter.purpose,
                    "decision": page.text("letter_" + letter.outcome.rawValue), "link": letter.link,
                ]
            },

            "hours": HoursText.of(hours, page: page),
            "period": period.label,
            "noWritable": canWrite && writable.isEmpty,
        ]
        if let sessionForm { data["form"] = sessionForm }
        let cooperative = ["cooperativeId": String(id)]
        data["newAssignment"] = page.formLink("supervision", "createAssignment", cooperative, requiring: P.assignmentWrite)
        data["newPot"] = page.formLink("supervision", "createPot", cooperative, requiring: P.potWrite)
        data["newGoal"] = page.formLink("supervision", "createGoal", cooperative, requiring: P.goalWrite)
        return try page.render("cooperative", title: organisation.name, data, status: status)
    }

    /// The assignments a session may be logged under: in force, and for a supervisor its own
    /// provider's (as ``SupervisionStore/createSession(_:reach:actor:in:)`` requires).
    static func writable(_ assignments: [Assignment], reach: Reach) -> [Assignment] {
        assignments.filter { assignment in
            guard assignment.state.isInForce else { return false }
            if case .provider(let provider, _) = reach { return assignment.providerId == provider }
            return true
        }
    }

    func sessionForm(cooperative: Int, assignments: [AssignmentRow], writable: [Assignment], page: PageContext) -> PageForm {
        let names = Dictionary(assignments.map { ($0.assignment.id, $0.providerName + ", " + $0.supervisorName) }) { first, _ in first }
        return PageForm(
            action: "/supervision/cooperatives/\(cooperative)/sessions",
            submit: page.text("logSession"),
            fields: [
                FormField(
                    "assignmentId",
                    kind: .select,
                    label: page.text("assignment"),
                    required: true,
                    options: writable.map { FormField.Option(value: String($0.id), label: names[$0.id] ?? String($0.id)) }
                ),
                FormField("date", kind: .date, label: page.text("date"), value: LocalDate.today().description, required: true),
                FormField("minutes", kind: .number, label: page.text("minutes"), required: true, hint: page.text("minutesHint")),
                FormField(
                    "topic",
                    kind: .select,
                    label: page.text("topic"),
                    required: true,
                    options: [FormField.Option(value: "", label: page.text("chooseTopic"))]
                        + SessionTopic.allCases.map { FormField.Option(value: $0.rawValue, label: page.text("topic_" + $0.rawValue)) }
                ),
                FormField("notes", kind: .textarea, label: page.text("notes")),
            ]
        )
    }

    /// Logs a session through the API's `createSession` (its checks, its audit row), once the
    /// form names one of this cooperative's assignments the viewer may log under.
    func logSession(cooperative id: Int, page: PageContext) async throws -> PageResult {
        let (reach, form) = (reach(page.principal), page.form)
        do {
            // The cooperative within reach (404 outside it), and one of its assignments.
            let assignments = try await store.database.withConnection { db in
                _ = try store.registry.organisation(id: id, reach: reach, in: db)
                return try store.assignmentRows(cooperative: id, reach: reach, in: db).map(\.assignment)
            }
            let draft = try Self.sessionDraft(form, allowed: Self.writable(assignments, reach: reach), page: page)
            do {
                try await page.perform("supervision", "createSession", body: draft)
            } catch let error as FeatureError {
                throw error.renamingFields(["on": "date", "topics": "topic"])
            }
            return page.redirect(to: "/supervision/cooperatives/\(id)", notice: "sessionSaved")
        } catch let error as FeatureError where [.invalidInput, .conflict].contains(error.code) {
            let assignments = try await store.database.withConnection { db in try store.assignmentRows(cooperative: id, reach: reach, in: db) }
            var filled = sessionForm(
                cooperative: id,
                assignments: assignments,
                writable: Self.writable(assignments.map(\.assignment), reach: reach),
                page: page
            )
            filled.fill(form, error: error, in: page)
            return try await cooperative(id, page: page, form: filled, status: .unprocessableContent)
        }
    }

    /// The session a posted form describes; every field that does not read is named at once.
    static func sessionDraft(_ form: FormValues, allowed: [Assignment], page: PageContext) throws(FeatureError) -> SessionDraft {
        var problems: [FieldProblem] = []
        let assignment = form["assignmentId"].flatMap(Int.init).flatMap { id in allowed.first { $0.id == id } }
        if assignment == nil { problems.append(FieldProblem(pointer: "assignmentId", detail: page.text("errorAssignment"))) }
        let day = form["date"].flatMap { try? LocalDate(input: $0) }
        if day == nil { problems.append(FieldProblem(pointer: "date", detail: page.text("errorDate"))) }
        let minutes = form["minutes"].flatMap { Int($0) }
        if minutes == nil { problems.append(FieldProblem(pointer: "minutes", detail: page.text("errorMinutes"))) }
        let topic = form["topic"].flatMap(SessionTopic.init(rawValue:))
        if topic == nil { problems.append(FieldProblem(pointer: "topic", detail: page.text("errorTopic"))) }
        guard let assignment, let day, let minutes, let topic else {
            throw FeatureError(.invalidInput, page.text("formHasErrors"), problems: problems)
        }
        return SessionDraft(assignmentId: assignment.id, on: day, minutes: minutes, topics: [topic], notes: form["notes"])
    }

    // MARK: - Handover

    func handoverForm(_ page: PageContext) async throws -> PageForm {
        let providers = try await store.database.withConnection { db in try store.providerChoices(in: db) }
        let options =
            [FormField.Option(value: "", label: page.text("chooseOrganisation"))]
            + providers.map { FormField.Option(value: String($0.id), label: $0.name) }
        return PageForm(
            action: "/supervision/handover",
            submit: page.text("runHandover"),
            fields: [
                FormField("fromProviderId", kind: .select, label: page.text("fromProvider"), required: true, options: options),
                FormField("toProviderId", kind: .select, label: page.text("toProvider"), required: true, options: options),
                FormField("on", kind: .date, label: page.text("handoverOn"), required: true, hint: page.text("handoverOnHint")),
            ]
        )
    }

    func handoverPage(_ page: PageContext, form: PageForm, preview: [MoveView]?, status: HTTPResponse.Status = .ok) async throws -> PageResult {
        try page.render(
            "handover",
            title: page.text("handoverTitle"),
            preview.map { ["form": form, "preview": ["moves": $0, "none": $0.isEmpty] as [String: Any]] } ?? ["form": form],
            status: status
        )
    }

    /// Previews or runs a handover through the API's `runHandover`.
    func handover(_ page: PageContext) async throws -> PageResult {
        let form = page.form
        let previewOnly = form["action"] != "run"
        var filled = try await handoverForm(page)
        do {
            var problems: [FieldProblem] = []
            let from = form["fromProviderId"].flatMap { Int($0) }
            if from == nil { problems.append(FieldProblem(pointer: "fromProviderId", detail: page.text("errorOrganisation"))) }
            let to = form["toProviderId"].flatMap { Int($0) }
            if to == nil { problems.append(FieldProblem(pointer: "toProviderId", detail: page.text("errorOrganisation"))) }
            let day = form["on"].flatMap { try? LocalDate(input: $0) }
            if day == nil { problems.append(FieldProblem(pointer: "on", detail: page.text("errorDate"))) }
            guard let from, let to, let day else { throw FeatureError(.invalidInput, page.text("formHasErrors"), problems: problems) }
            let request = HandoverRequest(fromProviderId: from, toProviderId: to, on: day, preview: previewOnly)
            // The API's handover: its checks and, unless a preview, its audit rows.
            let summary = try await page.perform("supervision", "runHandover", body: request, answer: HandoverSummary.self)
            let names = try await store.database.withConnection { db in try store.personNames(summary.moved.map(\.supervisorId), in: db) }
            guard previewOnly else {
                let notice = page.text("handoverDone", ["count": String(summary.moved.count)])
                return .redirect(to: "/supervision/handover", notice: notice)
            }
            filled.fill(form)
            let moves = summary.moved.map { move in
                MoveView(
                    cooperative: move.cooperativeName,
                    link: "/supervision/cooperatives/\(move.cooperativeId)",
                    endedAssignment: move.endedAssignmentId,
                    newAssignment: move.newAssignmentId.map(String.init) ?? "–",
                    supervisor: names[move.supervisorId] ?? String(move.supervisorId)
                )
            }
            return try await handoverPage(page, form: filled, preview: moves)
        } catch let error as FeatureError where [.invalidInput, .conflict].contains(error.code) {
            filled.fill(form, error: error, in: page)
            return try await handoverPage(page, form: filled, preview: nil, status: .unprocessableContent)
        }
    }

    // MARK: - Forms

    /// Funding pots (`pot`) within reach whose purpose holds `text`, for the assignment form.
    func choices(
        _ kind: String,
        matching text: String?,
        including ids: [Int],
        limit: Int,
        context page: PageContext
    ) async throws
        -> [FormField.Option]
    {
        guard kind == "pot" else { return [] }
        let reach = reach(page.principal)
        let pots = try await store.database.withConnection { db in
            try store.potChoices(matching: text, including: ids, limit: limit, reach: reach, in: db)
        }
        return pots.map { FormField.Option(value: String($0.id), label: "\($0.purpose) (\($0.from) – \($0.to))") }
    }

    // MARK: - Shared pages

    /// Reviews due or overdue, pots ending, and cooperatives without a session for the
    /// inactivity limit, among the cooperatives within reach, each linking to its page.
    func attention(context page: PageContext) async throws -> [AttentionItem] {
        guard page.principal.holds(P.read) else { return [] }
        let (reach, today) = (reach(page.principal), LocalDate.today())
        // Two connections: the start page waits for the slower of the two, not for both.
        async let dueItems = store.database.withConnection { db in try store.due(asOf: today, reach: reach, in: db) }
        async let inactiveItems = store.database.withConnection { db in try store.inactive(asOf: today, reach: reach, in: db) }
        let (due, inactive) = try await (dueItems, inactiveItems)
        return due.map { item in
            AttentionItem(
                title: page.text("due_" + item.kind.rawValue),
                subject: item.cooperativeName,
                due: item.on,
                overdue: item.overdue,
                link: "/supervision/cooperatives/\(item.cooperativeId)"
            )
        }
            + inactive.map { cooperative in
                AttentionItem(
                    title: page.text("inactiveTitle", ["days": String(cooperative.days)]),
                    subject: cooperative.cooperativeName,
                    due: nil,
                    overdue: true,
                    link: "/supervision/cooperatives/\(cooperative.cooperativeId)"
                )
            }
    }

    /// For a cooperative: its assignments in force and its hours this month; for a provider: the
    /// cooperatives it supervises now. `nil` when supervision knows neither.
    func organisationSection(_ organisationID: Int, context page: PageContext) async throws -> PageSection? {
        guard page.principal.holds(P.read) else { return nil }
        let (reach, period) = (reach(page.principal), Period.month(of: LocalDate.today()))
        let (own, supervised, hours) = try await store.database.withConnection { db in
            (
                try store.assignmentRows(cooperative: organisationID, reach: reach, in: db),
                try store.assignmentRows(provider: organisationID, reach: reach, in: db),
                try store.hours(in: period, reach: reach, in: db).first { $0.cooperativeId == organisationID }
            )
        }
        guard !own.isEmpty || !supervised.isEmpty else { return nil }
        let html = try page.fragment(
            "organisationSection",
            [
                "isCooperative": !own.isEmpty,
                "current": own.filter(\.assignment.state.isInForce).map { AssignmentView($0, page: page) },
                "hours": HoursText.of(hours, page: page),
                "period": period.label,
                "supervised": supervised.map { AssignmentView($0, page: page) },
                "isProvider": !supervised.isEmpty,
            ]
        )
        return PageSection(
            title: page.text("supervisionTitle"),
            html: html,
            link: own.isEmpty ? nil : "/supervision/cooperatives/\(organisationID)"
        )
    }
}

extension FeatureError {
    /// The same error with its field pointers renamed (`/on` → `date`), so an error of the API's
    /// names finds the page form's field.
    func renamingFields(_ names: [String: String]) -> FeatureError {
        func rename(_ pointer: String) -> String {
            let name = pointer.split(separator: "/").first.map(String.init) ?? pointer
            return names[name] ?? pointer
        }
        if problems.isEmpty { return FeatureError(code, message, field: field.map(rename), cause: cause, wording: wording) }
        return FeatureError(code, message, problems: problems.map { FieldProblem(pointer: rename($0.pointer), detail: $0.detail) })
    }
}
