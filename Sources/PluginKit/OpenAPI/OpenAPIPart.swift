/// A feature's part of the host's OpenAPI document (`/openapi.json`): its paths, relative to
/// its prefix `/api/v1/<id>`, and the schemas they refer to as `#/components/schemas/<name>`.
///
/// ```swift
/// OpenAPIPart(
///     paths: ["/organisations/{id}": ["get": ["summary": "An organisation", "responses": …]]],
///     schemas: ["Organisation": ["type": "object", "properties": …]]
/// )
/// ```
public struct OpenAPIPart: Sendable, Hashable {
    /// Path items by path relative to the feature's prefix (`/organisations/{id}`).
    public var paths: [String: JSONValue]
    /// Schemas by name; names should start with the feature's own prefix to stay unique.
    public var schemas: [String: JSONValue]

    /// Creates a part.
    public init(paths: [String: JSONValue] = [:], schemas: [String: JSONValue] = [:]) {
        self.paths = paths
        self.schemas = schemas
    }
}
