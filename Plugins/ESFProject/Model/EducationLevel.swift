import DataAccess

/// The highest education at entry, in the ISCED bands the output indicators count.
enum EducationLevel: String, Sendable, Hashable, Codable, CaseIterable {
    /// ISCED 1–2.
    case primaryOrLowerSecondary
    /// ISCED 3–4.
    case upperSecondaryOrPostSecondary
    /// ISCED 5–8.
    case tertiary
}

extension EducationLevel: SQLEncodable, SQLDecodable {}
