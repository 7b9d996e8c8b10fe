import DataAccess
import PluginKit

/// A calendar month, quarter or year, as follow-up reports take it: `2016-03`, `2016-Q1`, `2016`.
struct Period: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The text it was given as, e.g. `2016-Q1`.
    var label: String
    var first: LocalDate
    var last: LocalDate
    /// Calendar months it spans (1, 3 or 12).
    var months: Int

    var description: String { label }

    /// Parses `YYYY`, `YYYY-Qn` or `YYYY-MM`.
    ///
    /// - Throws: ``FeatureError`` `.invalidInput` naming `field`.
    init(parsing text: String, field: String = "period") throws(FeatureError) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        let years = LocalDate.supported.lowerBound.year...LocalDate.supported.upperBound.year
        guard parts[0].utf8.count == 4, parts[0].utf8.allSatisfy({ (48...57).contains($0) }), let year = Int(parts[0]), years.contains(year) else {
            throw FeatureError(.invalidInput, "must be YYYY, YYYY-Qn or YYYY-MM of the years 1900–2199, not '\(text.prefix(20))'", field: field)
        }
        let (firstMonth, months): (Int, Int)
        switch parts.count {
        case 1:
            (firstMonth, months) = (1, 12)
        case 2 where parts[1].count == 2 && parts[1].first == "Q":
            guard let quarter = Int(parts[1].dropFirst()), (1...4).contains(quarter), parts[1].last?.isNumber == true else {
                throw FeatureError(.invalidInput, "has no quarter '\(parts[1])'; quarters are Q1–Q4", field: field)
            }
            (firstMonth, months) = ((quarter - 1) * 3 + 1, 3)
        case 2 where parts[1].count == 2:
            guard parts[1].utf8.allSatisfy({ (48...57).contains($0) }), let month = Int(parts[1]), (1...12).contains(month) else {
                throw FeatureError(.invalidInput, "has no month '\(parts[1])'; months are 01–12", field: field)
            }
            (firstMonth, months) = (month, 1)
        default:
            throw FeatureError(.invalidInput, "must be YYYY, YYYY-Qn or YYYY-MM, not '\(text.prefix(20))'", field: field)
        }
        self.init(
            label: text,
            first: LocalDate.firstDay(ofMonth: firstMonth, in: year),
            last: LocalDate.lastDay(ofMonth: firstMonth + months - 1, in: year),
            months: months
        )
    }

    init(label: String, first: LocalDate, last: LocalDate, months: Int) {
        self.label = label
        self.first = first
        self.last = last
        self.months = months
    }

    /// The month containing `day`, for any day.
    static func month(of day: LocalDate) -> Period {
        Period(
            label: String(day.description.prefix(7)),
            first: LocalDate.firstDay(ofMonth: day.month, in: day.year),
            last: LocalDate.lastDay(ofMonth: day.month, in: day.year),
            months: 1
        )
    }

    /// Days in the period.
    var days: Int { last.daysSinceEpoch - first.daysSinceEpoch + 1 }
}
