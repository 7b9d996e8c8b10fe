/// A validated Swedish organisation number (organisationsnummer), `NNNNNN-NNNN`.
public struct OrganisationNumber: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The ten digits, without a separator.
    public let digits: String

    /// Parses an organisation number as typed: ten digits, optionally with a `-` before the last
    /// four (`NNNNNN-NNNN`), or the same prefixed with `16` (`16NNNNNN-NNNN`, `16NNNNNNNNNN`).
    ///
    /// Surrounding whitespace is ignored. The third digit must be 2 or more, and the last digit
    /// the Luhn check digit of the nine before it.
    /// - Throws: ``NumberError`` saying what was wrong (without repeating the number).
    public init(parsing text: String) throws(NumberError) {
        // Ten digits and nothing else, as a number is stored and read with every organisation:
        // checked where the bytes lie, with no copies.
        let utf8 = text.utf8
        if utf8.count == 10, utf8.allSatisfy({ $0 &- UInt8(ascii: "0") < 10 }) {
            try Self.check(utf8.lazy.map { $0 &- UInt8(ascii: "0") })
            self.digits = text
            return
        }
        let scanned = try ScannedDigits(text)
        var digits = scanned.digits
        if digits.count == 12, digits.starts(with: [1, 6]) {
            digits.removeFirst(2)
        }
        guard digits.count == 10 else {
            throw .wrongLength(expected: "10 digits (or 12 starting with 16)", got: scanned.digits.count)
        }
        guard try scanned.separator() != .plus else {
            throw NumberError(.badSeparator, "only '-' may separate the last four digits of an organisation number")
        }
        try Self.check(digits)
        self.digits = String(decoding: digits.map { $0 + 48 }, as: UTF8.self)
    }

    /// Checks ten digit values (0–9): the third 2 or more, the last the Luhn check digit.
    private static func check(_ digits: some Collection<UInt8>) throws(NumberError) {
        guard let third = digits.dropFirst(2).first, third >= 2 else {
            throw NumberError(.thirdDigitTooLow, "the third digit of an organisation number must be 2 or more")
        }
        guard Luhn.isValid(digits) else { throw .badCheckDigit }
    }

    /// The number as `NNNNNN-NNNN`.
    public var formatted: String { String(digits.prefix(6)) + "-" + String(digits.suffix(4)) }

    /// The ``formatted`` number (an organisation number is not personal data).
    public var description: String { formatted }

    /// Encodes as the ``formatted`` string, `NNNNNN-NNNN`.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(formatted)
    }

    /// Decodes from a string, parsed as by ``init(parsing:)``.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        do {
            try self.init(parsing: text)
        } catch {
            throw DecodingError.dataCorrupted(
                DecodingError.Context(
                    codingPath: container.codingPath,
                    debugDescription: "not a valid organisation number: \(error.message)",
                    underlyingError: error
                )
            )
        }
    }
}
