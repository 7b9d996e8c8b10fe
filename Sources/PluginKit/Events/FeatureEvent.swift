/// An event a feature publishes for others: a name, a version and a Codable payload.
///
/// The payload is the published contract: subscribers decode it into their own types, so no
/// feature imports another to listen to it. Document the fields beside the event type, and
/// raise ``version`` when a field changes meaning.
///
/// ```swift
/// public struct CircleFormedCooperative: FeatureEvent {
///     public static let name = "education.circleFormedCooperative"
///     public static let version = 1
///     public let circleID: Int
///     public let organisationID: Int
/// }
/// ```
public protocol FeatureEvent: Codable, Sendable {
    /// `<feature id>.<eventName>`.
    static var name: String { get }
    /// The payload's version.
    static var version: Int { get }
}

extension FeatureEvent {
    /// Version 1.
    public static var version: Int { 1 }
}
