import DataAccess
import FeatureSupport
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import PluginKit

/// The API as the pages call it: the host's and every enabled feature's generated handlers behind their
/// documents' checks (permission, parameters, body schema), in this process, without a bearer
/// token (the page's signed-in user is already in the context) and without the problem body: a
/// refusal reaches the form as the error it is, with its catalogue wording. One code path for a
/// write, whether it comes from the API or a page, with the same audit row.
struct InProcessAPI: Sendable {
    /// What an operation answered.
    struct Answer: Sendable {
        var status: HTTPResponse.Status
        /// The JSON body, when it was JSON.
        var body: JSONValue?
    }

    let responder: RouterResponder<AppRequestContext>

    /// The responder over the host's and the features' routes as ``buildRouter(runtime:)`` mounts them.
    init(runtime: HostRuntime, host: APIDocument, documents: [String: APIDocument]) throws {
        let router = Router(context: AppRequestContext.self)
        try HostAPI(runtime: runtime).registerHandlers(
            on: APITransport(
                router.group().add(middleware: APIOperationMiddleware(document: host, writes: IdempotentWrites(database: runtime.database)))
            ),
            configuration: .kooperator
        )
        try addFeatureAPIs(to: router.group("api/v1"), runtime: runtime, documents: documents)
        responder = router.buildResponder()
    }

    /// Calls an operation as the signed-in user of `context`.
    ///
    /// - Parameters:
    ///   - method: The operation's method.
    ///   - path: The whole path, `/api/v1/<feature>/…`, its parameters filled in and percent-encoded.
    ///   - body: The JSON body, if the operation takes one.
    ///   - context: The page's request context: its user, request id and logger.
    /// - Throws: What the operation threw (a ``FeatureError``, the runtime's `ServerError` around
    ///   it, a ``MalformedBody``, a ``DatabaseError``).
    func call(_ method: HTTPRequest.Method, path: String, body: JSONValue? = nil, context: AppRequestContext) async throws -> Answer {
        var fields: HTTPFields = [.accept: "application/json"]
        var requestBody = RequestBody(buffer: ByteBuffer())
        if let body {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            let data = try encoder.encode(body)
            fields[.contentType] = "application/json"
            fields[.contentLength] = String(data.count)
            requestBody = RequestBody(buffer: ByteBuffer(bytes: data))
        }
        let request = Request(head: HTTPRequest(method: method, scheme: nil, authority: nil, path: path, headerFields: fields), body: requestBody)
        // A fresh context of the same user: the page's own carries its parsed form and parameters.
        var inner = context
        inner.coreContext.parameters = .init()
        let response = try await responder.respond(to: request, context: inner)
        let collector = BodyCollector()
        try await response.body.write(collector.writer)
        let bytes = collector.bytes
        let isJSON = response.headers[.contentType]?.lowercased().hasPrefix("application/json") ?? false
        return Answer(status: response.status, body: isJSON ? try? JSONValue(parsing: bytes) : nil)
    }
}
