import DataAccess
import TestSupport
import Testing

@Suite("JSON values")
struct JSONValueTests {
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
