import DataAccess

/// Which participants an indicator counts, as data: every key given must hold (AND), a list
/// matches any of its values. The vocabulary is closed, so a definition loaded from a file is
/// checked key by key and compiles to SQL over fixed columns with bound values only.
///
/// ```json
/// {"ageAbove": 54, "entryStatus": ["unemployed", "longTermUnemployed"]}
/// ```
struct IndicatorCriterion: Sendable, Hashable, Codable {
    var entryStatus: [EntryStatus]?
    /// Age at entry below this.
    var ageBelow: Int?
    /// Age at entry above this.
    var ageAbove: Int?
    var educationLevel: [EducationLevel]?
    /// Attributes that must all be true.
    var attributes: [Attribute]?
    /// Attributes of which at least one must be true.
    var anyAttribute: [Attribute]?
    /// Results at exit of which at least one must be recorded.
    var exitResults: [ExitResult]?
    /// Results six months on of which at least one must be recorded.
    var sixMonthResults: [SixMonthResult]?

    /// The yes/no attributes of a participation.
    enum Attribute: String, Sendable, Hashable, Codable, CaseIterable {
        case migrantBackground
        case disability
        case otherDisadvantaged
        case homeless

        var column: SQL {
            switch self {
            case .migrantBackground: "p.migrant_background"
            case .disability: "p.disability"
            case .otherDisadvantaged: "p.other_disadvantaged"
            case .homeless: "p.homeless"
            }
        }

        /// Whether the attribute is special-category data (rule 15: migrant background,
        /// disability, other disadvantaged); homelessness is not.
        var isSpecialCategory: Bool {
            switch self {
            case .migrantBackground, .disability, .otherDisadvantaged: true
            case .homeless: false
            }
        }
    }

    /// Whether the criterion reads special-category data: an indicator built on it is
    /// special whatever its definition says, since its counts tell who has the attribute.
    var readsSpecialCategories: Bool {
        ((attributes ?? []) + (anyAttribute ?? [])).contains(where: \.isSpecialCategory)
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case entryStatus, ageBelow, ageAbove, educationLevel, attributes, anyAttribute, exitResults, sixMonthResults
    }

    init() {}

    /// Decodes a definition, refusing keys outside the vocabulary (a typo would otherwise count everyone).
    init(from decoder: any Decoder) throws {
        let any = try decoder.container(keyedBy: AnyKey.self)
        for key in any.allKeys where CodingKeys(rawValue: key.stringValue) == nil {
            throw DecodingError.dataCorruptedError(
                forKey: key,
                in: any,
                debugDescription: "unknown criterion '\(key.stringValue)'; known: \(CodingKeys.allCases.map(\.rawValue).joined(separator: ", "))"
            )
        }
        let container = try decoder.container(keyedBy: CodingKeys.self)
        entryStatus = try container.decodeIfPresent([EntryStatus].self, forKey: .entryStatus)
        ageBelow = try container.decodeIfPresent(Int.self, forKey: .ageBelow)
        ageAbove = try container.decodeIfPresent(Int.self, forKey: .ageAbove)
        educationLevel = try container.decodeIfPresent([EducationLevel].self, forKey: .educationLevel)
        attributes = try container.decodeIfPresent([Attribute].self, forKey: .attributes)
        anyAttribute = try container.decodeIfPresent([Attribute].self, forKey: .anyAttribute)
        exitResults = try container.decodeIfPresent([ExitResult].self, forKey: .exitResults)
        sixMonthResults = try container.decodeIfPresent([SixMonthResult].self, forKey: .sixMonthResults)
    }

    struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    /// The condition on a participation aliased `p`; `TRUE` for an empty criterion.
    var sql: SQL {
        var parts: [SQL] = []
        if let entryStatus { parts.append("p.entry_status = ANY(\(entryStatus.map(\.rawValue)))") }
        if let ageBelow { parts.append("p.age_at_entry < \(ageBelow)") }
        if let ageAbove { parts.append("p.age_at_entry > \(ageAbove)") }
        if let educationLevel { parts.append("p.education_level = ANY(\(educationLevel.map(\.rawValue)))") }
        for attribute in attributes ?? [] { parts.append("\(attribute.column) IS TRUE") }
        if let anyAttribute, !anyAttribute.isEmpty {
            parts.append("(\(SQL.joined(anyAttribute.map { "\($0.column) IS TRUE" }, separator: " OR ")))")
        }
        if let exitResults { parts.append("p.exit_results && \(exitResults.map(\.rawValue))::text[]") }
        if let sixMonthResults { parts.append("p.six_month_results && \(sixMonthResults.map(\.rawValue))::text[]") }
        return parts.isEmpty ? "TRUE" : SQL.joined(parts, separator: " AND ")
    }
}
