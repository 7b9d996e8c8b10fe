import DataAccess

/// One indicator of a set, as stored in `esf.indicators`: the participants it counts are those
/// matching its ``IndicatorCriterion``, among those who entered (`entry`) or left (`exit`) in
/// the report's period.
struct IndicatorDefinition: Sendable, Hashable, Codable {
    var code: String
    var kind: Kind
    var name: String
    var basis: Basis
    var criterion: IndicatorCriterion
    /// Built on special-category data: shown only to readers allowed to see it.
    var special: Bool

    enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        case output
        case result
    }

    enum Basis: String, Sendable, Hashable, Codable, CaseIterable {
        case entry
        case exit
    }
}

extension IndicatorDefinition.Kind: SQLEncodable, SQLDecodable {}
extension IndicatorDefinition.Basis: SQLEncodable, SQLDecodable {}
