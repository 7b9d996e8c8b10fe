/// Reads RFC 4180 CSV (the files an import takes): fields separated by `,` (or `;`, as a
/// spreadsheet with Swedish settings writes them, told by the header line), quoted with `"`
/// where they hold separators, quotes or line breaks; lines end with LF or CRLF. A UTF-8 byte
/// order mark is skipped.
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

    /// A quote left open at the end of the file.
    public struct UnterminatedQuote: Error, Sendable, Hashable {
        /// The line the quoted field starts on.
        public var line: Int
    }

    /// The records of `bytes`, blank lines left out.
    ///
    /// - Throws: ``UnterminatedQuote``.
    public static func records(in bytes: some Collection<UInt8>) throws(UnterminatedQuote) -> [Record] {
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

        func endField() {
            fields.append(String(decoding: field, as: UTF8.self))
            field.removeAll(keepingCapacity: true)
            fieldWasQuoted = false
        }
        func endRecord() {
            endField()
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
                endField()
            } else if byte == UInt8(ascii: "\n") {
                endRecord()
                line += 1
                recordLine = line
            } else if byte == UInt8(ascii: "\r") {
                // Part of CRLF; a lone CR is dropped too.
            } else {
                field.append(byte)
            }
            index += 1
        }
        if quoted { throw UnterminatedQuote(line: quoteLine) }
        if !field.isEmpty || !fields.isEmpty { endRecord() }
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
