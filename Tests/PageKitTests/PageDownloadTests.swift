import CSVKit
import Foundation
import Hummingbird
import Testing

@testable import PageKit

/// A list's CSV download from the pages opens in Excel as it is, in the reader's language.
@Suite("Page downloads")
struct PageDownloadTests {
    /// Where a response body's bytes go.
    final class Sink { var bytes: [UInt8] = [] }

    /// Collects a response body into a ``Sink``.
    struct Collector: ResponseBodyWriter {
        let sink: Sink
        mutating func write(_ buffer: ByteBuffer) async throws { sink.bytes += Array(buffer: buffer) }
        consuming func finish(_ trailingHeaders: HTTPFields?) async throws {}
    }

    /// The bytes of a result's body.
    static func bytes(_ result: PageResult) async throws -> [UInt8] {
        let sink = Sink()
        try await result.response.body.write(Collector(sink: sink))
        return sink.bytes
    }

    @Test("Swedish: a byte-order mark, `;` and 1234,50; English: a byte-order mark, `,` and 1234.50")
    func dialects() async throws {
        var csv = CSV("organisation", "amount")
        csv.add("Café Gläntan", "1234.50")
        let swedish = PageResult.csv(csv, filename: "lista.csv")
        #expect(swedish.response.headers[.contentType] == "text/csv; charset=utf-8")
        let sv = try await Self.bytes(swedish)
        #expect(Array(sv.prefix(3)) == [0xEF, 0xBB, 0xBF])
        #expect(String(decoding: sv.dropFirst(3), as: UTF8.self) == "organisation;amount\r\nCafé Gläntan;1234,50\r\n")
        let en = try await Self.bytes(swedish.reading(.en))
        #expect(Array(en.prefix(3)) == [0xEF, 0xBB, 0xBF])
        #expect(String(decoding: en.dropFirst(3), as: UTF8.self) == "organisation,amount\r\nCafé Gläntan,1234.50\r\n")
        #expect(try await Self.bytes(PageResult.html("<p>x</p>").reading(.en)) == Array("<p>x</p>".utf8), "a page stays as it is")
    }
}
