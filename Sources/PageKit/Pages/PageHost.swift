public import DataAccess

/// What the host does for every feature's pages: wrap them in the layout (header, the
/// navigation of the enabled features, the signed-in user), gather what the other enabled
/// features contribute to a shared page, and run a page's write through the API's own handler.
/// PageKit declares it; the host implements it.
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

    /// Runs the operation `operationID` of `feature`'s API document as the page's signed-in user:
    /// its generated handler behind the document's checks (permission, parameters, body schema),
    /// in this process, so a page's write takes the API's one code path and writes its audit row.
    ///
    /// - Parameters:
    ///   - operationID: The operation's id in the document (`createSession`).
    ///   - feature: The feature whose document it is (`supervision`).
    ///   - path: The operation's path parameters (`["id": "3"]`).
    ///   - body: The JSON body, if the operation takes one.
    ///   - context: The page's request.
    /// - Returns: The JSON the operation answered; `nil` for an answer without a body.
    /// - Throws: A refusal (a body the document refuses, a rule the handler enforces) as the
    ///   ``FeatureError`` of its code with each problem at its field in the viewer's language; any
    ///   other error as the operation threw it (a record outside the viewer's reach: `.notFound`).
    func perform(
        _ operationID: String,
        of feature: String,
        path: [String: String],
        body: JSONValue?,
        context: PageContext
    ) async throws
        -> JSONValue?
}
