import Foundation
import Testing

@testable import PageKit

/// A browser's `multipart/form-data` upload read into its fields and files, and bodies that do
/// not follow the framing refused rather than half read.
@Suite("Multipart forms")
struct MultipartFormTests {
    static let boundary = "----WebKitFormBoundary7MA4YWxkTrZu0gW"

    /// A body as a browser frames it.
    static func body(_ parts: [String], file: Data) -> Data {
        var data = Data()
        for part in parts { data.append(Data("--\(boundary)\r\n\(part)\r\n".utf8)) }
        data.append(Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"content\"; filename=\"C:\\\\Mina dokument\\\\avtal.pdf\"\r\n".utf8))
        data.append(Data("Content-Type: application/pdf\r\n\r\n".utf8))
        data.append(file)
        data.append(Data("\r\n--\(boundary)--\r\n".utf8))
        return data
    }

    @Test("the boundary from the Content-Type; none for another type or a boundary past 70 characters")
    func boundaryOfContentType() {
        #expect(MultipartForm.boundary(of: "multipart/form-data; boundary=\(Self.boundary)") == Self.boundary)
        #expect(MultipartForm.boundary(of: "Multipart/Form-Data; boundary=\"a b\"") == "a b")
        #expect(MultipartForm.boundary(of: "application/x-www-form-urlencoded") == nil)
        #expect(MultipartForm.boundary(of: "multipart/form-data") == nil)
        #expect(MultipartForm.boundary(of: "multipart/form-data; boundary=" + String(repeating: "x", count: 71)) == nil)
        #expect(MultipartForm.boundary(of: nil) == nil)
    }

    @Test("text fields and a file with its bytes (CRLFs and the boundary's dashes inside kept), its name without the path")
    func fieldsAndFile() throws {
        let file = Data("%PDF-1.4\r\n--\r\n\u{0}\u{FF}".utf8) + Data([0, 255, 13, 10])
        let body = Self.body(
            ["Content-Disposition: form-data; name=\"_csrf\"\r\n\r\nkop_token", "Content-Disposition: form-data; name=\"note\"\r\n\r\nÅr 2016"],
            file: file
        )
        let (fields, files) = try MultipartForm.parse(body, boundary: Self.boundary)
        #expect(fields.raw("_csrf") == "kop_token")
        #expect(fields.raw("note") == "År 2016")
        #expect(files.count == 1)
        #expect(files.first?.field == "content")
        #expect(files.first?.filename == "avtal.pdf")
        #expect(files.first?.contentType == "application/pdf")
        #expect(files.first?.content == file)
    }

    @Test("a body that does not follow the framing is refused")
    func malformed() {
        let good = Self.body([], file: Data("x".utf8))
        for bad in [Data("no boundary here".utf8), good.prefix(good.count - 8), Data("--\(Self.boundary)\r\nno header end".utf8)] {
            #expect(throws: MultipartForm.Malformed.self) { try MultipartForm.parse(bad, boundary: Self.boundary) }
        }
    }
}
