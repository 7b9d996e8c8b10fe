import DataAccess

/// A run of days from `first` to `last` (open-ended when `last` is `nil`).
struct DaySpan: Sendable, Hashable {
    var first: LocalDate
    var last: LocalDate?

    /// `2015-04-01–2015-12-31`, or `2020-01-01–` when open-ended.
    var text: String { last.map { $0 == first ? "\(first)" : "\(first)–\($0)" } ?? "\(first)–" }

    /// The days of `period` that none of `covering` includes, in order.
    static func gaps(in period: DaySpan, coveredBy covering: [DaySpan]) -> [DaySpan] {
        var gaps: [DaySpan] = []
        var cursor: LocalDate? = period.first
        for span in covering.sorted(by: { $0.first < $1.first }) {
            guard let day = cursor else { break }
            if let end = period.last, span.first > end { break }
            if let last = span.last, last < day { continue }
            if span.first > day { gaps.append(DaySpan(first: day, last: span.first.adding(days: -1))) }
            cursor = span.last?.adding(days: 1)
        }
        if let day = cursor, period.last.map({ day <= $0 }) ?? true { gaps.append(DaySpan(first: day, last: period.last)) }
        return gaps
    }
}
