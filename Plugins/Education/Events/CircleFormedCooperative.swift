public import DataAccess
public import PluginKit

/// `education.circleFormedCooperative`: a completed study circle formed a cooperative. The
/// registry creates it as a prospect (or links the existing organisation `organisationId`) and
/// gives the circle's counted participants the role cooperator from `on`.
///
/// Payload (version 1): `circleId`, `name`, `organisationId` (or null), `participantIds`, `on`
/// (YYYY-MM-DD).
public struct CircleFormedCooperative: FeatureEvent, Hashable {
    /// `education.circleFormedCooperative`.
    public static let name = "education.circleFormedCooperative"
    /// The circle.
    public let circleId: Int
    /// The cooperative's name.
    public let name: String
    /// An existing registry organisation to link instead of creating one.
    public let organisationId: Int?
    /// The participants who become its first cooperators (registry people).
    public let participantIds: [Int]
    /// The day the cooperative was formed.
    public let on: LocalDate
}
