import DataAccess
import Foundation
import PluginKit
import TestSupport
import Testing

@Suite("Input, paging and JSON values")
struct InputTests {
    @Test("text input is trimmed; empty, too long and control characters are refused naming the field")
    func text() throws {
        #expect(try Input.text("  Café Gläntan \n", field: "/name") == "Café Gläntan")
        for (value, reason) in [("", "must not be empty"), (String(repeating: "x", count: 11), "at most 10"), ("a\u{1B}b", "position 2")] {
            let error = #expect(throws: FeatureError.self) { try Input.text(value, field: "/name", maxLength: 10) }
            #expect(error?.field == "/name")
            #expect(error?.message.contains(reason) == true, "\(error?.message ?? "")")
        }
        #expect(try Input.optionalText("   ", field: "/x") == nil)
    }

    @Test("a page cursor round-trips; a limit out of range and a forged or altered cursor are refused")
    func paging() throws {
        let page = try PageRequest(limit: 2, cursor: PageRequest.cursor(after: 12345))
        #expect(page.afterID == 12345)
        let made = page.page([1, 2, 3], id: { $0 })
        #expect(made.items == [1, 2])
        #expect(made.nextCursor == PageRequest.cursor(after: 2))
        #expect(page.page([1, 2], id: { $0 }).nextCursor == nil)
        #expect((#expect(throws: FeatureError.self) { try PageRequest(limit: 0) })?.field == "limit")
        // Forged, altered and old-style (unsigned) cursors are all refused as invalid cursors (400).
        let real = PageRequest.cursor(after: 12345)
        let altered = PageRequest.cursor(after: 2).prefix(while: { $0 != "." }) + real.drop(while: { $0 != "." })
        for forged in ["not-ours", "c9ix", String(altered), real + "A", String(real.dropLast())] {
            let error = #expect(throws: FeatureError.self) { try PageRequest(cursor: forged) }
            #expect(error?.field == "cursor")
            #expect(error?.code == .invalidCursor, "\(forged)")
        }
    }

    @Test("JSON values written for jsonb parameters read back equal from PostgreSQL, escapes included")
    func jsonRoundTrip() async throws {
        let value: JSONValue = [
            "text": "quote \" backslash \\ newline \n tab \t bell \u{7} åäö 😀", "int": 42, "negative": -7, "double": 2.5, "bool": true,
            "null": nil, "list": [1, "two", [3]], "nested": ["empty": [:], "none": []],
        ]
        try await TestPostgres.withDatabase { database, _ in
            let row = try await database.query("SELECT \(value) AS v, \(value) = \(JSONB(value)) AS same").single()
            #expect(try row.decode("v", as: JSONB<JSONValue>.self).value == value)
            #expect(try row.decode("same", as: Bool.self))
        }
    }
}
