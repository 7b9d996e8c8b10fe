import DataAccess
import TestSupport
import Testing

@Suite("COPY FROM STDIN")
struct CopyTests {
    /// Values the text format must escape, and text that looks like its markers.
    static let tricky: [String?] = [
        "plain", "tab\there", "line\nbreak", "carriage\rreturn", "back\\slash", "\\N", "\\.", "", nil, "åäö ÅÄÖ 😀 ∑", "end\\",
        "\"quoted\", with comma",
    ]

    @Test("tricky values arrive exactly as sent, NULL as NULL and the text \\N as text")
    func roundTrip() async throws {
        try await TestPostgres.withDatabase { database, _ in
            let (copied, read) = try await database.transaction { tx in
                try tx.execute("CREATE TEMP TABLE copy_target (n integer, value text) ON COMMIT DROP")
                let copied = try tx.copy(
                    into: "pg_temp.copy_target",
                    columns: ["n", "value"],
                    rows: Self.tricky.enumerated().map { [String($0.offset), $0.element] }
                )
                let read = try tx.query("SELECT value FROM copy_target ORDER BY n").map { try $0.decode("value", as: String?.self) }
                return (copied, read)
            }
            #expect(copied == Self.tricky.count)
            #expect(read == Self.tricky)
        }
    }

    @Test("many rows, beyond one send buffer, all arrive")
    func manyRows() async throws {
        try await TestPostgres.withDatabase { database, _ in
            let (count, sum) = try await database.transaction { tx in
                try tx.execute("CREATE TEMP TABLE copy_many (n integer, label text) ON COMMIT DROP")
                try tx.copy(into: "copy_many", columns: ["n", "label"], rows: (1...20_000).lazy.map { [String($0), "row \($0)\twith a tab"] })
                let row = try tx.query("SELECT count(*) AS c, sum(n) AS s FROM copy_many WHERE label LIKE '%\twith a tab'").single()
                return (try row.decode("c", as: Int.self), try row.decode("s", as: Int.self))
            }
            #expect(count == 20_000)
            #expect(sum == 20_000 * 20_001 / 2)
        }
    }

    @Test("a failing COPY rolls back what the transaction did, and the connection serves the next caller")
    func failureRollsBack() async throws {
        try await TestPostgres.withDatabase(poolSize: 1) { database, _ in
            try await database.execute("CREATE TABLE copy_kept (n integer NOT NULL)")
            let bad = await #expect(throws: DatabaseError.self) {
                try await database.transaction { tx in
                    try tx.execute("INSERT INTO copy_kept VALUES (1)")
                    try tx.copy(into: "copy_kept", columns: ["n"], rows: [["2"], ["not a number"], ["3"]])
                }
            }
            #expect(bad?.sqlState == "22P02")
            // A row of the wrong width is refused before it is sent.
            await #expect(throws: DatabaseError.self) {
                try await database.transaction { tx in try tx.copy(into: "copy_kept", columns: ["n"], rows: [["4", "5"]]) }
            }
            #expect(try await database.query("SELECT count(*) AS c FROM copy_kept").single().decode("c", as: Int.self) == 0)
            let copied = try await database.transaction { tx in try tx.copy(into: "copy_kept", columns: ["n"], rows: [["7"], [nil]].prefix(1)) }
            #expect(copied == 1)
            #expect(try await database.query("SELECT sum(n) AS s FROM copy_kept").single().decode("s", as: Int.self) == 7)
        }
    }
}
