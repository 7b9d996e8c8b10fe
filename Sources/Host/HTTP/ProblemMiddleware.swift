import DataAccess
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import OpenAPIRuntime
import PluginKit

/// Turns every error into an RFC 9457 problem response (`application/problem+json`) and adds
/// `X-Request-ID` and `X-Content-Type-Options: nosniff` to every response (a stored document or
/// a CSV download is never sniffed into something a browser would run). This is the one place
/// where errors become statuses:
///
/// | error | status |
/// |---|---|
/// | Hummingbird's `HTTPError` (no route, bad JSON, body too large) | its own |
/// | ``FeatureError`` | 422, 404, 409, 403, 429 (with `Retry-After`) by code |
/// | ``DatabaseError``: unique violation | 409 |
/// | ``DatabaseError``: foreign-key, check, not-null violation, invalid value | 422 |
/// | ``DatabaseError``: database unavailable | 503 |
/// | OpenAPI runtime's `ServerError` (from a generated handler) | as its underlying error, or the runtime's own status |
/// | ``MalformedBody`` (a JSON body of the wrong shape for its schema) | 400 |
/// | the client closed the connection mid-request (``isClientAbort(_:)``) | 400, logged as a client abort |
/// | anything else | 500, logged: a bug |
struct ProblemMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            var response = try await next(request, context)
            response.headers[.requestID] = context.id
            response.headers[.contentTypeOptions] = "nosniff"
            return response
        } catch {
            let (status, problem) = Self.problem(for: error, request: request, context: context)
            if Self.isClientAbort(error) {
                context.logger.info("client aborted: \(Self.loggable(error))")
            } else if status.code >= 500 && status != .serviceUnavailable {
                context.logger.error("request failed: \(String(reflecting: Self.loggable(error)))")
            } else {
                context.logger.debug("request failed with \(status.code): \(Self.loggable(error))")
            }
            var headers: HTTPFields = [.contentType: "application/problem+json", .requestID: context.id, .contentTypeOptions: "nosniff"]
            if status == .serviceUnavailable { headers[.retryAfter] = "5" }
            if let seconds = Self.retryAfter(error) { headers[.retryAfter] = String(seconds) }
            if let error = error as? HTTPError, let allow = error.headers[.allow] { headers[.allow] = allow }
            if status == .unauthorized { headers[.wwwAuthenticate] = "Bearer" }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            let body = (try? encoder.encode(problem)) ?? Data("{}".utf8)
            return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: body)))
        }
    }

    /// What of an error may be logged: a generated handler's `ServerError` describes the whole
    /// request, its bearer token and body (identity numbers) included, so only its cause is logged.
    static func loggable(_ error: any Error) -> any Error {
        guard let error = error as? ServerError else { return error }
        return loggable(error.underlyingError)
    }

    /// The seconds a ``FeatureError`` of ``FeatureError/Code/tooManyRequests`` asks the caller to wait.
    static func retryAfter(_ error: any Error) -> Int? {
        (loggable(error) as? FeatureError)?.retryAfter
    }

    static func problem(for error: any Error, request: Request, context: Context) -> (HTTPResponse.Status, Problem) {
        var status: HTTPResponse.Status = .internalServerError
        var detail = "an internal error occurred; quote the request id when reporting it"
        var type = "about:blank"
        var pointer: String?
        var errors: [FieldProblem]?
        switch error {
        case _ where isClientAbort(error):
            // Nobody reads the answer; the status is for the access log and the metrics.
            status = .badRequest
            detail = "the client closed the connection before its request was read"
        case let error as ServerError:
            // A generated handler's error arrives wrapped: a thrown error, or a request its
            // operation could not read (a body that does not decode: its DecodingError).
            let cause = error.underlyingError
            if cause is FeatureError || cause is DecodingError || cause is DatabaseError || cause is any HTTPResponseError {
                return problem(for: cause, request: request, context: context)
            }
            // The runtime's own refusal (a required parameter missing, a body of another type).
            status = error.httpStatus
            if status.code < 500 { detail = error.causeDescription }
        case let error as HTTPError:
            status = error.status
            detail = error.body ?? Self.defaultDetail(status, request: request)
        case let error as FeatureError:
            switch error.code {
            case .notFound: status = .notFound
            case .conflict: status = .conflict
            case .forbidden: status = .forbidden
            case .unauthenticated: status = .unauthorized
            case .invalidCursor: status = .badRequest
            case .tooManyRequests: status = .tooManyRequests
            default: status = .unprocessableContent
            }
            detail = error.message
            pointer = error.field
            if !error.problems.isEmpty { errors = error.problems }
            type = "urn:kooperator:problem:" + error.code.description.replacingOccurrences(of: " ", with: "-")
        case let error as DatabaseError:
            if error.isUniqueViolation {
                status = .conflict
            } else if error.isForeignKeyViolation || error.isCheckViolation || error.isNotNullViolation
                || ["22P02", "22007", "22008", "22003", "22001"].contains(error.sqlState ?? "")
            {
                status = .unprocessableContent
            } else if error.isUnavailable {
                status = .serviceUnavailable
            }
            if status != .internalServerError { detail = error.message }
            if error.isUnavailable { detail = "the database is unavailable; try again shortly" }
            type = "urn:kooperator:problem:database"
        case let error as any HTTPResponseError:
            status = error.status
            detail = Self.defaultDetail(status, request: request)
        case let error as MalformedBody:
            status = .badRequest
            detail = error.problems.first.map(\.detail) ?? "the request body does not have the expected shape"
            pointer = error.problems.first?.pointer
            if error.problems.count > 1 { errors = error.problems }
        case let error as DecodingError:
            // A well-formed date outside the supported days breaks a rule rather than the syntax.
            status = Self.isDateOutOfRange(error) ? .unprocessableContent : .badRequest
            (pointer, detail) = Self.describe(error)
        default:
            break
        }
        let problem = Problem(
            type: type,
            title: status.reasonPhrase,
            status: status.code,
            detail: detail,
            instance: request.uri.path,
            requestId: context.id,
            pointer: pointer,
            errors: errors
        )
        return (status, problem)
    }

    /// Whether a body failed on a real date outside ``LocalDate/supported``.
    static func isDateOutOfRange(_ error: DecodingError) -> Bool {
        guard case .dataCorrupted(let context) = error, let date = context.underlyingError as? LocalDate.InputError else { return false }
        return date.code == .outOfRange
    }

    /// The field a body decoding failed at, as a JSON pointer, and why, in words.
    static func describe(_ error: DecodingError) -> (pointer: String?, detail: String) {
        func pointer(_ path: [any CodingKey]) -> String {
            "/" + path.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: "/")
        }
        switch error {
        case .keyNotFound(let key, let context):
            return (pointer(context.codingPath + [key]), "the required field \(key.stringValue) is missing")
        case .valueNotFound(_, let context):
            return (pointer(context.codingPath), "must not be null")
        case .typeMismatch(let type, let context):
            let expected =
                type == String.self
                ? "a string" : type == Int.self || type == Double.self ? "a number" : type == Bool.self ? "true or false" : "\(type)"
            return (pointer(context.codingPath), "must be \(expected)")
        case .dataCorrupted(let context):
            if context.codingPath.isEmpty { return (nil, "the request body is not valid JSON") }
            // The decoder's own words say which value was wrong (an unknown enumeration case, a bad date).
            return (pointer(context.codingPath), context.debugDescription)
        @unknown default:
            return (nil, "the request body does not have the expected shape")
        }
    }

    static func defaultDetail(_ status: HTTPResponse.Status, request: Request) -> String {
        switch status {
        case .notFound: "no route \(request.method) \(request.uri.path)"
        case .methodNotAllowed: "\(request.method) is not allowed on \(request.uri.path)"
        case .contentTooLarge: "the request body is larger than the configured limit (http.maxBodyBytes)"
        case .unsupportedMediaType: "the request body must be application/json"
        default: status.reasonPhrase
        }
    }
}

extension HTTPField.Name {
    static let requestID = HTTPField.Name("X-Request-ID")!
    static let contentTypeOptions = HTTPField.Name("X-Content-Type-Options")!
}
