/// Whether and how a person is identified.
public enum IdentityStatus: String, Sendable, Hashable, Codable, CaseIterable {
    /// The person has a personnummer or samordningsnummer on record.
    case number
    /// No identity number is known.
    case none
    /// The person has a protected identity (skyddade personuppgifter): no number is recorded.
    case protected
    /// The identifying data was erased and replaced with a pseudonym.
    case erased
}
