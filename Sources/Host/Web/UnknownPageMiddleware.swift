import HTTPTypes
import Hummingbird
import PageKit
import PluginKit

/// A path no route answers, asked for by a browser: the HTML 404 page in the layout, in the
/// reader's language (the language cookie the pages use), instead of the problem body an API
/// client gets. A request "is a browser's" when it accepts `text/html` and is not under `/api/`;
/// everything else keeps ``ProblemMiddleware``'s `application/problem+json` 404.
///
/// Added to the router after every route, so it wraps only the router's not-found answer (a
/// route's middleware is fixed when the route is added); a page of a record that does not exist
/// answers 404 through ``PageErrorMiddleware`` already.
struct UnknownPageMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    /// Renders the error page.
    let pages: PageErrorMiddleware

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound && Self.wantsPage(request) {
            let missing = FeatureError(.notFound, "no page at \(request.uri.path)", wording: "noSuchPage")
            var response = pages.errorPage(for: missing, request: request, context: context)
            PageErrorMiddleware.secure(&response.headers)
            return response
        }
    }

    /// Whether the request comes from a browser reading pages: `Accept` names `text/html` and the
    /// path is outside the API.
    static func wantsPage(_ request: Request) -> Bool {
        let path = request.uri.path
        guard path != "/api", !path.hasPrefix("/api/") else { return false }
        return request.headers[values: .accept].contains { $0.lowercased().contains("text/html") }
    }
}
