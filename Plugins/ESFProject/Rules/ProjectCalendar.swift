import DataAccess
import PluginKit

/// The months of ESF reporting (rule 16): a month is reported from its first day, due four
/// weeks after its last.
enum ProjectCalendar {
    /// The first day of the month holding `day`.
    static func monthStart(_ day: LocalDate) -> LocalDate { LocalDate.firstDay(ofMonth: day.month, in: day.year) }

    /// The first day of the month after the one holding `day`.
    static func nextMonthStart(_ day: LocalDate) -> LocalDate { LocalDate.firstDay(ofMonth: day.month + 1, in: day.year) }

    /// The last day of the month holding `day`.
    static func monthEnd(_ day: LocalDate) -> LocalDate { LocalDate.lastDay(ofMonth: day.month, in: day.year) }

    /// `YYYY-MM`.
    static func label(_ day: LocalDate) -> String { String(day.description.prefix(7)) }

    /// Parses `YYYY-MM` into the month's first day, a month of ``LocalDate/supported``.
    static func month(_ text: String) -> LocalDate? {
        guard text.utf8.count == 7 else { return nil }
        return try? LocalDate(input: text + "-01")
    }

    /// What a month must look like, for refusals.
    static let monthFormat = "a month YYYY-MM from 1900-01 to 2199-12"

    /// Parses a month a caller gave (`YYYY-MM`, a path's `{month}`) into its first day.
    ///
    /// - Throws: ``FeatureError`` `.invalidInput` naming `field` for anything else.
    static func month(_ text: String, field: String) throws(FeatureError) -> LocalDate {
        guard let month = month(text) else {
            throw FeatureError(.invalidInput, "'\(text.prefix(40))' is not \(monthFormat)", field: field)
        }
        return month
    }

    /// The report of a month is due this many days after the month's last day.
    static func dueOn(month: LocalDate, dueDays: Int) -> LocalDate { monthEnd(month).adding(days: dueDays) }

    /// The first days of the months from the one holding `from` through the one holding `to`.
    static func months(from: LocalDate, through to: LocalDate) -> [LocalDate] {
        var months: [LocalDate] = []
        var month = monthStart(from)
        while month <= to {
            months.append(month)
            month = nextMonthStart(month)
        }
        return months
    }
}
