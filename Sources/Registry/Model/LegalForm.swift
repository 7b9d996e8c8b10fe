/// An organisation's legal form (Swedish: associationsform).
public enum LegalForm: String, Sendable, Hashable, Codable, CaseIterable {
    /// Ekonomisk förening: the usual form of a social work cooperative.
    case economicAssociation
    /// Ideell förening.
    case nonProfitAssociation
    /// Aktiebolag (AB).
    case limitedCompany
    /// Stiftelse.
    case foundation
    /// A unit of the municipality: not a legal person of its own.
    case municipalUnit
    /// A public authority or another public legal person (the municipality, an agency).
    case publicAuthority
}
