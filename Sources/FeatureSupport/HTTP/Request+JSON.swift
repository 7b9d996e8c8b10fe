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
    ///   the wrong shape (a `DecodingError`, whose coding path names the field), 413 for a body over the limit.
    public func decodeJSON<Body: Decodable>(as type: Body.Type, context: some RequestContext) async throws -> Body {
        let contentType = headers[.contentType]?.lowercased() ?? ""
        let mediaType = contentType.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
        guard mediaType == "application/json" || mediaType.hasSuffix("+json") else {
            throw HTTPError(
                .unsupportedMediaType,
                message: "the request body must be application/json, not \(mediaType.isEmpty ? "unspecified" : mediaType)"
            )
        }
        // Decoded here rather than by Hummingbird's `decode`, so a `DecodingError` keeps its coding
        // path and the problem body can name the field.
        var request = self
        let buffer = try await request.collectBody(upTo: context.maxUploadSize)
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try decoder.decode(type, from: Data(buffer.readableBytesView))
    }
}
