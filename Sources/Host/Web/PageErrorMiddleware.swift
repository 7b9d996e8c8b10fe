import HTTPTypes
import Hummingbird
import Logging
import PageKit
import PluginKit

/// The edge of the pages: every error becomes an HTML page in the layout (the API's problem
/// bodies are for machines), a page asked for without a session becomes a redirect to the
/// sign-in page, and every page response gets the browser security headers.
///
/// The status is the one the API would give (``ProblemMiddleware/problem(for:request:context:)``
/// decides both): 404 for a record outside the user's reach, as for a missing one; 403 for a
/// missing permission or CSRF token; 409, 422; 500 only for a bug, which is logged.
struct PageErrorMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    let pages: HostPages

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response: Response
        do {
            response = try await next(request, context)
        } catch let error as FeatureError where error.code == .unauthenticated {
            let target = request.method == .get ? LocalPath.safe(request.uri.description) : "/"
            response = Response(
                status: .seeOther,
                headers: [.location: target == "/" ? "/login" : "/login?next=\(QueryEncoding.encode(target, keeping: ["/"]))"]
            )
        } catch {
            response = errorPage(for: error, request: request, context: context)
        }
        Self.secure(&response.headers)
        return response
    }

    func errorPage(for error: any Error, request: Request, context: Context) -> Response {
        let language = context.web?.language ?? Language(code: request.cookies[LanguageCookie.name]?.value)
        var status: HTTPResponse.Status
        var detail: String
        if error is CSRFRefusal {
            status = .forbidden
            detail = pages.templates.strings.text("csrfRefused", language)
        } else {
            let problem = ProblemMiddleware<Context>.problem(for: error, request: request, context: context)
            status = problem.0
            detail = (error as? FeatureError).map { pages.templates.strings.message(for: $0, language) } ?? problem.1.detail
        }
        if status.code >= 500 && status != .serviceUnavailable {
            context.logger.error("page failed: \(String(reflecting: error))")
        } else {
            context.logger.debug("page answered \(status.code): \(error)")
        }
        let strings = pages.templates.strings
        let titleKey = "error\(status.code)"
        let title = strings.entries[titleKey] != nil ? strings.text(titleKey, language) : strings.text("errorOther", language)
        let data: [String: Any] = [
            "t": pages.templates.texts(for: language), "status": status.code, "detail": detail, "requestId": context.id,
        ]
        let body = (try? pages.templates.render("error", data)) ?? ""
        let html = pages.document(
            for: RenderedPage(title: title, body: body),
            principal: context.principal,
            session: context.web,
            language: language,
            target: RequestTarget(request)
        )
        var response = PageResult.html(html, status: status).response
        response.headers[.requestID] = context.id
        return response
    }

    /// No framing, scripts and styles from this host only, forms posting only here, no referrer
    /// to other sites. A response with a policy of its own keeps it (a stored letter:
    /// `PageResult.letter(_:)`, stricter still).
    static func secure(_ headers: inout HTTPFields) {
        if headers[.contentSecurityPolicy] == nil {
            headers[.contentSecurityPolicy] =
                "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'; base-uri 'none'; object-src 'none'"
        }
        headers[.xFrameOptions] = "DENY"
        headers[.referrerPolicy] = "same-origin"
    }
}

extension HTTPField.Name {
    static let xFrameOptions = HTTPField.Name("X-Frame-Options")!
    static let referrerPolicy = HTTPField.Name("Referrer-Policy")!
}
