import DataAccess

/// A participant's labour-market status at entry: exactly one (DOMAIN.md rule 12).
enum EntryStatus: String, Sendable, Hashable, Codable, CaseIterable {
    case unemployed
    case longTermUnemployed
    case inactiveInEducation
    case inactiveNotInEducation
    case employed
}

extension EntryStatus: SQLEncodable, SQLDecodable {}
