import FeatureSupport
import Foundation
import PluginKit
import Testing

@Suite("Input and paging")
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

    @Test("a cursor handed out stays good for the life of the process: a second installation's key does not replace the first")
    func cursorKeyIsFixed() throws {
        let handedOut = PageRequest.cursor(after: 777)
        // Another host starting in the same process (as in the tests) offers a different key.
        #expect(!PageCursor.useKey(Data(repeating: 9, count: 32)))
        #expect(try PageRequest(cursor: handedOut).afterID == 777)
    }
}
