import DataAccess

/// The months of ESF reporting (rule 16): a month is reported from its first day, due four
/// weeks after its last.
enum ProjectCalendar {
    /// The first day of the month holding `day`.
    static func monthStart(_ day: LocalDate) -> LocalDate {
        LocalDate(year: day.year, month: day.month, day: 1)!
    }

    /// The first day of the month after the one holding `day`.
    static func nextMonthStart(_ day: LocalDate) -> LocalDate {
        day.month == 12 ? LocalDate(year: day.year + 1, month: 1, day: 1)! : LocalDate(year: day.year, month: day.month + 1, day: 1)!
    }

    /// The last day of the month holding `day`.
    static func monthEnd(_ day: LocalDate) -> LocalDate { nextMonthStart(day).adding(days: -1) }

    /// `YYYY-MM`.
    static func label(_ day: LocalDate) -> String { String(day.description.prefix(7)) }

    /// Parses `YYYY-MM` into the month's first day.
    static func month(_ text: String) -> LocalDate? {
        guard text.count == 7 else { return nil }
        return LocalDate(text + "-01")
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
