public import DataAccess
public import PluginKit

/// Published when an organisation is wound up, so features can flag what depends on it
/// (active agreements for review, assignments to end).
///
/// Payload version 1: `{"organisationId": 12, "woundUpOn": "2015-06-30", "reason": "…"}`.
public struct OrganisationWoundUp: FeatureEvent, Hashable {
    /// `registry.organisationWoundUp`.
    public static let name = "registry.organisationWoundUp"
    /// The organisation.
    public let organisationId: Int
    /// The day it was wound up.
    public let woundUpOn: LocalDate
    /// Why.
    public let reason: String

    /// Creates the event.
    public init(organisationId: Int, woundUpOn: LocalDate, reason: String) {
        self.organisationId = organisationId
        self.woundUpOn = woundUpOn
        self.reason = reason
    }
}
