extension LocalDate {
    /// The days a person may give anywhere (an API field or parameter, a form, an import, a
    /// command): 1900-01-01 … 2199-12-31. Wider than any date of the story and of any person in
    /// it, narrow enough that every report, month and period built from such a day exists.
    public static let supported: ClosedRange<LocalDate> = LocalDate(valid: 1900, 1, 1)...LocalDate(valid: 2199, 12, 31)

    /// Why a text is not a day a person may give.
    public struct InputError: Error, Sendable, Hashable, CustomStringConvertible {
        /// What was wrong.
        public enum Code: String, Sendable, Hashable {
            /// Not `YYYY-MM-DD`, or no such day (2026-02-30).
            case malformed
            /// A real day outside ``LocalDate/supported``.
            case outOfRange
        }

        /// What was wrong.
        public let code: Code
        /// The text as given, cut to 40 characters.
        public let text: String

        /// What is wrong, in English, safe to show.
        public var message: String {
            switch code {
            case .malformed: "must be a date YYYY-MM-DD, not '\(text)'"
            case .outOfRange: "must be a date from \(LocalDate.supported.lowerBound) to \(LocalDate.supported.upperBound), not \(text)"
            }
        }

        public var description: String { message }
    }

    /// Parses a day a person gave: `YYYY-MM-DD` (digits only) within ``supported``. Every date
    /// that comes in from outside goes through here; dates read from the database do not.
    ///
    /// - Throws: ``InputError``.
    public init(input text: String) throws(InputError) {
        guard let day = LocalDate(text) else { throw InputError(code: .malformed, text: String(text.prefix(40))) }
        guard LocalDate.supported.contains(day) else { throw InputError(code: .outOfRange, text: day.description) }
        self = day
    }
}
