public import DataAccess
public import PluginKit

/// `partnerships.agreementEnded`: an agreement or grant reached a final state (terminated,
/// expired; a grant rejected, approved or repaid).
///
/// Payload (version 1): `agreementId`, `kind`, `partyIds`, `state` (the final state), `endedOn`
/// (YYYY-MM-DD), `comment` (text or null).
public struct AgreementEnded: FeatureEvent, Hashable {
    /// `partnerships.agreementEnded`.
    public static let name = "partnerships.agreementEnded"
    /// The agreement.
    public let agreementId: Int
    /// The agreement's kind.
    public let kind: String
    /// The parties (registry organisations).
    public let partyIds: [Int]
    /// The final state.
    public let state: String
    /// The day it ended.
    public let endedOn: LocalDate
    /// Why, if given.
    public let comment: String?
}
