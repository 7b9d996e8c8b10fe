public import DataAccess
public import Foundation

extension PageContext {
    /// Runs a write of `feature`'s API as the signed-in user, with `body` (the operation's input
    /// type, decoded from the page's form) as its JSON, and decodes its answer: the page and the
    /// API share one handler, its checks and its audit row (``PageHost/perform(_:of:path:body:context:)``).
    ///
    /// ```swift
    /// let summary = try await page.perform("supervision", "runHandover", body: request, answer: HandoverSummary.self)
    /// ```
    ///
    /// - Throws: A refusal as the ``FeatureError`` of its code with its problems at their fields in
    ///   the viewer's language; any other error as the operation threw it.
    public func perform<Answer: Decodable>(
        _ feature: String,
        _ operationID: String,
        path: [String: String] = [:],
        body: (any Encodable)? = nil,
        answer: Answer.Type
    ) async throws -> Answer {
        let json = try await perform(feature, operationID, path: path, body: body)
        return try Self.decoder.decode(Answer.self, from: Self.encoder.encode(json ?? .null))
    }

    /// Runs a write of `feature`'s API as the signed-in user, with `body` as its JSON; its answer
    /// as JSON, `nil` for none.
    ///
    /// - Throws: A refusal as the ``FeatureError`` of its code with its problems at their fields in
    ///   the viewer's language; any other error as the operation threw it.
    @discardableResult
    public func perform(
        _ feature: String,
        _ operationID: String,
        path: [String: String] = [:],
        body: (any Encodable)? = nil
    ) async throws
        -> JSONValue?
    {
        let json = try body.map { try JSONValue(parsing: Self.encoder.encode($0)) }
        return try await host.perform(operationID, of: feature, path: path, body: json, context: self)
    }

    /// The API's JSON: instants as ISO 8601, as the generated handlers read and write them.
    static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }

    static var decoder: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }
}
