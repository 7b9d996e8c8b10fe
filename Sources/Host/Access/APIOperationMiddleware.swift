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
        try Self.checkParameters(of: operation, in: request, context: context)
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
        let caller = principal.map { Caller(principal: $0, requestID: context.id) }
        // A write sent with an Idempotency-Key is done once (an operation that streams its own body
        // has no collected body to compare and goes without).
        guard Self.takesIdempotencyKey(operation), let principal, let key = try IdempotentWrites.key(of: request) else {
            return try await Self.respond(to: request, context: context, operation: operation, caller: caller, next: next)
        }
        let fingerprint = IdempotentWrites.fingerprint(method: request.method, path: request.uri.description, body: body.readableBytesView)
        let write = request  // a constant for the closure: a captured `var` would be boxed on the heap
        return try await writes.respond(userID: principal.userID, key: key, fingerprint: fingerprint) {
            try await Self.respond(to: write, context: context, operation: operation, caller: caller, next: next)
        }
    }

    /// Checks each of the operation's parameters that came with the request against its schema
    /// (an empty query parameter counts as absent).
    static func checkParameters(of operation: APIDocument.Operation, in request: Request, context: Context) throws {
        // Parsed once, and only for an operation with query parameters: each read of
        // `queryParameters` parses the query again.
        var query: Hummingbird.Parameters?
        for parameter in operation.parameters {
            // A path segment comes percent-encoded; its limits (`maxLength`) are of the text the
            // handler reads, decoded (the query's parameters come decoded already).
            let value: String?
            if parameter.isInPath {
                value = context.parameters.get(parameter.name).map { hasPercent($0) ? $0.removingPercentEncoding ?? $0 : $0 }
            } else {
                if query == nil { query = request.uri.queryParameters }
                value = query?.get(parameter.name)
            }
            if let value { try parameter.check(value) }
        }
    }

    /// Runs the generated handler as `caller` (and, for a lag-tolerant report, on the standby),
    /// and writes its headers as clients read them.
    static func respond(
        to request: Request,
        context: Context,
        operation: APIDocument.Operation,
        caller: Caller?,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        var response = try await Caller.$task.withValue(caller) {
            guard operation.lagTolerant else { return try await next(request, context) }
            return try await Database.$lagTolerant.withValue(true) { try await next(request, context) }
        }
        plainHeaders(&response.headers)
        return response
    }

    /// The answer's headers as clients and browsers read them: the OpenAPI runtime writes a string
    /// header as it writes a path parameter, percent-encoded, so `Location` and
    /// `Content-Disposition` go out with their percent-encoding undone, as they always did; and
    /// a CSV answer names its character set. One pass over the few headers an answer has.
    static func plainHeaders(_ headers: inout HTTPFields) {
        for index in headers.indices {
            let field = headers[index]
            if field.name == .location || field.name == .contentDisposition {
                if hasPercent(field.value), let plain = field.value.removingPercentEncoding { headers[index].value = plain }
            } else if field.name == .contentType, field.value == "text/csv" {
                headers[index].value = "text/csv; charset=utf-8"
            }
        }
    }

    /// Whether `text` has a `%`: a scan of its bytes (Foundation's `contains` of a string searches
    /// through CFString on every request).
    static func hasPercent(_ text: some StringProtocol) -> Bool { text.utf8.contains(UInt8(ascii: "%")) }

    /// Whether `operation` honours an `Idempotency-Key`: a `POST`, `PUT` or `PATCH` whose body the
    /// host reads (so the served document names the header on exactly these).
    static func takesIdempotencyKey(_ operation: APIDocument.Operation) -> Bool {
        // Compared one by one: an array literal of the three is built on every request.
        operation.bodyLimit == nil && (operation.method == .post || operation.method == .put || operation.method == .patch)
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
