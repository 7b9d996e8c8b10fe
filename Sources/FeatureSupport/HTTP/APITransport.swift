public import HTTPTypes
public import Hummingbird
internal import NIOCore
public import OpenAPIRuntime

/// Where a feature's generated handlers are registered: a router group, as with
/// swift-openapi-hummingbird, but with the host's own conversions. A request without a body hands
/// the handler none instead of an empty stream, and an answer of known length (every JSON answer)
/// is collected into one buffer and written at once instead of through an async sequence, one
/// chunk at a time: the two cost a cheap read about a fifth of its time (`make bench`, step n).
///
/// ```swift
/// try SupervisionAPI(store: store).registerHandlers(on: APITransport(group), configuration: .kooperator)
/// ```
public struct APITransport<Context: RequestContext>: ServerTransport {
    /// The answers collected whole up to this size; a larger one (a download) streams.
    static var collectLimit: Int { 8 * 1024 * 1024 }

    let group: RouterGroup<Context>

    /// A transport over `group` (`/api/v1/<feature>`).
    public init(_ group: RouterGroup<Context>) { self.group = group }

    /// Registers `handler` for `method` at `path` (`/assignments/{id}`) on the group.
    public func register(
        _ handler: @escaping @Sendable (HTTPRequest, HTTPBody?, ServerRequestMetadata) async throws -> (HTTPResponse, HTTPBody?),
        method: HTTPRequest.Method,
        path: String
    ) throws {
        group.on(RouterPath(path), method: method) { request, context in
            // Built in place: a map to pairs and a dictionary from them cost two allocations more.
            var parameters = [String: Substring](minimumCapacity: context.parameters.count)
            for (name, value) in context.parameters where parameters[String(name)] == nil { parameters[String(name)] = value }
            var head = request.head
            // `*/*` (curl's and most HTTP libraries' default) accepts anything, as no Accept does;
            // the generated code parses an Accept header's every range on every request.
            if head.headerFields[.accept] == "*/*" { head.headerFields[.accept] = nil }
            let (answer, body) = try await handler(head, Self.body(of: request), ServerRequestMetadata(pathParameters: parameters))
            return try await Self.response(answer, body: body)
        }
    }

    /// The request's body for the handler; `nil` for a GET, HEAD or DELETE without one. A POST,
    /// PUT or PATCH always has one, if empty, so that its handler says what is missing (an empty
    /// file, say) rather than the runtime answering that there is no body.
    static func body(of request: Request) -> HTTPBody? {
        let length = request.headers[.contentLength].flatMap { Int64($0) }
        let method = request.method
        if method == .get || method == .head || method == .delete, length == nil || length == 0 { return nil }
        return HTTPBody(request.body.map { [UInt8](buffer: $0) }, length: length.map { .known($0) } ?? .unknown, iterationBehavior: .single)
    }

    /// The handler's answer as Hummingbird's: one buffer when its length is known and within
    /// ``collectLimit``, else streamed.
    static func response(_ head: HTTPResponse, body: HTTPBody?) async throws -> Response {
        guard let body else { return Response(status: head.status, headers: head.headerFields, body: ResponseBody()) }
        if case .known(let length) = body.length, length <= collectLimit {
            // Written straight into the answer's buffer, not collected into an array first.
            var buffer = ByteBuffer()
            buffer.reserveCapacity(Int(length))
            for try await chunk in body { buffer.writeBytes(chunk) }
            return Response(status: head.status, headers: head.headerFields, body: ResponseBody(byteBuffer: buffer))
        }
        return Response(status: head.status, headers: head.headerFields, body: ResponseBody(asyncSequence: body.map { ByteBuffer(bytes: $0) }))
    }
}
