public import Foundation
public import Hummingbird
public import PluginKit

/// What a page handler works with: the signed-in user, the session (language, CSRF token,
/// posted form), the feature's templates and texts, and the host that lays the page out.
///
/// ```swift
/// router.get("cooperatives/{id}", requiring: SupervisionPermissions.read) { request, page in
///     let id = try page.requestContext.parameters.require("id", as: Int.self)
///     let report = try await store.cooperative(id, reach: registry.reach(of: page.principal))
///     return try page.render("cooperative", title: report.name, ["report": report])
/// }
/// ```
public struct PageContext: Sendable {
    /// The signed-in user.
    public let principal: Principal
    /// The browser session.
    public let session: WebSession
    /// The request's context (parameters, logger, request id).
    public let requestContext: AppRequestContext
    /// The path and query the page was asked for, for links back to it.
    public let target: RequestTarget
    /// The templates and texts of the feature whose page this is.
    public let templates: PageTemplates
    /// The host, for the layout and other features' contributions.
    public let host: any PageHost

    /// Creates a context; the host's page router does this for each request.
    public init(
        principal: Principal,
        session: WebSession,
        requestContext: AppRequestContext,
        target: RequestTarget,
        templates: PageTemplates,
        host: any PageHost
    ) {
        self.principal = principal
        self.session = session
        self.requestContext = requestContext
        self.target = target
        self.templates = templates
        self.host = host
    }

    /// The same request for another target's templates (a feature's section on a shared page).
    public func with(templates: PageTemplates) -> PageContext {
        PageContext(principal: principal, session: session, requestContext: requestContext, target: target, templates: templates, host: host)
    }

    /// The viewer's language.
    public var language: Language { session.language }

    /// The posted form (empty for a `GET`).
    public var form: FormValues { session.form }
    /// The files of the posted form (`<form enctype="multipart/form-data">`).
    public var files: [UploadedFile] { session.files }

    /// The text for `key` in the viewer's language.
    public func text(_ key: String) -> String { templates.strings.text(key, language) }

    /// The text for `key` in the viewer's language with its `{placeholders}` filled in.
    public func text(_ key: String, _ values: [String: String]) -> String { Wording(key, values).filling(text(key)) }

    /// `error` as the viewer reads it: its ``FeatureError/wording`` from the catalogue (the
    /// feature's texts over the shared ones) in the viewer's language, or its English message
    /// where the catalogue has no such text.
    public func localized(_ error: FeatureError) -> FeatureError {
        var localized = error
        if error.wording != nil {
            localized = FeatureError(
                error.code,
                templates.strings.message(for: error, language),
                field: error.field,
                cause: error.cause,
                wording: error.wording
            )
        }
        localized.problems = self.localized(error.problems)
        return localized
    }

    /// `problems` as the viewer reads them: each one's ``FieldProblem/wording`` from the
    /// catalogue where it has one, else its English detail.
    public func localized(_ problems: [FieldProblem]) -> [FieldProblem] {
        problems.map { problem in
            guard let wording = problem.wording, let text = templates.strings.text(wording, prefix: "error_", language) else { return problem }
            return FieldProblem(pointer: problem.pointer, detail: text, wording: wording)
        }
    }

    /// The signed-in user as the actor of an audited write, with the request id.
    public var actor: Actor { Actor(userID: principal.userID, name: principal.name, requestID: requestContext.id) }

    /// The values every template sees besides its own: the texts (`t`), the CSRF token
    /// (`csrf`), a fresh double-submit token (`once`) and the language (`lang`).
    public func templateValues(_ data: [String: Any]) -> [String: Any] {
        var values = data
        values["t"] = templates.texts(for: language)
        values["csrf"] = session.csrfToken
        values["once"] = Self.newOnceToken()
        values["lang"] = language.rawValue
        return values
    }

    /// A fragment of HTML from one of the feature's templates (a section for another page).
    ///
    /// - Throws: ``PageSetupError`` for an unknown template.
    public func fragment(_ template: String, _ data: [String: Any] = [:]) throws -> String {
        try templates.render(template, templateValues(data))
    }

    /// A whole page: the feature's template inside the host's layout.
    ///
    /// - Parameters:
    ///   - template: The template's name.
    ///   - title: The page's title (`<title>` and `<h1>`), in the viewer's language.
    ///   - data: The template's values.
    ///   - status: 200, or 422 when a form comes back with its errors.
    /// - Throws: ``PageSetupError`` for an unknown template.
    public func render(_ template: String, title: String, _ data: [String: Any] = [:], status: HTTPResponse.Status = .ok) throws -> PageResult {
        var data = data
        data["title"] = title
        let body = try fragment(template, data)
        return .html(host.document(for: RenderedPage(title: title, body: body), context: self), status: status)
    }

    /// A 303 redirect to a local path, with a notice (a catalogue key of the feature, or text).
    public func redirect(to path: String, notice key: String? = nil) -> PageResult {
        .redirect(to: path, notice: key.map(text))
    }

    /// The address of a write operation's page form (`/<feature>/forms/<operationId>`) with
    /// `values` filled in (its path parameters and any of its fields) and this page to come back
    /// to; `nil` when the viewer may not do it.
    ///
    /// ```swift
    /// page.formLink("supervision", "createPot", ["cooperativeId": "3"], requiring: SupervisionPermissions.potWrite)
    /// ```
    public func formLink(
        _ feature: String,
        _ operationID: String,
        _ values: [String: String] = [:],
        requiring permission: Permission
    )
        -> String?
    {
        guard principal.holds(permission) else { return nil }
        let query = (values.sorted { $0.key < $1.key } + [("back", target.path)])
            .map { QueryEncoding.encode($0.0) + "=" + QueryEncoding.encode($0.1, keeping: ["/"]) }
        return "/\(feature)/forms/\(operationID)?" + query.joined(separator: "&")
    }

    /// The forms a page offers as buttons, each labelled with its catalogue text: those whose
    /// link is not `nil` (``formLink(_:_:_:requiring:)`` answers `nil` to a viewer who may not),
    /// for the shared `{{#actions}}` list of a page's template.
    ///
    /// ```swift
    /// data["actions"] = page.actions([("newPot", page.formLink("supervision", "createPot", requiring: P.potWrite))])
    /// ```
    public func actions(_ links: [(key: String, link: String?)]) -> [[String: String]] {
        links.compactMap { key, link in link.map { ["label": text(key), "link": $0] } }
    }

    /// What every enabled feature knows about an organisation (for the registry's page).
    public func organisationSections(_ organisationID: Int) async throws -> [PageSection] {
        try await host.organisationSections(organisationID, context: self)
    }

    /// A random token for the hidden `_once` field: the host accepts each once, so a form
    /// posted twice (a double click, a reload) makes one record.
    static func newOnceToken() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<4).map { _ in String(generator.next() as UInt64, radix: 36) }.joined()
    }
}
