import DataAccess
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import PluginKit

/// Guards the routes a feature registers from its API document: before the generated handler
/// runs, it finds the operation the request reached, checks the permission the document names for
/// it (401 without a token, 403 without the permission), checks each parameter against its schema
/// (422 naming a query parameter, 400 for a path; an empty query parameter counts as absent),
/// reads the body within `http.maxBodyBytes` (413 beyond; an operation with an
/// `x-kooperator-body-limit` reads its body itself, within that feature setting), and runs the handler with the
/// ``Caller`` as a task-local value (and, for an `x-kooperator-lag-tolerant` report,
/// `Database.lagTolerant`, so it reads from `database.readUrl` when one is set). A route the
/// document does not list is refused, so no handler is ever left open. A write with an
/// `Idempotency-Key` runs through ``IdempotentWrites``.
struct APIOperationMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    let document: APIDocument
    /// Where a write's `Idempotency-Key` and answer are kept.
    let writes: IdempotentWrites

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let operation = document.operation(method: request.method, endpoint: context.endpointPath ?? "") else {
            // A handler the document does not describe: a bug, never reachable without a permission.
            context.logger.error("no operation in the API document of \(document.featureID) for \(request.method) \(context.endpointPath ?? "?")")
            throw FeatureError(.forbidden, "this route is not part of the API", wording: "forbidden")
        }
        let principal = try operation.permission.map { permission in try context.require(permission) }
        var request = try Self.withoutEmptyQueryItems(request)
        // Parsed once: each read of `queryParameters` parses the query again.
        let query = operation.parameters.contains { $0.location != "path" } ? request.uri.queryParameters : [:]
        for parameter in operation.parameters {
            // A path segment comes percent-encoded; its limits (`maxLength`) are of the text the
            // handler reads, decoded (the query's parameters come decoded already).
            let value =
                parameter.location == "path"
                ? context.parameters.get(parameter.name).map { Self.hasPercent($0) ? $0.removingPercentEncoding ?? $0 : $0 }
                : query.get(parameter.name)
            if let value { try parameter.check(value) }
        }
        // The generated code reads the body as a stream without a limit; collect it here within it,
        // and hold a JSON body to its schema, so every limit the document states is enforced; unless
        // the operation names the feature's own limit, within which its handler reads it (a document).
        var body = ByteBuffer()
        if operation.bodyLimit == nil, request.method == .post || request.method == .put || request.method == .patch {
            let bytes = try await request.collectBody(upTo: context.maxUploadSize)
            body = bytes
            if operation.body != nil, request.headers[.contentType] == nil {
                throw HTTPError(.unsupportedMediaType, message: "the request body must be application/json; the Content-Type header is missing")
            }
            // The handler's decoder (Foundation's) reads some text that is not JSON, such as a
            // repeated key's second value, which it never looks at: a body only it reads is checked
            // as it reads it, so no body the handler accepts goes unchecked.
            if let schema = operation.body, request.headers[.contentType]?.lowercased().hasPrefix("application/json") == true,
                let body = (try? JSONValue(parsing: bytes.readableBytesView))
                    ?? (try? JSONDecoder().decode(JSONValue.self, from: Data(bytes.readableBytesView)))
            {
                var problems = APIDocument.BodyProblems()
                document.check(body, against: schema, into: &problems)
                if !problems.malformed.isEmpty { throw MalformedBody(problems: problems.malformed) }
                if !problems.broken.isEmpty {
                    let summary = problems.broken.count == 1 ? problems.broken[0].detail : "\(problems.broken.count) values break the rules"
                    throw FeatureError(.invalidInput, summary, problems: problems.broken)
                }
            }
        }
        func handled() async throws -> Response {
            var response = try await Caller.$task.withValue(principal.map { Caller(principal: $0, requestID: context.id) }) {
                guard operation.lagTolerant else { return try await next(request, context) }
                return try await Database.$lagTolerant.withValue(true) { try await next(request, context) }
            }
            // The OpenAPI runtime writes a string header as it writes a path parameter, percent-encoded;
            // clients and browsers read these two as they are, so they go out plainly, as they always did.
            Self.decodePercents(of: .location, in: &response.headers)
            Self.decodePercents(of: .contentDisposition, in: &response.headers)
            if response.headers[.contentType] == "text/csv" { response.headers[.contentType] = "text/csv; charset=utf-8" }
            return response
        }
        // A write sent with an Idempotency-Key is done once (an operation that streams its own body
        // has no collected body to compare and goes without).
        guard Self.takesIdempotencyKey(operation), let principal, let key = try IdempotentWrites.key(of: request) else {
            return try await handled()
        }
        let fingerprint = IdempotentWrites.fingerprint(method: request.method, path: request.uri.description, body: body.readableBytesView)
        return try await writes.respond(userID: principal.userID, key: key, fingerprint: fingerprint, handled)
    }

    /// Whether `text` has a `%`: a scan of its bytes (Foundation's `contains` of a string searches
    /// through CFString on every request).
    static func hasPercent(_ text: some StringProtocol) -> Bool { text.utf8.contains(UInt8(ascii: "%")) }

    /// The header `name` with its percent-encoding undone, if it has any.
    static func decodePercents(of name: HTTPField.Name, in headers: inout HTTPFields) {
        guard let value = headers[name], hasPercent(value), let plain = value.removingPercentEncoding else { return }
        headers[name] = plain
    }

    /// Whether `operation` honours an `Idempotency-Key`: a `POST`, `PUT` or `PATCH` whose body the
    /// host reads (so the served document names the header on exactly these).
    static func takesIdempotencyKey(_ operation: APIDocument.Operation) -> Bool {
        operation.bodyLimit == nil && [.post, .put, .patch].contains(operation.method)
    }

    /// The request without its empty query items (`?cursor=&limit=5`): a form's empty field means
    /// "not given", as the routes always read it.
    static func withoutEmptyQueryItems(_ request: Request) throws -> Request {
        // A byte scan: most requests have no query, and a character search of the path breaks it
        // into graphemes first.
        guard let path = request.head.path, let mark = path.utf8.firstIndex(of: UInt8(ascii: "?")) else { return request }
        let items = path[path.index(after: mark)...].split(separator: "&", omittingEmptySubsequences: true)
        let kept = items.filter { item in !(item.hasSuffix("=") && item.firstIndex(of: "=") == item.index(before: item.endIndex)) }
        guard kept.count != items.count || items.isEmpty else { return request }
        var head = request.head
        head.path = String(path[..<mark]) + (kept.isEmpty ? "" : "?" + kept.joined(separator: "&"))
        return Request(head: head, body: request.body)
    }
}
