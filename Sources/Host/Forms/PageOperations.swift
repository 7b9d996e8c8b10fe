import DataAccess
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import PageKit
import PluginKit

/// A feature page's write through the API (``PageHost/perform(_:of:path:body:context:)``): the
/// operation found by its id in the feature's document, called in process as the page's user
/// (``InProcessAPI``), its refusal turned into the ``FeatureError`` a page form shows at its
/// fields, in the viewer's language, exactly as the generic forms show it (``OperationForms``).
struct PageOperations: Sendable {
    let api: InProcessAPI
    /// Every API document by where its pages are: each feature's, the host's own at `admin`.
    let documents: [String: APIDocument]

    func perform(
        _ operationID: String,
        of feature: String,
        path: [String: String],
        body: JSONValue?,
        context page: PageContext
    ) async throws
        -> JSONValue?
    {
        guard let document = documents[feature], let operation = document.operations.first(where: { $0.id == operationID }) else {
            // A page naming an operation its document lacks is a fault of the code, not of the input.
            throw PageSetupError("the API of \(feature) has no operation \(operationID)")
        }
        let apiPath = try OperationForm(document: document, operation: operation).apiPath(path)
        do {
            return try await api.call(operation.method, path: apiPath, body: body, context: page.requestContext).body
        } catch {
            let request = Request(
                head: HTTPRequest(method: operation.method, scheme: nil, authority: nil, path: apiPath),
                body: RequestBody(buffer: ByteBuffer())
            )
            let cause = ProblemMiddleware<AppRequestContext>.loggable(error)
            guard let problems = OperationForms.formProblems(cause, request: request, page: page) else { throw cause }
            // A record the body names but that is not there is the field's problem, as in the generic forms.
            let code: FeatureError.Code = (cause as? FeatureError)?.code == .conflict ? .conflict : .invalidInput
            // One problem is the refusal's message too (a button without fields shows it on the error page).
            throw FeatureError(code, problems.count == 1 ? problems[0].detail : page.text("formHasErrors"), problems: problems)
        }
    }
}
