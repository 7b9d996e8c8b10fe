public import DataAccess
public import Foundation
public import PluginKit

/// `partnerships.grantPaid`: a payment of an association grant was made.
///
/// Payload (version 1): `agreementId`, `paymentId`, `recipientId` (the registry organisation),
/// `amount` (SEK, a number with at most two decimals), `paidOn` (YYYY-MM-DD).
public struct GrantPaid: FeatureEvent, Hashable {
    /// `partnerships.grantPaid`.
    public static let name = "partnerships.grantPaid"
    /// The grant.
    public let agreementId: Int
    /// The payment.
    public let paymentId: Int
    /// The organisation paid.
    public let recipientId: Int
    /// The amount paid.
    public let amount: Decimal
    /// The day it was paid.
    public let paidOn: LocalDate
}
