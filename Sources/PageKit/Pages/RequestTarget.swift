public import Hummingbird

/// The path and query a page was asked for, for links back to it (sorting, paging, `next=`).
public struct RequestTarget: Sendable, Hashable, CustomStringConvertible {
    /// The path (`/registry/organisations`).
    public let path: String
    /// The query's parameters in order, decoded.
    public let query: [Parameter]

    /// A query parameter.
    public struct Parameter: Sendable, Hashable {
        /// The name.
        public let name: String
        /// The value.
        public let value: String
    }

    /// The target of a request.
    public init(_ request: Request) {
        path = request.uri.path
        query = request.uri.queryParameters.map { Parameter(name: String($0.key), value: String($0.value)) }
    }

    /// The path with the query, encoded again.
    public var description: String {
        query.isEmpty ? path : path + "?" + query.map { QueryEncoding.encode($0.name) + "=" + QueryEncoding.encode($0.value) }.joined(separator: "&")
    }
}
