public import Hummingbird

/// A table as comma-separated values (RFC 4180), for the CSV downloads of reports and lists.
///
/// Fields holding a comma, a quote or a line break are quoted; lines end with CRLF. A field that
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

    /// The document: the header line, then one line per row.
    public var text: String {
        ([header] + rows).map { $0.map(Self.field).joined(separator: ",") }.joined(separator: "\r\n") + "\r\n"
    }

    /// The document as a download named `filename`.
    public func response(filename: String) -> CSVResponse { CSVResponse(csv: self, filename: filename) }

    static func field(_ value: String) -> String {
        var value = value
        if let first = value.first, "=+@".contains(first) || (first == "-" && Double(value) == nil) {
            value = "'" + value
        }
        guard value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return value }
        return "\"" + value.replacing("\"", with: "\"\"") + "\""
    }
}

/// A CSV document sent as a download (`text/csv; charset=utf-8`, `Content-Disposition: attachment`).
public struct CSVResponse: ResponseGenerator, Sendable {
    /// The document.
    public let csv: CSV
    /// The file name the browser saves it as.
    public let filename: String

    /// The response.
    public func response(from request: Request, context: some RequestContext) throws -> Response { response }

    /// The download as a response, for callers without a request at hand.
    public var response: Response {
        let safeName = String(filename.filter { $0.isLetter || $0.isNumber || "-_.".contains($0) }.prefix(100))
        return Response(
            status: .ok,
            headers: [.contentType: "text/csv; charset=utf-8", .contentDisposition: "attachment; filename=\"\(safeName)\""],
            body: ResponseBody(byteBuffer: ByteBuffer(string: csv.text))
        )
    }
}
