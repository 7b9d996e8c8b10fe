public import DataAccess
public import PluginKit

/// `supervision.handoverCompleted`: every assignment in force of one provider moved to another.
///
/// Payload (version 1): `handoverId`, `fromProviderId`, `toProviderId`, `on` (the first day
/// under the new provider, YYYY-MM-DD), `cooperativeIds`.
public struct HandoverCompleted: FeatureEvent, Hashable {
    /// `supervision.handoverCompleted`.
    public static let name = "supervision.handoverCompleted"
    /// The handover.
    public let handoverId: Int
    /// The provider that handed over.
    public let fromProviderId: Int
    /// The provider that took over.
    public let toProviderId: Int
    /// The first day under the new provider.
    public let on: LocalDate
    /// The cooperatives that moved.
    public let cooperativeIds: [Int]
}
