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
        guard let year = Int(parts[0]), parts[0].count == 4, (1900...2200).contains(year) else {
            throw FeatureError(.invalidInput, "must be YYYY, YYYY-Qn or YYYY-MM, not '\(text.prefix(20))'", field: field)
        }
        let (firstMonth, months): (Int, Int)
        switch parts.count {
        case 1:
            (firstMonth, months) = (1, 12)
        case 2 where parts[1].count == 2 && parts[1].first == "Q":
            guard let quarter = Int(parts[1].dropFirst()), (1...4).contains(quarter) else {
                throw FeatureError(.invalidInput, "has no quarter '\(parts[1])'; quarters are Q1–Q4", field: field)
            }
            (firstMonth, months) = ((quarter - 1) * 3 + 1, 3)
        case 2 where parts[1].count == 2:
            guard let month = Int(parts[1]), (1...12).contains(month) else {
                throw FeatureError(.invalidInput, "has no month '\(parts[1])'; months are 01–12", field: field)
            }
            (firstMonth, months) = (month, 1)
        default:
            throw FeatureError(.invalidInput, "must be YYYY, YYYY-Qn or YYYY-MM, not '\(text.prefix(20))'", field: field)
        }
        self.label = text
        self.first = LocalDate(year: year, month: firstMonth, day: 1)!
        self.months = months
        let next =
            firstMonth + months > 12 ? LocalDate(year: year + 1, month: 1, day: 1)! : LocalDate(year: year, month: firstMonth + months, day: 1)!
        self.last = next.adding(days: -1)
    }

    /// The month containing `day`.
    static func month(of day: LocalDate) -> Period {
        // A valid date always formats to a valid month.
        try! Period(parsing: String(day.description.prefix(7)))
    }

    /// Days in the period.
    var days: Int { last.daysSinceEpoch - first.daysSinceEpoch + 1 }
}
