import DataAccess
public import Hummingbird
public import PluginKit

/// Identity numbers never travel in a URL: URLs end up in access logs, proxies, browser history and
/// `Referer` headers. A query with an `identityNumber` parameter, or any value that is a valid
/// identity number (a `q=` search by number), answers 422 before anything is looked up; the number
/// is looked up with `POST /api/v1/registry/people/lookup` (or the people page's lookup form).
public struct IdentityNumberInURLRefusal<Context: RequestContext>: RouterMiddleware {
    /// Where to look a number up instead, for the message.
    let instead: String

    /// Creates the middleware.
    ///
    /// - Parameter instead: Where to look a number up instead (`POST /api/v1/registry/people/lookup`).
    public init(instead: String) { self.instead = instead }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        try Self.check(request, instead: instead)
        return try await next(request, context)
    }

    /// Throws the refusal when a query parameter is `identityNumber` or holds a valid identity number.
    ///
    /// - Throws: ``FeatureError`` `.invalidInput` (422) naming the parameter, never repeating the number.
    public static func check(_ request: Request, instead: String) throws(FeatureError) {
        guard let name = parameterHoldingNumber(in: request) else { return }
        throw FeatureError(
            .invalidInput,
            "an identity number is not taken in a URL, where logs and browser history keep it; use \(instead)",
            field: name,
            wording: Wording("identityNumberInURL")
        )
    }

    /// The name of the first query parameter that is `identityNumber` or holds a valid identity
    /// number; `nil` when there is none.
    public static func parameterHoldingNumber(in request: Request) -> String? {
        for (name, value) in request.uri.queryParameters {
            if name == "identityNumber" { return String(name) }
            let text = String(value)
            // Only a value shaped like a number is parsed (and only then is today's date looked up).
            if text.count >= 10, text.count <= 13, text.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == "-" || $0 == "+") }),
                (try? IdentityNumber(parsing: text, today: LocalDate.today())) != nil
            {
                return String(name)
            }
        }
        return nil
    }
}
