public import DataAccess
public import Foundation
public import PluginKit

/// `supervision.potTurnedIntoGrant`: a pot's re-examination turned what was left of it into a
/// grant to the cooperative (for the grants' feature to take up).
///
/// Payload (version 1): `potId`, `cooperativeId`, `funderId` (or null), `amount` (kronor),
/// `decidedOn` (YYYY-MM-DD), `caseNumber` (text or null).
public struct PotTurnedIntoGrant: FeatureEvent, Hashable {
    /// `supervision.potTurnedIntoGrant`.
    public static let name = "supervision.potTurnedIntoGrant"
    /// The pot.
    public let potId: Int
    /// The cooperative (a registry organisation) the grant goes to.
    public let cooperativeId: Int
    /// The pot's funder (a registry organisation), if recorded.
    public let funderId: Int?
    /// What was left of the pot, in kronor.
    public let amount: Decimal
    /// The day it was decided.
    public let decidedOn: LocalDate
    /// The decision's diarienummer, if given.
    public let caseNumber: String?
}
