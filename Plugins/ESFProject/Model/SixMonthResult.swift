/// A participant's situation six months after leaving (rule 14).
enum SixMonthResult: String, Sendable, Hashable, Codable, CaseIterable {
    case employed
    case selfEmployed
    case improvedSituation
}
