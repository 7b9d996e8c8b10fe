public import Foundation

extension LocalDate {
    /// The municipality's time zone: "today" for deadlines and ages is a day in Sweden.
    public static let defaultTimeZone = TimeZone(identifier: "Europe/Stockholm") ?? TimeZone(secondsFromGMT: 3600)!

    /// The day it is now in `timeZone`.
    public static func today(in timeZone: TimeZone = defaultTimeZone) -> LocalDate {
        LocalDate(containing: Date(), in: timeZone)
    }

    /// The day that contains `instant` in `timeZone`.
    public init(containing instant: Date, in timeZone: TimeZone = defaultTimeZone) {
        let seconds = Int(instant.timeIntervalSince1970.rounded(.down)) + timeZone.secondsFromGMT(for: instant)
        self.init(daysSinceEpoch: seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400)
    }
}
