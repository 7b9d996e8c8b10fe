import DataAccess

/// Every indicator of a project's set over a period, each split by gender (rule 15).
struct IndicatorReport: Sendable, Hashable, Codable {
    var projectId: Int
    var indicatorSet: String
    var from: LocalDate
    var to: LocalDate
    /// The day whose definitions counted: the day the period's months were all submitted, `nil`
    /// for the current definitions.
    var definitionsOn: LocalDate?
    var indicators: [Line]

    /// One indicator's counts; `nil` counts for a special-category indicator the reader may not see.
    struct Line: Sendable, Hashable, Codable {
        var code: String
        var kind: IndicatorDefinition.Kind
        var name: String
        var total: Count?
        var women: Count?
        var men: Count?
        var other: Count?
        var restricted: Bool
    }

    /// A number of people as a reader sees it: exact, or for a reader without
    /// `esf.participation.specialCategories` a band when the number is small (the small-number
    /// suppression of Swedish official statistics). In JSON and CSV an exact count is a number,
    /// a band the text `< 5` or `≥ 5`.
    enum Count: Sendable, Hashable, Codable, CustomStringConvertible, ExpressibleByIntegerLiteral {
        /// The number itself.
        case exact(Int)
        /// Fewer than ``IndicatorReport/smallestShown`` people (none included).
        case fewerThanFive
        /// At least ``IndicatorReport/smallestShown`` people: a total that would give away a
        /// suppressed cell by subtraction.
        case fiveOrMore

        static let fewerThanFiveText = "< 5"
        static let fiveOrMoreText = "≥ 5"

        init(integerLiteral value: Int) { self = .exact(value) }

        /// The number, when it is exact.
        var exactValue: Int? {
            guard case .exact(let value) = self else { return nil }
            return value
        }

        var description: String {
            switch self {
            case .exact(let value): String(value)
            case .fewerThanFive: Self.fewerThanFiveText
            case .fiveOrMore: Self.fiveOrMoreText
            }
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let value = try? container.decode(Int.self) {
                self = .exact(value)
                return
            }
            switch try container.decode(String.self) {
            case Self.fewerThanFiveText: self = .fewerThanFive
            case Self.fiveOrMoreText: self = .fiveOrMore
            case let other:
                throw DecodingError.dataCorruptedError(
                    in: container,
                    debugDescription: "a count is a number, \"\(Self.fewerThanFiveText)\" or \"\(Self.fiveOrMoreText)\", not \"\(other)\""
                )
            }
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            switch self {
            case .exact(let value): try container.encode(value)
            case .fewerThanFive, .fiveOrMore: try container.encode(description)
            }
        }
    }

    /// The smallest number of people a reader without `esf.participation.specialCategories` is
    /// shown exactly in a gender-split cell.
    static let smallestShown = 5
}

extension IndicatorReport.Line {
    /// The line with each gender-split cell under ``IndicatorReport/smallestShown`` as
    /// ``IndicatorReport/Count/fewerThanFive``. When any of women, men or other is suppressed, the
    /// total is shown only as a band too, so the hidden cell cannot be worked out by subtraction.
    var suppressingSmallNumbers: Self {
        func suppressed(_ count: IndicatorReport.Count?) -> IndicatorReport.Count? {
            guard let value = count?.exactValue else { return count }
            return value < IndicatorReport.smallestShown ? .fewerThanFive : count
        }
        var line = self
        (line.women, line.men, line.other) = (suppressed(women), suppressed(men), suppressed(other))
        let hidesACell = [line.women, line.men, line.other].contains(.fewerThanFive)
        if let total = total?.exactValue {
            line.total = total < IndicatorReport.smallestShown ? .fewerThanFive : hidesACell ? .fiveOrMore : .exact(total)
        }
        return line
    }
}
