import DataAccess

/// Who contributes a co-financing entry (rule 17): the municipality, another public body, or a
/// private party.
enum CoFinancingSource: String, Sendable, Hashable, Codable, CaseIterable {
    case municipality
    case otherPublicBody
    case `private`
}

extension CoFinancingSource: SQLEncodable, SQLDecodable {}
