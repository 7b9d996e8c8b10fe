public import Foundation

/// A page form posted as `multipart/form-data` (RFC 7578, `enctype="multipart/form-data"`, the
/// only way a browser sends a file): its text fields, as ``FormValues``, and its files. The host's
/// session middleware reads it, checks the CSRF token among its fields as for any form, and puts
/// both into ``WebSession``.
///
/// Strict on purpose: a body that does not follow the format is refused as a whole, never read
/// in part. Parts are at most ``maxParts``; a part's headers at most 8 KiB.
public struct MultipartForm: Sendable {
    /// A file of the form.
    public struct File: Sendable, Hashable {
        /// The form field's name (`file`).
        public let field: String
        /// The name the browser gave (`deltagare.csv`), without any directory; may be empty.
        public let filename: String
        /// The part's `Content-Type`, if the browser said one.
        public let contentType: String?
        /// The file's bytes as sent.
        public let bytes: [UInt8]
    }

    /// A body that is not `multipart/form-data` as its header says.
    public struct Malformed: Error, CustomStringConvertible {
        /// What is wrong, safe to show.
        public let description: String
    }

    /// The text fields, in order.
    public private(set) var fields = FormValues()
    /// The files, in order.
    public private(set) var files: [File] = []

    /// The most parts a form may have.
    public static let maxParts = 200

    /// The first file posted as `field`, if one was chosen (a browser sends an empty part with an
    /// empty file name when none was).
    public func file(_ field: String) -> File? {
        files.first { $0.field == field && !($0.filename.isEmpty && $0.bytes.isEmpty) }
    }

    /// The boundary of a `multipart/form-data` content type; `nil` for any other type.
    public static func boundary(contentType: String) -> String? {
        let parameters = contentType.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
        guard parameters.first?.lowercased() == "multipart/form-data" else { return nil }
        for parameter in parameters.dropFirst() {
            let pair = parameter.split(separator: "=", maxSplits: 1).map(String.init)
            guard pair.count == 2, pair[0].trimmingCharacters(in: .whitespaces).lowercased() == "boundary" else { continue }
            var value = pair[1].trimmingCharacters(in: .whitespaces)
            if value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") { value = String(value.dropFirst().dropLast()) }
            // RFC 2046: 1 to 70 characters.
            return (1...70).contains(value.utf8.count) ? value : nil
        }
        return nil
    }

    /// Reads `body`, delimited by `boundary`.
    ///
    /// - Throws: ``Malformed`` for a body that does not follow the format.
    public init(body: [UInt8], boundary: String) throws(Malformed) {
        let delimiter = Array("--\(boundary)".utf8)
        let crlf: [UInt8] = [13, 10]
        // The first delimiter opens the body (a preamble before it is ignored, as RFC 2046 says).
        guard var position = Self.find(delimiter, in: body, from: 0) else { throw Malformed(description: "no part in the form") }
        position += delimiter.count
        let next = crlf + delimiter
        while true {
            if Self.starts(with: [45, 45], in: body, at: position) { return }  // "--": the closing delimiter
            guard Self.starts(with: crlf, in: body, at: position) else { throw Malformed(description: "a delimiter is not followed by a line end") }
            guard files.count + fields.pairs.count < Self.maxParts else { throw Malformed(description: "more than \(Self.maxParts) parts") }
            let headersStart = position + 2
            guard let headersEnd = Self.find(crlf + crlf, in: body, from: headersStart), headersEnd - headersStart <= 8192 else {
                throw Malformed(description: "a part's headers do not end")
            }
            let contentStart = headersEnd + 4
            guard let contentEnd = Self.find(next, in: body, from: contentStart) else { throw Malformed(description: "a part does not end") }
            try add(headers: Array(body[headersStart..<headersEnd]), content: Array(body[contentStart..<contentEnd]))
            position = contentEnd + next.count
        }
    }

    /// Adds one part from its headers and content.
    private mutating func add(headers: [UInt8], content: [UInt8]) throws(Malformed) {
        guard let text = String(bytes: headers, encoding: .utf8) else { throw Malformed(description: "a part's headers are not UTF-8") }
        var disposition: [String: String]?
        var contentType: String?
        for line in text.components(separatedBy: "\r\n") where !line.isEmpty {
            let pair = line.split(separator: ":", maxSplits: 1).map(String.init)
            guard pair.count == 2 else { throw Malformed(description: "a part's header has no name") }
            switch pair[0].trimmingCharacters(in: .whitespaces).lowercased() {
            case "content-disposition": disposition = Self.parameters(of: pair[1])
            case "content-type": contentType = pair[1].trimmingCharacters(in: .whitespaces)
            default: continue
            }
        }
        guard let disposition, disposition[""] == "form-data", let name = disposition["name"] else {
            throw Malformed(description: "a part is not a form field")
        }
        if let filename = disposition["filename"] {
            // Some browsers send a path; only its last component names the file.
            let last = filename.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? ""
            files.append(File(field: name, filename: last, contentType: contentType, bytes: content))
        } else {
            guard let value = String(bytes: content, encoding: .utf8) else { throw Malformed(description: "the field \(name) is not UTF-8") }
            fields = FormValues(fields.pairs + [(name, value)])
        }
    }

    /// A header's value and its parameters: `form-data; name="file"; filename="a.csv"` gives
    /// `["": "form-data", "name": "file", "filename": "a.csv"]`. Browsers write a quote in a
    /// name as `%22`; a backslash-escaped one is read too.
    static func parameters(of value: String) -> [String: String] {
        var result: [String: String] = [:]
        var scalars = Substring(value)
        func skipSpaces() { scalars = scalars.drop { $0 == " " || $0 == "\t" } }
        skipSpaces()
        let first = scalars.prefix { $0 != ";" }
        result[""] = first.trimmingCharacters(in: .whitespaces).lowercased()
        scalars = scalars.dropFirst(first.count)
        while scalars.first == ";" {
            scalars = scalars.dropFirst()
            skipSpaces()
            let key = scalars.prefix { $0 != "=" && $0 != ";" }
            scalars = scalars.dropFirst(key.count)
            guard scalars.first == "=" else { continue }
            scalars = scalars.dropFirst()
            var parsed = ""
            if scalars.first == "\"" {
                scalars = scalars.dropFirst()
                while let character = scalars.first, character != "\"" {
                    scalars = scalars.dropFirst()
                    if character == "\\", let escaped = scalars.first {
                        parsed.append(escaped)
                        scalars = scalars.dropFirst()
                    } else {
                        parsed.append(character)
                    }
                }
                scalars = scalars.dropFirst()
                scalars = scalars.drop { $0 != ";" }
            } else {
                let raw = scalars.prefix { $0 != ";" }
                parsed = raw.trimmingCharacters(in: .whitespaces)
                scalars = scalars.dropFirst(raw.count)
            }
            result[key.trimmingCharacters(in: .whitespaces).lowercased()] = parsed
        }
        return result
    }

    /// Where `needle` first occurs in `haystack` from `start`.
    static func find(_ needle: [UInt8], in haystack: [UInt8], from start: Int) -> Int? {
        guard let first = needle.first, haystack.count >= needle.count else { return nil }
        var index = start
        let last = haystack.count - needle.count
        while index <= last {
            guard let found = haystack[index...last].firstIndex(of: first) else { return nil }
            if starts(with: needle, in: haystack, at: found) { return found }
            index = found + 1
        }
        return nil
    }

    /// Whether `haystack` holds `prefix` at `index`.
    static func starts(with prefix: [UInt8], in haystack: [UInt8], at index: Int) -> Bool {
        guard index >= 0, index + prefix.count <= haystack.count else { return false }
        return haystack[index..<(index + prefix.count)].elementsEqual(prefix)
    }
}
