public import DataAccess
public import PluginKit

/// `supervision.assignmentEnded`: an assignment ended (by a decision, a handover, or because
/// its cooperative or provider was wound up).
///
/// Payload (version 1): `assignmentId`, `cooperativeId`, `providerId`, `endedOn` (YYYY-MM-DD),
/// `reason` (text or null).
public struct AssignmentEnded: FeatureEvent, Hashable {
    /// `supervision.assignmentEnded`.
    public static let name = "supervision.assignmentEnded"
    /// The assignment.
    public let assignmentId: Int
    /// The cooperative (a registry organisation).
    public let cooperativeId: Int
    /// The provider organisation (a registry organisation).
    public let providerId: Int
    /// The last day.
    public let endedOn: LocalDate
    /// Why, if given.
    public let reason: String?
}
