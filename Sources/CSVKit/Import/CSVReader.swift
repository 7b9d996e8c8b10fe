/// Reads RFC 4180 CSV (the files an import takes): fields separated by `,` (or `;`, as a
/// spreadsheet with Swedish settings writes them, told by the header line), quoted with `"`
/// where they hold separators, quotes or line breaks; lines end with LF or CRLF. A UTF-8 byte
/// order mark is skipped; a field that is not valid UTF-8 stops the reading (a file saved as
/// Latin-1, say), so no replacement character is ever stored in its place.
///
/// ```swift
/// for record in try CSVReader.records(in: data) {
///     print(record.line, record.fields)
/// }
/// ```
public enum CSVReader {
    /// One record: the line it starts on (the header is line 1) and its fields.
    public struct Record: Sendable, Hashable {
        /// The line the record starts on.
        public var line: Int
        /// The fields, unquoted.
        public var fields: [String]
    }

    /// Why a file could not be read, and where.
    public struct Problem: Error, Sendable, Hashable, CustomStringConvertible {
        /// What was wrong.
        public enum Code: Sendable, Hashable {
            /// A quote left open at the end of the file.
            case unterminatedQuote
            /// Bytes that are not UTF-8.
            case invalidUTF8
        }

        /// What was wrong.
        public var code: Code
        /// The line it is on (for an open quote, the line the quoted field starts on).
        public var line: Int
        /// The field it is in, counted from 1.
        public var field: Int

        /// What is wrong, in English, safe to show.
        public var message: String {
            switch code {
            case .unterminatedQuote: "a quoted field is never closed"
            case .invalidUTF8: "field \(field) is not UTF-8 text; save the file as UTF-8 (CSV UTF-8) and import it again"
            }
        }

        public var description: String { "line \(line): \(message)" }
    }

    /// The records of `bytes`, blank lines left out.
    ///
    /// - Throws: ``Problem``: a quote left open, or a field that is not UTF-8.
    public static func records(in bytes: some Collection<UInt8>) throws(Problem) -> [Record] {
        let bytes = Array(bytes)
        var index = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        let separator = Self.separator(bytes, from: index)
        var records: [Record] = []
        var fields: [String] = []
        var field: [UInt8] = []
        var line = 1
        var recordLine = 1
        var quoted = false
        var quoteLine = 1
        var fieldWasQuoted = false

        func endField() throws(Problem) {
            guard let text = String(validating: field, as: UTF8.self) else {
                throw Problem(code: .invalidUTF8, line: recordLine, field: fields.count + 1)
            }
            fields.append(text)
            field.removeAll(keepingCapacity: true)
            fieldWasQuoted = false
        }
        func endRecord() throws(Problem) {
            try endField()
            if !(fields.count == 1 && fields[0].isEmpty) { records.append(Record(line: recordLine, fields: fields)) }
            fields.removeAll(keepingCapacity: true)
        }

        while index < bytes.count {
            let byte = bytes[index]
            if quoted {
                if byte == UInt8(ascii: "\"") {
                    if index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "\"") {
                        field.append(byte)
                        index += 1
                    } else {
                        quoted = false
                    }
                } else {
                    if byte == UInt8(ascii: "\n") { line += 1 }
                    field.append(byte)
                }
            } else if byte == UInt8(ascii: "\"") && field.isEmpty && !fieldWasQuoted {
                quoted = true
                fieldWasQuoted = true
                quoteLine = line
            } else if byte == separator {
                try endField()
            } else if byte == UInt8(ascii: "\n") {
                try endRecord()
                line += 1
                recordLine = line
            } else if byte == UInt8(ascii: "\r") {
                // Part of CRLF; a lone CR is dropped too.
            } else {
                field.append(byte)
            }
            index += 1
        }
        if quoted { throw Problem(code: .unterminatedQuote, line: quoteLine, field: fields.count + 1) }
        if !field.isEmpty || !fields.isEmpty { try endRecord() }
        return records
    }

    /// `;` when the header line has more of them than commas, else `,`.
    static func separator(_ bytes: [UInt8], from start: Int) -> UInt8 {
        var commas = 0
        var semicolons = 0
        for byte in bytes[start...] {
            if byte == UInt8(ascii: "\n") { break }
            if byte == UInt8(ascii: ",") { commas += 1 }
            if byte == UInt8(ascii: ";") { semicolons += 1 }
        }
        return semicolons > commas ? UInt8(ascii: ";") : UInt8(ascii: ",")
    }
}
