import DataAccess
import HTTPTypes
import Hummingbird
import Logging

/// Runs a read (`GET`, `HEAD`) once more when its database connection broke under it, as when
/// the primary fails over or is restarted: the pool drops the broken connection and the second
/// try gets a new one, on whichever node is the primary now. A read changes nothing, so running
/// it twice is safe; a write is never run again here (its COMMIT may have happened: a client
/// retries it with an `Idempotency-Key`). Only a lost connection is retried, never a refused
/// connection or a pool timeout, so a request still ends within `database.acquireTimeoutMs` of
/// its last try.
///
/// It sits inside the error middlewares (``ProblemMiddleware``, ``PageErrorMiddleware``), which
/// turn a second failure into 503 with `Retry-After`.
struct ReadRetryMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard request.method == .get || request.method == .head else { return try await next(request, context) }
        do {
            return try await next(request, context)
        } catch let error where Self.isConnectionLost(error) {
            context.logger.notice("a read lost its database connection; trying once more", metadata: ["error": "\(error)"])
            return try await next(request, context)
        }
    }

    /// Whether `error` is, or wraps, a ``DatabaseError`` of a connection that broke in use.
    static func isConnectionLost(_ error: any Error) -> Bool {
        (ProblemMiddleware<Context>.loggable(error) as? DatabaseError)?.isConnectionLost ?? false
    }
}
