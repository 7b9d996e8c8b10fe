public import Hummingbird

/// A table as comma-separated values (RFC 4180), for the CSV downloads of reports and lists.
///
/// ``text`` is RFC 4180, as the API serves it. The downloads of the pages use a ``Dialect`` a
/// spreadsheet opens as it is: a byte-order mark and, for a Swedish reader, `;` between fields
/// and a decimal comma (``Dialect/spreadsheet(decimalComma:)``).
///
/// Fields holding the separator, a quote or a line break are quoted; lines end with CRLF. A field that
/// a spreadsheet would run as a formula (it starts with `=`, `+`, `@`, or `-` not followed by a
/// number) gets a leading `'`, so a name typed into the system cannot become a formula in the
/// caseworker's spreadsheet.
///
/// ```swift
/// var csv = CSV("cooperative", "hours")
/// csv.add("Café Gläntan", "12.5")
/// return csv.response(filename: "hours-2016.csv")
/// ```
public struct CSV: Sendable, Hashable {
    /// The column titles.
    public let header: [String]
    /// The rows added so far.
    public private(set) var rows: [[String]] = []

    /// Creates a table with these column titles.
    public init(_ header: String...) { self.header = header }

    /// Creates a table with these column titles.
    public init(_ header: [String]) { self.header = header }

    /// Adds a row.
    public mutating func add(_ row: String...) { rows.append(row) }

    /// Adds a row from an array.
    public mutating func add(row: [String]) { rows.append(row) }

    /// How a document is written: the separator, whether numbers take a decimal comma, and
    /// whether it starts with a UTF-8 byte-order mark.
    public struct Dialect: Sendable, Hashable {
        /// Between the fields of a line.
        public let separator: Character
        /// Whether a number's decimal point is written as a comma (`1234,50`).
        public let decimalComma: Bool
        /// Whether the bytes start with EF BB BF, which tells a spreadsheet the file is UTF-8.
        public let byteOrderMark: Bool

        /// RFC 4180: commas, decimal points, no byte-order mark (the API's CSV).
        public static let rfc4180 = Dialect(separator: ",", decimalComma: false, byteOrderMark: false)

        /// What a spreadsheet opens as it is: with a byte-order mark (else Excel reads the bytes
        /// in the system's code page), and where the reader's numbers take a decimal comma, `;`
        /// between fields and a decimal comma (Excel with Swedish settings splits on the list
        /// separator `;` and reads `1234.50` as text).
        public static func spreadsheet(decimalComma: Bool) -> Dialect {
            Dialect(separator: decimalComma ? ";" : ",", decimalComma: decimalComma, byteOrderMark: true)
        }
    }

    /// The document as RFC 4180: the header line, then one line per row.
    public var text: String { text(.rfc4180) }

    /// The document in `dialect`, without the byte-order mark (``bytes(_:)`` adds it).
    public func text(_ dialect: Dialect) -> String {
        ([header] + rows).map { $0.map { Self.field($0, dialect) }.joined(separator: String(dialect.separator)) }.joined(separator: "\r\n")
            + "\r\n"
    }

    /// The document's bytes in `dialect`, UTF-8, with the byte-order mark when it has one.
    public func bytes(_ dialect: Dialect) -> [UInt8] {
        (dialect.byteOrderMark ? [0xEF, 0xBB, 0xBF] : []) + Array(text(dialect).utf8)
    }

    /// The document as a download named `filename`, RFC 4180 unless another dialect is given.
    public func response(filename: String, dialect: Dialect = .rfc4180) -> CSVResponse {
        CSVResponse(csv: self, filename: filename, dialect: dialect)
    }

    static func field(_ value: String, _ dialect: Dialect = .rfc4180) -> String {
        var value = value
        if let first = value.first, "=+@".contains(first) || (first == "-" && Double(value) == nil) {
            value = "'" + value
        }
        if dialect.decimalComma, value.wholeMatch(of: /-?[0-9]+\.[0-9]+/) != nil {
            value = value.replacing(".", with: ",")
        }
        guard value.contains(where: { $0 == dialect.separator || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return value }
        return "\"" + value.replacing("\"", with: "\"\"") + "\""
    }
}

/// A CSV document sent as a download (`text/csv; charset=utf-8`, `Content-Disposition: attachment`).
public struct CSVResponse: ResponseGenerator, Sendable {
    /// The document.
    public let csv: CSV
    /// The file name the browser saves it as.
    public let filename: String
    /// How it is written.
    public var dialect: CSV.Dialect = .rfc4180

    /// The response.
    public func response(from request: Request, context: some RequestContext) throws -> Response { response }

    /// The download as a response, for callers without a request at hand.
    public var response: Response {
        let safeName = String(filename.filter { $0.isLetter || $0.isNumber || "-_.".contains($0) }.prefix(100))
        return Response(
            status: .ok,
            headers: [.contentType: "text/csv; charset=utf-8", .contentDisposition: "attachment; filename=\"\(safeName)\""],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: csv.bytes(dialect)))
        )
    }
}
