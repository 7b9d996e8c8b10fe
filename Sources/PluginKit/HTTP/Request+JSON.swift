import Foundation
public import Hummingbird

extension Request {
    /// Decodes a JSON request body, insisting on a JSON content type.
    ///
    /// - Parameters:
    ///   - type: The body's type.
    ///   - context: The request context (its body size limit applies).
    /// - Returns: The decoded body.
    /// - Throws: `HTTPError` 415 for another content type, 400 for malformed JSON or a body of
    ///   the wrong shape (naming the key), 413 for a body over the limit.
    public func decodeJSON<Body: Decodable>(as type: Body.Type, context: some RequestContext) async throws -> Body {
        let contentType = headers[.contentType]?.lowercased() ?? ""
        let mediaType = contentType.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
        guard mediaType == "application/json" || mediaType.hasSuffix("+json") else {
            throw HTTPError(
                .unsupportedMediaType,
                message: "the request body must be application/json, not \(mediaType.isEmpty ? "unspecified" : mediaType)"
            )
        }
        return try await decode(as: type, context: context)
    }
}
