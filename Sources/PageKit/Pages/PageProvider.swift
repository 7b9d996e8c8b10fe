/// A feature's pages for caseworkers and supervisors: its templates and texts, its navigation
/// entry, its routes at `/<feature-id>`, and what it contributes to the host's shared pages
/// (the start page's list of what needs attention, the registry's organisation page).
///
/// The host mounts them only while the feature is enabled, behind the sign-in, and lays every
/// page out the same way. Only ``templates`` and ``addPages(to:)`` are required.
public protocol PageProvider: Sendable {
    /// The feature's templates and texts (`PageTemplates(bundle: .module)`).
    var templates: PageTemplates { get }

    /// The feature's entries in the navigation.
    var navigation: [NavigationEntry] { get }

    /// Adds the feature's pages.
    ///
    /// - Parameter router: The router at `/<feature-id>`.
    func addPages(to router: PageRouter)

    /// What needs attention now (reminders, overdue reviews and reports) among the records the
    /// viewer may see, each linking to its page.
    ///
    /// - Parameter context: The start page's request, with this feature's templates.
    func attention(context: PageContext) async throws -> [AttentionItem]

    /// What the feature knows about an organisation, for the registry's organisation page;
    /// `nil` when it knows nothing or the viewer may not see it.
    ///
    /// - Parameters:
    ///   - organisationID: The organisation, within the viewer's reach.
    ///   - context: The organisation page's request, with this feature's templates.
    func organisationSection(_ organisationID: Int, context: PageContext) async throws -> PageSection?

    /// The records of `kind` a form may refer to (a property of an API document with
    /// `x-kooperator-reference: <feature-id>.<kind>`), among those the viewer may see, by name:
    /// those whose name contains `text` (any when `nil`), at most `limit`, and those with the
    /// given ids (the values already chosen), each as the option's value (its id) and label.
    ///
    /// - Parameters:
    ///   - kind: What is referred to, e.g. `person` or `cooperative`.
    ///   - text: The search text typed next to the field.
    ///   - ids: Records to include whatever the text.
    ///   - limit: The most records found by the text.
    ///   - context: The form's request, with this feature's templates.
    func choices(_ kind: String, matching text: String?, including ids: [Int], limit: Int, context: PageContext) async throws -> [FormField.Option]
}

extension PageProvider {
    /// No navigation entry.
    public var navigation: [NavigationEntry] { [] }
    /// Nothing needs attention.
    public func attention(context: PageContext) async throws -> [AttentionItem] { [] }
    /// Nothing to say about organisations.
    public func organisationSection(_ organisationID: Int, context: PageContext) async throws -> PageSection? { nil }
    /// Nothing to refer to.
    public func choices(
        _ kind: String,
        matching text: String?,
        including ids: [Int],
        limit: Int,
        context: PageContext
    ) async throws
        -> [FormField.Option]
    { [] }
}
