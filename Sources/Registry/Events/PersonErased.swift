public import PluginKit

/// Published in the transaction that erases a person, so a feature that keeps anything derived
/// from the person's identifying data (a cached name, say) can drop it. The payload carries only
/// the id: the data is gone by the time anyone reads the event.
///
/// Payload version 1: `{"personId": 12}`.
public struct PersonErased: FeatureEvent, Hashable {
    /// `registry.personErased`.
    public static let name = "registry.personErased"
    /// The erased person, whose id stays.
    public let personId: Int

    /// Creates the event.
    public init(personId: Int) {
        self.personId = personId
    }
}
