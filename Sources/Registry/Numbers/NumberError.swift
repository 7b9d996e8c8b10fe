public import PluginKit

/// Why a personnummer, samordningsnummer or organisation number was rejected.
///
/// The ``message`` is safe to show and to log: it says what was wrong without repeating the
/// number (or any digit of it, such as the expected check digit).
public struct NumberError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A stable, machine-readable reason for the rejection.
    public struct Code: Hashable, Sendable {
        /// The code's name, e.g. `"badCheckDigit"`; stable across releases.
        public let id: String

        init(_ id: String) { self.id = id }

        /// The number has the wrong count of digits.
        public static let wrongLength = Code("wrongLength")
        /// The text holds something other than digits and one separator.
        public static let notDigits = Code("notDigits")
        /// The separator is misplaced, repeated or not allowed here.
        public static let badSeparator = Code("badSeparator")
        /// The last digit is not the Luhn check digit of the others.
        public static let badCheckDigit = Code("badCheckDigit")
        /// The birth date does not exist (e.g. February 30 or month 13).
        public static let impossibleDate = Code("impossibleDate")
        /// The birth date lies after today.
        public static let futureDate = Code("futureDate")
        /// A samordningsnummer was given where a personnummer was expected.
        public static let coordinationNumberGiven = Code("coordinationNumberGiven")
        /// A personnummer was given where a samordningsnummer was expected.
        public static let notACoordinationNumber = Code("notACoordinationNumber")
        /// An organisation number's third digit is below 2.
        public static let thirdDigitTooLow = Code("thirdDigitTooLow")
        /// A `+` separator was given for someone who does not turn 100 this year or earlier.
        public static let centuryMismatch = Code("centuryMismatch")
    }

    /// The reason for the rejection.
    public let code: Code
    /// What was wrong, in English, without the number itself.
    public let message: String

    init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// The reason as a catalogue key (`error_number_badCheckDigit`), for pages.
    public var wording: Wording { Wording("number_" + code.id) }

    /// The code and the message, e.g. `badCheckDigit: the check digit does not match`.
    public var description: String { "\(code.id): \(message)" }
}

extension NumberError {
    static func wrongLength(expected: String, got count: Int) -> NumberError {
        NumberError(.wrongLength, "expected \(expected), got \(count) digit\(count == 1 ? "" : "s")")
    }

    static let notDigits = NumberError(.notDigits, "only digits and one separator are allowed")

    static let badCheckDigit = NumberError(.badCheckDigit, "the check digit does not match")
}
