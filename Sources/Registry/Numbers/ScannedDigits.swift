/// The digits of a typed number and its optional separator, before any rule of a particular
/// kind of number is applied.
struct ScannedDigits {
    /// A separator between the date (or first six digits) and the last four digits.
    enum Separator: Equatable {
        /// `-`.
        case minus
        /// `+`: in a ten-digit personnummer, someone who turns 100 or more this year.
        case plus
    }

    /// The digits as values 0–9, without the separator.
    let digits: [UInt8]
    /// The separators as they occur: each with the count of digits before it.
    private let separators: [(separator: Separator, digitsBefore: Int)]

    /// Trims surrounding whitespace and splits the rest into digits and separators.
    ///
    /// Throws `notDigits` for anything else (letters, inner spaces, non-ASCII digits).
    init(_ text: String) throws(NumberError) {
        var digits: [UInt8] = []
        var separators: [(separator: Separator, digitsBefore: Int)] = []
        // Trimmed by scalar index rather than through reversed collections: a bulk import parses
        // 100 000 numbers.
        let scalars = text.unicodeScalars
        var start = scalars.startIndex
        var end = scalars.endIndex
        while start < end, scalars[start].properties.isWhitespace { start = scalars.index(after: start) }
        while start < end, scalars[scalars.index(before: end)].properties.isWhitespace { end = scalars.index(before: end) }
        for scalar in scalars[start..<end] {
            switch scalar {
            case "0"..."9": digits.append(UInt8(scalar.value - 48))
            case "-": separators.append((.minus, digits.count))
            case "+": separators.append((.plus, digits.count))
            default: throw .notDigits
            }
        }
        self.digits = digits
        self.separators = separators
    }

    /// The separator, if any, after checking that there is at most one and that it stands
    /// right before the last four digits.
    func separator() throws(NumberError) -> Separator? {
        guard let first = separators.first else { return nil }
        guard separators.count == 1, first.digitsBefore == digits.count - 4 else {
            throw NumberError(.badSeparator, "the separator must appear once, right before the last four digits")
        }
        return first.separator
    }
}
