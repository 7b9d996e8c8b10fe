import DataAccess
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import PageKit
import PluginKit

/// The page forms of a feature's write operations, at `/<feature>/forms/<operationId>`, for the
/// users who hold each operation's permission: the form derived from the request schema
/// (``OperationForm``), its path parameters and any prefilled values in the query
/// (`/supervision/forms/createPot?cooperativeId=3`).
///
/// A post decodes the form into the operation's JSON body and calls the operation's generated
/// handler in-process (``InProcessAPI``): the same checks and the same audit row as the API. A
/// refusal comes back as the same form, filled in, with each error at its field and the summary
/// on top (422); a success redirects to the record (303, post/redirect/get). A destructive step
/// (`confirm: true`) asks on a page of its own first. The search button next to a record's field
/// posts the form back with the records whose name holds the text.
struct OperationForms: Sendable {
    let document: APIDocument
    /// Where the forms are: the feature's id, `admin` for the host's own operations.
    let pagesID: String
    let pages: any PageProvider
    let providers: [HostPages.Provider]
    let api: InProcessAPI

    /// How many records a reference field offers.
    static let choiceLimit = 25

    /// The operations that get a generic form: the document's writes with a permission, bar the
    /// ones ``MachineOperations`` lists and those whose form is a page of the feature's own.
    static func forms(in document: APIDocument, pagesID: String? = nil) -> [OperationForm] {
        document.operations.filter { operation in
            OperationForm.isWrite(operation) && operation.permission != nil
                && MachineOperations.reason(feature: document.featureID, operation: operation.id) == nil
        }
        .map { OperationForm(document: document, operation: $0, pagesID: pagesID) }
        .filter { $0.options.page == nil }
    }

    func addPages(to router: PageRouter) {
        for form in Self.forms(in: document, pagesID: pagesID) {
            guard let permission = form.operation.permission else { continue }
            router.get(RouterPath("forms/\(form.operation.id)"), requiring: permission) { request, page in
                try await show(form.shown(to: page.principal), request: request, page: page)
            }
            router.post(RouterPath("forms/\(form.operation.id)"), requiring: permission) { request, page in
                try await submit(form, request: request, page: page)
            }
            router.get(RouterPath("forms/\(form.operation.id)/choices"), requiring: permission) { request, page in
                try await matches(form, request: request, page: page)
            }
        }
    }

    /// The records a reference field of the form may name whose name holds `q`, as JSON
    /// (`[{"value": "3", "label": "Café Gläntan"}]`): what the combobox script lists as the user
    /// types. Without the script the search button beside the field does the same.
    func matches(_ form: OperationForm, request: Request, page: PageContext) async throws -> PageResult {
        let query = Self.query(of: request)
        let field = query.first { $0.name == "field" }?.value ?? ""
        let text = query.first { $0.name == "q" }?.value.trimmingCharacters(in: .whitespaces) ?? ""
        let path = field.replacing(/\.[0-9]+\./, with: ".")
        guard case .reference(let kind)? = form.labelledPaths().first(where: { $0.path == path })?.shape else {
            throw FeatureError(.invalidInput, "the form has no record field named \(field)", field: "field")
        }
        let found = try await choices(kind, matching: text.isEmpty ? nil : text, including: [], page: page)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let body = try encoder.encode(found.map { ["value": $0.value, "label": $0.label] })
        return PageResult(
            Response(
                status: .ok,
                headers: [.contentType: "application/json", .cacheControl: "no-store"],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: body))
            )
        )
    }

    // MARK: - Showing

    /// The empty form, with what the query fills in, or an edit's record as it stands.
    func show(_ form: OperationForm, request: Request, page: PageContext) async throws -> PageResult {
        let texts = OperationForm.Texts(page: page, operationID: form.operation.id)
        let query = Self.query(of: request)
        let path = Self.pathValues(form, query: query)
        var values = FormValues(query.filter { !form.pathParameters.contains($0.name) && !$0.name.hasPrefix("_") })
        if let prefill = form.options.prefill, let read = document.operations.first(where: { $0.id == prefill }) {
            let answer = try await api.call(
                .get,
                path: try OperationForm(document: document, operation: read).apiPath(path),
                context: page.requestContext
            )
            if let record = answer.body {
                values = FormValues(
                    Self.formPairs(record, schema: form.schema, language: page.language).filter { !form.options.fresh.contains($0.name) }
                )
            }
        }
        var fields = form.fields(texts)
        for index in fields.indices { fields[index].fill(values) }
        try await resolveReferences(&fields, form: form, values: values, page: page)
        try await narrowTransitions(&fields, form: form, path: path, page: page)
        return try render(form, fields: fields, path: path, back: Self.back(query), texts: texts, page: page)
    }

    /// Leaves each state field with only the states the record may move to from its own, as its
    /// enumeration's documented transitions say (the option `current` names the read); the handler
    /// still refuses any other, so this spares a choice that could only be refused.
    func narrowTransitions(_ fields: inout [FormField], form: OperationForm, path: [String: String], page: PageContext) async throws {
        guard let current = form.options.current, let read = document.operations.first(where: { $0.id == current }) else { return }
        let transitions = OperationForm.properties(of: form.schema ?? .null).compactMap { name, schema -> (String, [String: [String]])? in
            guard let map = schema.objectValue?[OperationForm.transitionsKey]?.objectValue else { return nil }
            return (name, map.mapValues { $0.arrayValue?.compactMap(\.stringValue) ?? [] })
        }
        guard !transitions.isEmpty else { return }
        let record = try await api.call(
            .get,
            path: try OperationForm(document: document, operation: read).apiPath(path),
            context: page.requestContext
        ).body
        for (name, map) in transitions {
            guard let state = record?.objectValue?[name]?.stringValue, let next = map[state],
                let index = fields.firstIndex(where: { $0.name == name })
            else { continue }
            fields[index].options.removeAll { !$0.value.isEmpty && !next.contains($0.value) }
        }
    }

    /// The form's page.
    func render(
        _ form: OperationForm,
        fields: [FormField],
        problems: [FieldProblem] = [],
        path: [String: String],
        back: String,
        texts: OperationForm.Texts,
        page: PageContext,
        status: HTTPResponse.Status = .ok
    ) throws -> PageResult {
        var pageForm = PageForm(action: Self.action(form, path: path, back: back), submit: texts.form("submit", else: "save"), fields: fields)
        pageForm.mark(problems)
        return try page.render(
            "operationForm",
            title: texts.form("title", else: "save"),
            ["form": pageForm, "intro": texts.first(["form.\(form.operation.id).intro"]) ?? "", "back": back],
            status: status
        )
    }

    // MARK: - Posting

    /// Posts `whole` (every restricted field in it) as the viewer may: a field withheld from the
    /// viewer but posted anyway goes on to the handler, which refuses it as the API does.
    func submit(_ whole: OperationForm, request: Request, page: PageContext) async throws -> PageResult {
        let texts = OperationForm.Texts(page: page, operationID: whole.operation.id)
        let query = Self.query(of: request)
        let values = page.form
        let form = whole.shown(to: page.principal)
        let (path, back) = (Self.pathValues(form, query: query), Self.back(query))
        var fields = form.fields(texts, rows: Self.rows(values))
        for index in fields.indices { fields[index].fill(values) }
        // The search next to a record's field, or one row more: the same form back, nothing sent.
        if values.raw("_search") != nil || values.raw("_add") != nil {
            try await resolveReferences(&fields, form: form, values: values, page: page)
            return try render(form, fields: fields, path: path, back: back, texts: texts, page: page)
        }
        let sent = whole.fillsWithheld(values, principal: page.principal) ? whole : form
        let (body, problems) = sent.body(from: values, texts: texts)
        if !problems.isEmpty {
            return try await refused(form, fields: fields, problems: problems, values: values, path: path, back: back, texts: texts, page: page)
        }
        if form.needsConfirmation(values), values.raw("_confirmed") != "yes" {
            return try confirmation(form, fields: fields, values: values, path: path, back: back, texts: texts, page: page)
        }
        let answer: InProcessAPI.Answer
        do {
            answer = try await api.call(form.operation.method, path: try form.apiPath(path), body: body, context: page.requestContext)
        } catch {
            guard let problems = Self.formProblems(error, request: request, page: page) else { throw error }
            return try await refused(form, fields: fields, problems: problems, values: values, path: path, back: back, texts: texts, page: page)
        }
        let target = form.options.then.map { Self.fill($0, answer: answer.body, body: body, path: path) } ?? back
        if !form.options.shows.isEmpty { return try shown(form, answer: answer.body, next: target, texts: texts, page: page) }
        return .redirect(to: target, notice: texts.form("done", else: "saved"))
    }

    /// The page that shows the fields of an answer once (an issued token), which is never shown again.
    func shown(_ form: OperationForm, answer: JSONValue?, next: String, texts: OperationForm.Texts, page: PageContext) throws -> PageResult {
        let fields = form.options.shows.compactMap { name -> [String: String]? in
            guard let value = answer?.objectValue?[name].flatMap(Self.text) else { return nil }
            return ["label": texts.label(name), "value": value]
        }
        // Pages are `no-store` already (PageResult.html), so the browser keeps no copy.
        return try page.render(
            "operationResult",
            title: texts.form("title", else: "save"),
            ["done": texts.form("done", else: "saved"), "fields": fields, "next": next]
        )
    }

    /// The form again with its errors (422).
    func refused(
        _ form: OperationForm,
        fields: [FormField],
        problems: [FieldProblem],
        values: FormValues,
        path: [String: String],
        back: String,
        texts: OperationForm.Texts,
        page: PageContext
    ) async throws -> PageResult {
        var fields = fields
        try await resolveReferences(&fields, form: form, values: values, page: page)
        try await narrowTransitions(&fields, form: form, path: path, page: page)
        return try render(form, fields: fields, problems: problems, path: path, back: back, texts: texts, page: page, status: .unprocessableContent)
    }

    /// The page that asks before a destructive step: what will happen, what was entered, and a
    /// button that sends the same values again, confirmed.
    func confirmation(
        _ form: OperationForm,
        fields: [FormField],
        values: FormValues,
        path: [String: String],
        back: String,
        texts: OperationForm.Texts,
        page: PageContext
    ) throws -> PageResult {
        let entered = fields.flatMap(\.flattened).compactMap { field -> [String: String]? in
            let shown: String
            switch field.kind {
            case .checkbox: shown = page.text(field.checked ? "yes" : "no")
            case .select, .reference: shown = field.options.first { $0.selected && !$0.value.isEmpty }?.label ?? field.value
            case .choices: shown = field.options.filter(\.selected).map(\.label).joined(separator: ", ")
            default: shown = field.value
            }
            return shown.isEmpty ? nil : ["label": field.label, "value": shown]
        }
        return try page.render(
            "operationConfirm",
            title: texts.form("title", else: "save"),
            [
                "action": Self.action(form, path: path, back: back),
                "consequence": texts.form("confirm", else: "confirmHint"),
                "entered": entered,
                "pairs": values.pairs.filter { !$0.name.hasPrefix("_") }.map { ["name": $0.name, "value": $0.value] },
                "confirmButton": texts.form("submit", else: "save"),
                "back": back,
            ]
        )
    }

    /// A refusal as problems at the form's fields; `nil` for an error that is not the form's
    /// (a missing record of the address, a fault), which the page's error handling shows.
    static func formProblems(_ error: any Error, request: Request, page: PageContext) -> [FieldProblem]? {
        switch ProblemMiddleware<AppRequestContext>.loggable(error) {
        case let error as FeatureError where [.invalidInput, .conflict].contains(error.code) || (error.code == .notFound && error.field != nil):
            let localized = page.localized(error)
            return localized.problems.isEmpty ? [FieldProblem(pointer: localized.field ?? "", detail: localized.message)] : localized.problems
        case let error as MalformedBody:
            return page.localized(error.problems)
        case let error as DatabaseError:
            let (status, problem) = ProblemMiddleware<AppRequestContext>.problem(for: error, request: request, context: page.requestContext)
            return (400..<500).contains(status.code) ? [FieldProblem(pointer: problem.pointer ?? "", detail: problem.detail)] : nil
        default:
            return nil
        }
    }

    // MARK: - Records chosen by name

    /// Gives each reference field its candidates: the records whose name holds the text typed
    /// beside it, else the first by name, and always the one chosen.
    func resolveReferences(_ fields: inout [FormField], form: OperationForm, values: FormValues, page: PageContext) async throws {
        let kinds = Dictionary(
            form.labelledPaths().compactMap { path, shape -> (String, String)? in
                switch shape {
                case .reference(let kind), .references(let kind): (path, kind)
                default: nil
                }
            }
        ) { first, _ in first }
        guard !kinds.isEmpty else { return }
        for index in fields.indices {
            try await visitAsync(&fields[index]) { field in
                let labelPath = field.name.replacing(/\.[0-9]+\./, with: ".")
                guard let kind = kinds[labelPath], field.kind == .reference || field.kind == .choices else { return }
                let chosen = field.kind == .choices ? values.all(field.name).compactMap { Int($0) } : [Int(field.value)].compactMap { $0 }
                let text = field.query.isEmpty ? nil : field.query
                let found = try await choices(kind, matching: text, including: chosen, page: page)
                if field.kind == .reference {
                    let none = FormField.Option(value: "", label: page.text(found.isEmpty ? "noneFound" : "choose"))
                    field.options = [none] + found.map { FormField.Option(value: $0.value, label: $0.label, selected: $0.value == field.value) }
                } else {
                    let picked = Set(chosen.map(String.init))
                    field.options = found.map { FormField.Option(value: $0.value, label: $0.label, selected: picked.contains($0.value)) }
                }
            }
        }
    }

    /// The records of `kind` (`registry.person`) from the feature that owns them.
    func choices(_ kind: String, matching text: String?, including ids: [Int], page: PageContext) async throws -> [FormField.Option] {
        let parts = kind.split(separator: ".", maxSplits: 1).map(String.init)
        guard parts.count == 2, let owner = providers.first(where: { $0.featureID == parts[0] }) else { return [] }
        return try await owner.pages.choices(
            parts[1],
            matching: text,
            including: ids,
            limit: Self.choiceLimit,
            context: page.with(templates: owner.pages.templates)
        )
    }

    func visitAsync(_ field: inout FormField, _ body: (inout FormField) async throws -> Void) async throws {
        guard field.kind == .group else { return try await body(&field) }
        for index in field.children.indices { try await visitAsync(&field.children[index], body) }
    }

    // MARK: - Addresses and values

    /// The page's query as name and value pairs.
    static func query(of request: Request) -> [(name: String, value: String)] {
        request.uri.queryParameters.map { (String($0.key), String($0.value)) }
    }

    /// The path parameters from the query.
    static func pathValues(_ form: OperationForm, query: [(name: String, value: String)]) -> [String: String] {
        Dictionary(query.filter { form.pathParameters.contains($0.name) }.map { ($0.name, $0.value) }) { first, _ in first }
    }

    /// Where the form came from (`?back=`, a local path), else the feature's start page.
    static func back(_ query: [(name: String, value: String)]) -> String {
        LocalPath.safe(query.first { $0.name == "back" }?.value)
    }

    /// The form's action: its page with the path parameters and where it came from.
    static func action(_ form: OperationForm, path: [String: String], back: String) -> String {
        var items = form.pathParameters.compactMap { name in path[name].map { URLQueryItem(name: name, value: $0) } }
        if back != "/" { items.append(URLQueryItem(name: "back", value: back)) }
        var components = URLComponents()
        components.path = form.pagePath
        components.queryItems = items.isEmpty ? nil : items
        return components.string ?? form.pagePath
    }

    /// How many rows each list of objects in a posted form shows: those posted, one more for `_add`.
    static func rows(_ values: FormValues) -> [String: Int] {
        var rows: [String: Int] = [:]
        for pair in values.pairs {
            let parts = pair.name.split(separator: ".")
            for (index, part) in parts.enumerated() where index > 0 {
                if let number = Int(part) {
                    let list = parts[..<index].joined(separator: ".")
                    rows[list] = max(rows[list] ?? 1, number + 1)
                }
            }
        }
        if let list = values.raw("_add") { rows[list] = (rows[list] ?? 1) + 1 }
        return rows
    }

    /// `template` with each `{name}` filled from the answer, the body sent or the path.
    static func fill(_ template: String, answer: JSONValue?, body: JSONValue?, path: [String: String]) -> String {
        var result = template
        for match in template.matches(of: /\{([A-Za-z0-9_]+)\}/) {
            let name = String(match.1)
            let value = [answer?.objectValue?[name], body?.objectValue?[name]].compactMap { $0 }.first.flatMap(Self.text) ?? path[name] ?? ""
            result = result.replacingOccurrences(of: "{\(name)}", with: value.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? "")
        }
        return result
    }

    /// A scalar as text.
    static func text(_ value: JSONValue) -> String? {
        switch value {
        case .string(let text): text
        case .int(let number): String(number)
        case .double(let number): OperationForm.plain(number)
        case .bool(let flag): flag ? "on" : nil
        default: nil
        }
    }

    /// A record (an edit's current values) as the form's fields, names dotted as the form's are;
    /// an amount with a decimal comma in Swedish.
    static func formPairs(_ record: JSONValue, schema: JSONValue?, language: Language, prefix: String = "") -> [(name: String, value: String)] {
        guard let members = record.objectValue else { return [] }
        var pairs: [(name: String, value: String)] = []
        let properties = Dictionary(schema.map(OperationForm.properties(of:)) ?? [], uniquingKeysWith: { first, _ in first })
        for (name, value) in members.sorted(by: { $0.key < $1.key }) {
            let path = prefix.isEmpty ? name : prefix + "." + name
            let shape = properties[name].map(OperationForm.shape(of:))
            switch value {
            case .object:
                pairs += formPairs(value, schema: properties[name], language: language, prefix: path)
            case .array(let items):
                pairs += items.compactMap(text).map { (path, $0) }
            case .double(let number) where shape == .amount:
                pairs.append((path, Kronor.input(Decimal(number), language)))
            default:
                if let text = text(value) { pairs.append((path, text)) }
            }
        }
        return pairs
    }
}
