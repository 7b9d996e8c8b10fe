public import Foundation

/// Reads a `multipart/form-data` body (RFC 7578): its text fields as ``FormValues`` and its files
/// as ``UploadedFile``s. Hummingbird 2 has no multipart support of its own; this reads only what
/// a browser's form sends (one level, no nested multipart, no transfer encodings).
public enum MultipartForm {
    /// The body could not be read as a multipart form.
    public struct Malformed: Error, Sendable {}

    /// The boundary of a `Content-Type: multipart/form-data; boundary=…`; `nil` for any other type.
    public static func boundary(of contentType: String?) -> String? {
        guard let contentType else { return nil }
        let parts = contentType.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
        guard parts.first?.lowercased() == "multipart/form-data" else { return nil }
        for part in parts.dropFirst() {
            let pair = part.split(separator: "=", maxSplits: 1).map(String.init)
            guard pair.count == 2, pair[0].lowercased() == "boundary" else { continue }
            let value = pair[1].hasPrefix("\"") && pair[1].hasSuffix("\"") && pair[1].count >= 2 ? String(pair[1].dropFirst().dropLast()) : pair[1]
            // RFC 2046: 1–70 characters.
            return (1...70).contains(value.utf8.count) ? value : nil
        }
        return nil
    }

    /// The fields and files of `body`, in order.
    ///
    /// - Throws: ``Malformed`` when the body does not follow the boundary's framing.
    public static func parse(_ body: Data, boundary: String) throws(Malformed) -> (fields: FormValues, files: [UploadedFile]) {
        let bytes = [UInt8](body)
        let delimiter = Array("--\(boundary)".utf8)
        let separator = Array("\r\n--\(boundary)".utf8)
        guard bytes.starts(with: delimiter) else { throw Malformed() }
        var fields: [(name: String, value: String)] = []
        var files: [UploadedFile] = []
        var position = delimiter.count
        while true {
            // After a delimiter: "--" ends the body, CRLF starts a part.
            if bytes[position...].starts(with: Array("--".utf8)) { break }
            guard bytes[position...].starts(with: [13, 10]) else { throw Malformed() }
            position += 2
            guard let headerEnd = find([13, 10, 13, 10], in: bytes, from: position) else { throw Malformed() }
            let headers = String(decoding: bytes[position..<headerEnd], as: UTF8.self)
            let contentStart = headerEnd + 4
            guard let contentEnd = find(separator, in: bytes, from: contentStart) else { throw Malformed() }
            let content = Data(bytes[contentStart..<contentEnd])
            position = contentEnd + separator.count
            let (name, filename, type) = try partHeaders(headers)
            if let filename {
                files.append(UploadedFile(field: name, filename: filename, contentType: type ?? "application/octet-stream", content: content))
            } else {
                fields.append((name, String(decoding: content, as: UTF8.self)))
            }
        }
        return (FormValues(fields), files)
    }

    /// A part's field name, file name (without a path, as browsers send it) and media type.
    static func partHeaders(_ text: String) throws(Malformed) -> (name: String, filename: String?, type: String?) {
        var (name, filename, type): (String?, String?, String?) = (nil, nil, nil)
        for line in text.split(separator: "\r\n") {
            let pair = line.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard pair.count == 2 else { throw Malformed() }
            switch pair[0].lowercased() {
            case "content-disposition":
                name = parameter("name", in: pair[1])
                filename = parameter("filename", in: pair[1])
            case "content-type":
                type = pair[1]
            default:
                continue
            }
        }
        guard let name else { throw Malformed() }
        // Some browsers once sent the whole path; only its last component is the file's name.
        let last = filename.map { String($0.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last ?? "") }
        return (name, last, type)
    }

    /// A quoted parameter of a `Content-Disposition` (`name="file"`); browsers escape a quote in it as `%22`.
    static func parameter(_ key: String, in header: String) -> String? {
        guard let range = header.range(of: "; \(key)=\"") ?? header.range(of: ";\(key)=\"") else { return nil }
        let rest = header[range.upperBound...]
        guard let end = rest.firstIndex(of: "\"") else { return nil }
        return String(rest[..<end]).replacingOccurrences(of: "%22", with: "\"")
    }

    /// Where `needle` first occurs in `bytes` from `start`.
    static func find(_ needle: [UInt8], in bytes: [UInt8], from start: Int) -> Int? {
        guard !needle.isEmpty, bytes.count >= needle.count, start <= bytes.count - needle.count else { return nil }
        let first = needle[0]
        var index = start
        while index <= bytes.count - needle.count {
            if bytes[index] == first, bytes[index..<(index + needle.count)].elementsEqual(needle) { return index }
            index += 1
        }
        return nil
    }
}
