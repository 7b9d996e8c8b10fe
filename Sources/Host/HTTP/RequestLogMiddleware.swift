import Hummingbird
import Logging

/// Logs each request's method, path, status and duration, and never its query string: a
/// search by identity number (`?identityNumber=…`) must not put the number in a log line.
/// (Hummingbird's `LogRequestsMiddleware` logs the whole URI.)
struct RequestLogMiddleware<Context: RequestContext>: RouterMiddleware {
    let level: Logger.Level

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        var status = 500
        defer {
            let elapsed = ContinuousClock.now - start
            context.logger.log(
                level: level,
                "request",
                metadata: [
                    "http.method": .string(request.method.rawValue),
                    "http.path": .string(request.uri.path),
                    "http.status": .stringConvertible(status),
                    "duration_ms": .stringConvertible(elapsed.wholeMilliseconds),
                ]
            )
        }
        do {
            let response = try await next(request, context)
            status = response.status.code
            return response
        } catch let error as any HTTPResponseError {
            status = error.status.code
            throw error
        }
    }
}
