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
        guard let token = Self.bearerToken(header) else {
            throw FeatureError(.unauthenticated, "the Authorization header must be `Bearer <token>`")
        }
        guard let principal = try await authenticator.principal(forToken: token) else {
            throw FeatureError(.unauthenticated, "the bearer token is not valid: unknown, expired or revoked, or its user is disabled")
        }
        var context = context
        context.principal = principal
        context.logger[metadataKey: "user"] = .string(principal.name)
        return try await next(request, context)
    }

    /// The token of `Bearer <token>` (the scheme in any case), without the blanks around it;
    /// `nil` for another scheme or none. Read byte by byte: it runs on every API request, and a
    /// lowercased copy and Foundation's trimming cost more than the rest of a cached check.
    static func bearerToken(_ header: String) -> String? {
        let bytes = header.utf8
        guard bytes.count > 7, bytes.starts(with: "bearer ".utf8, by: { $0 == $1 || ($1 != UInt8(ascii: " ") && $0 | 0x20 == $1) }) else {
            return nil
        }
        func blank(_ byte: UInt8) -> Bool { byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") }
        let rest = bytes.dropFirst(7)
        guard let first = rest.firstIndex(where: { !blank($0) }), let last = rest.lastIndex(where: { !blank($0) }) else { return "" }
        return String(Substring(header.utf8[first...last]))
    }
}
