public import DataAccess
public import PluginKit

/// `supervision.assignmentStarted`: a cooperative came under a provider's supervision (an
/// assignment became active, directly or through a handover).
///
/// Payload (version 1): `assignmentId`, `cooperativeId`, `providerId`, `supervisorId`, `from`
/// (YYYY-MM-DD).
public struct AssignmentStarted: FeatureEvent, Hashable {
    /// `supervision.assignmentStarted`.
    public static let name = "supervision.assignmentStarted"
    /// The assignment.
    public let assignmentId: Int
    /// The cooperative (a registry organisation).
    public let cooperativeId: Int
    /// The provider organisation (a registry organisation).
    public let providerId: Int
    /// The supervisor (a registry person).
    public let supervisorId: Int
    /// The first day.
    public let from: LocalDate
}
