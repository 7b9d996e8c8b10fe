import Hummingbird
import OpenAPIRuntime
import Synchronization

/// Carries a document's media type past the generated code, which has no place for it: a
/// document may be of any type the settings allow, so `openapi.yaml` takes and sends `*/*`.
///
/// On the way in, the upload's `Content-Type` reaches the handler that checks it against
/// `allowedContentTypes`; on the way out, the download goes out with the type it was stored with
/// (the generated code would say `*/*`), whatever the client's `Accept` (the generated code
/// refuses a concrete one for `*/*`). A server middleware of the feature's generated handlers; every
/// other operation passes untouched.
struct DocumentMediaTypes: ServerMiddleware {
    /// The media types of one document operation.
    final class Exchange: Sendable {
        /// The request's `Content-Type`, as sent.
        let received: String?
        /// The response's `Content-Type`, once the handler names it.
        let sent = Mutex<String?>(nil)

        init(received: String?) { self.received = received }
    }

    /// The exchange of the document operation running in this task.
    @TaskLocal static var exchange: Exchange?

    /// The `Content-Type` of the upload being handled; `nil` when none was sent.
    static var received: String? { exchange?.received }

    /// Sends the download being handled as `type`.
    static func send(_ type: String) { exchange?.sent.withLock { $0 = type } }

    /// The operations whose bodies are documents.
    static let upload = Operations.AttachAgreementDocument.id
    static let download = Operations.GetAgreementDocument.id

    func intercept(
        _ request: HTTPRequest,
        body: HTTPBody?,
        metadata: ServerRequestMetadata,
        operationID: String,
        next: @Sendable (HTTPRequest, HTTPBody?, ServerRequestMetadata) async throws -> (HTTPResponse, HTTPBody?)
    ) async throws -> (HTTPResponse, HTTPBody?) {
        guard operationID == Self.upload || operationID == Self.download else { return try await next(request, body, metadata) }
        var request = request
        if operationID == Self.download { request.headerFields[.accept] = nil }
        let exchange = Exchange(received: request.headerFields[.contentType])
        var (response, responseBody) = try await Self.$exchange.withValue(exchange) { try await next(request, body, metadata) }
        if let type = exchange.sent.withLock({ $0 }) { response.headerFields[.contentType] = type }
        return (response, responseBody)
    }
}
