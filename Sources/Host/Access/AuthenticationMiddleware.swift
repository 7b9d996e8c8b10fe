import Foundation
import HTTPTypes
import Hummingbird
import Logging
import PluginKit

/// Reads `Authorization: Bearer <token>` on `/api/v1` and puts the token's user into the
/// request context. A request without the header goes on without a user (each route's
/// permission check answers 401); a header with an invalid token is refused with 401 at once.
struct AuthenticationMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    let authenticator: TokenAuthenticator

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let header = request.headers[.authorization] else { return try await next(request, context) }
        guard header.count > 7, header.prefix(7).lowercased() == "bearer " else {
            throw FeatureError(.unauthenticated, "the Authorization header must be `Bearer <token>`")
        }
        let token = String(header.dropFirst(7)).trimmingCharacters(in: .whitespaces)
        guard let principal = try await authenticator.principal(forToken: token) else {
            throw FeatureError(.unauthenticated, "the bearer token is not valid: unknown, expired or revoked, or its user is disabled")
        }
        var context = context
        context.principal = principal
        context.logger[metadataKey: "user"] = .string(principal.name)
        return try await next(request, context)
    }
}
