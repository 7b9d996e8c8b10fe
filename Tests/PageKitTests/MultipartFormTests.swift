import Foundation
import Testing

@testable import PageKit

/// A form with a file, as a browser posts it: fields and files read, anything malformed refused.
@Suite("Multipart forms")
struct MultipartFormTests {
    static func body(_ text: String) -> [UInt8] { Array(text.replacingOccurrences(of: "\n", with: "\r\n").utf8) }

    @Test("fields and a file; a path in the file name is dropped; the boundary from the content type")
    func reads() throws {
        #expect(MultipartForm.boundary(contentType: #"multipart/form-data; boundary="----abc""#) == "----abc")
        #expect(MultipartForm.boundary(contentType: "application/x-www-form-urlencoded") == nil)
        let form = try MultipartForm(
            body: Self.body(
                """
                preamble
                --xyz
                Content-Disposition: form-data; name="_csrf"

                token;1
                --xyz
                Content-Disposition: form-data; name="file"; filename="C:\\\\Users\\\\a\\\\deltagare.csv"
                Content-Type: text/csv

                a,b
                1,2

                --xyz--

                """
            ),
            boundary: "xyz"
        )
        #expect(form.fields.raw("_csrf") == "token;1")
        let file = try #require(form.file("file"))
        #expect(file.filename == "deltagare.csv")
        #expect(file.contentType == "text/csv")
        #expect(file.bytes == Array("a,b\r\n1,2\r\n".utf8))
    }

    @Test("a body that does not end, or a part without a name, is refused as a whole")
    func refuses() {
        #expect(throws: MultipartForm.Malformed.self) {
            try MultipartForm(body: Self.body("--xyz\nContent-Disposition: form-data; name=\"a\"\n\nno end"), boundary: "xyz")
        }
        #expect(throws: MultipartForm.Malformed.self) {
            try MultipartForm(body: Self.body("--xyz\nContent-Disposition: attachment\n\nx\n--xyz--\n"), boundary: "xyz")
        }
        #expect(throws: MultipartForm.Malformed.self) { try MultipartForm(body: [], boundary: "xyz") }
        let empty = try? MultipartForm(
            body: Self.body("--xyz\nContent-Disposition: form-data; name=\"file\"; filename=\"\"\n\n\n--xyz--\n"),
            boundary: "xyz"
        )
        #expect(empty?.file("file") == nil, "no file chosen")
    }
}
