import Hummingbird
import PluginKit

/// An RFC 9457 problem body: what every error response of the host looks like.
struct Problem: Codable, Sendable, Equatable {
    /// A URI naming the kind of problem; `about:blank` when the status says it all.
    var type: String
    /// The status's short description.
    var title: String
    /// The HTTP status code.
    var status: Int
    /// What was wrong with this request, safe to show.
    var detail: String
    /// The request path.
    var instance: String?
    /// The request id, as in the `X-Request-ID` header and the logs.
    var requestId: String?
    /// The input field concerned (a JSON pointer), when one is.
    var pointer: String?
    /// Every bad value, when the request had several (a rejected CSV import's rows).
    var errors: [FieldProblem]?
}
