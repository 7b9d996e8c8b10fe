public import DataAccess
public import PluginKit

/// `partnerships.agreementSigned`: an agreement (an IOP, a framework agreement, a supervision
/// contract) was signed.
///
/// Payload (version 1): `agreementId`, `kind` (`iop`, `frameworkAgreement`,
/// `supervisionContract`), `partyIds`, `signedOn` (YYYY-MM-DD).
public struct AgreementSigned: FeatureEvent, Hashable {
    /// `partnerships.agreementSigned`.
    public static let name = "partnerships.agreementSigned"
    /// The agreement.
    public let agreementId: Int
    /// The agreement's kind.
    public let kind: String
    /// The parties (registry organisations).
    public let partyIds: [Int]
    /// The day it was signed.
    public let signedOn: LocalDate
}
