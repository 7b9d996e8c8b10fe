/// What the host does for every feature's pages: wrap them in the layout (header, the
/// navigation of the enabled features, the signed-in user) and gather what the other enabled
/// features contribute to a shared page. PageKit declares it; the host implements it.
public protocol PageHost: Sendable {
    /// The whole HTML document for a page.
    ///
    /// - Parameters:
    ///   - page: The page's title and content.
    ///   - context: The request it answers.
    func document(for page: RenderedPage, context: PageContext) -> String

    /// What every enabled feature knows about an organisation, for its registry page.
    ///
    /// - Parameters:
    ///   - organisationID: The registry organisation, already checked to be within reach.
    ///   - context: The request it answers.
    func organisationSections(_ organisationID: Int, context: PageContext) async throws -> [PageSection]
}
