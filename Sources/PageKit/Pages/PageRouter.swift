public import Hummingbird
public import PluginKit

/// Where a feature adds its pages: a router group at `/<feature-id>` whose every route checks a
/// permission and hands the handler a ``PageContext``. The host's session middleware has
/// already signed the user in (or sent the browser to the sign-in page) and checked the CSRF
/// token of a posted form.
///
/// ```swift
/// router.get("", requiring: SupervisionPermissions.read) { request, page in
///     try page.render("cooperatives", title: page.text("cooperativesTitle"), ["rows": rows])
/// }
/// ```
public struct PageRouter {
    /// The group at `/<feature-id>`.
    public let group: RouterGroup<AppRequestContext>
    /// The feature's templates and texts.
    public let templates: PageTemplates
    /// The host that lays the pages out.
    public let host: any PageHost
    /// Where the group is mounted (`/esf`), as the router names its routes.
    let prefix: String
    /// The routes that take uploads, shared with the host's session middleware.
    let uploads: UploadRoutes

    /// Creates a router; the host does this for each enabled feature with pages.
    ///
    /// - Parameters:
    ///   - group: The group at `prefix`.
    ///   - prefix: Its path, `/<feature-id>`.
    ///   - templates: The feature's templates and texts.
    ///   - host: The host that lays the pages out.
    ///   - uploads: Where the routes that take uploads are recorded.
    public init(group: RouterGroup<AppRequestContext>, prefix: String, templates: PageTemplates, host: any PageHost, uploads: UploadRoutes) {
        self.group = group
        self.prefix = prefix
        self.templates = templates
        self.host = host
        self.uploads = uploads
    }

    /// Adds a page answering `GET`.
    ///
    /// - Parameters:
    ///   - path: The path under `/<feature-id>`.
    ///   - permission: What the user must hold: without it the page answers 403.
    ///   - handler: Renders the page (or a CSV download of what it lists).
    @discardableResult
    public func get(
        _ path: RouterPath = "",
        requiring permission: Permission,
        use handler: @escaping @Sendable (Request, PageContext) async throws -> PageResult
    ) -> Self {
        on(path, method: .get, requiring: permission, use: handler)
    }

    /// Adds a form target answering `POST` (CSRF-checked by the host; a `_once` token already
    /// used answers with the first post's redirect).
    ///
    /// - Parameters:
    ///   - path: The path under `/<feature-id>`.
    ///   - permission: What the user must hold: without it the post answers 403.
    ///   - handler: Does the write and redirects, or renders the form again with its errors.
    @discardableResult
    public func post(
        _ path: RouterPath = "",
        requiring permission: Permission,
        use handler: @escaping @Sendable (Request, PageContext) async throws -> PageResult
    ) -> Self {
        on(path, method: .post, requiring: permission, use: handler)
    }

    /// Adds a form target answering `POST` that takes a file (`multipart/form-data`, up to the
    /// host's upload limit): the host reads the body only for a user who holds `permission`. The
    /// files are ``PageContext/files``.
    ///
    /// - Parameters:
    ///   - path: The path under `/<feature-id>`.
    ///   - permission: What the user must hold: without it the post answers 403, its body unread.
    ///   - handler: Stores the file and redirects, or renders the form again with its errors.
    @discardableResult
    public func upload(
        _ path: String,
        requiring permission: Permission,
        use handler: @escaping @Sendable (Request, PageContext) async throws -> PageResult
    ) -> Self {
        uploads.add(prefix + RouterPath(path).description, requiring: permission)
        return on(RouterPath(path), method: .post, requiring: permission, use: handler)
    }

    private func on(
        _ path: RouterPath,
        method: HTTPRequest.Method,
        requiring permission: Permission,
        use handler: @escaping @Sendable (Request, PageContext) async throws -> PageResult
    ) -> Self {
        let (templates, host) = (self.templates, self.host)
        group.on(path, method: method) { request, context -> PageResult in
            guard let session = context.web, context.principal != nil else {
                throw FeatureError(.unauthenticated, "sign in to see this page")
            }
            let principal = try context.require(permission)
            let page = PageContext(
                principal: principal,
                session: session,
                requestContext: context,
                target: RequestTarget(request),
                templates: templates,
                host: host
            )
            // A download in the reader's spreadsheet dialect (`;` and a decimal comma in Swedish).
            return try await handler(request, page).reading(page.language)
        }
        return self
    }
}
