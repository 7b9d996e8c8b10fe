import DataAccess
import Foundation
import TestSupport
import Testing

@Suite("Binding and decoding")
struct SQLBindingTests {
    @Test("interpolated values become numbered parameters, never SQL text")
    func interpolationBinds() {
        let name = "x'); DROP TABLE kernel.migrations; --"
        let limit = 10
        let sql: SQL = "SELECT * FROM t WHERE name = \(name) AND n < \(limit)"
        #expect(sql.text == "SELECT * FROM t WHERE name = $1 AND n < $2")
        #expect(sql.bindings.map(\.value) == [name, "10"])
        #expect(!sql.text.contains("DROP"))
    }

    @Test("fragments renumber their parameters when composed")
    func fragmentsCompose() {
        let first: SQL = "a = \(1)"
        let second: SQL = "b = \(2)"
        let combined: SQL = "SELECT 1 WHERE \(SQL.joined([first, second], separator: " AND ")) AND c = \(3)"
        #expect(combined.text == "SELECT 1 WHERE a = $1 AND b = $2 AND c = $3")
        #expect(combined.bindings.map(\.value) == ["1", "2", "3"])
    }

    @Test("a hostile string round-trips as data")
    func hostileStringIsData() async throws {
        try await TestPostgres.withDatabase { database, _ in
            try await database.execute("CREATE TABLE people (name text)")
            let hostile = "Robert'); DROP TABLE people; --"
            try await database.execute("INSERT INTO people (name) VALUES (\(hostile))")
            let rows = try await database.query("SELECT name FROM people")
            #expect(try rows.single().decode("name", as: String.self) == hostile)
        }
    }

    @Test("empty, NULL, non-ASCII and very long values reach PostgreSQL intact and in their places")
    func valuesOfEverySizeRoundTrip() async throws {
        try await TestPostgres.withDatabase { database, _ in
            // Far beyond what the parameter buffer keeps on the stack.
            let long = String(repeating: "Kooperativ Ängen ", count: 20_000)
            let missing: String? = nil
            let row = try await database.query(
                """
                SELECT \("") AS empty, \(missing) AS nothing, \("åäö") AS swedish, \(long) AS long,
                       length(\(long)) AS length, \("last") AS last
                """
            ).single()
            #expect(try row.decode("empty", as: String.self) == "")
            #expect(row.isNull("nothing"))
            #expect(try row.decode("swedish", as: String.self) == "åäö")
            #expect(try row.decode("long", as: String.self) == long)
            #expect(try row.decode("length", as: Int.self) == long.count)
            #expect(try row.decode("last", as: String.self) == "last")
        }
    }

    @Test("every supported type round-trips through PostgreSQL")
    func typesRoundTrip() async throws {
        struct Payload: Codable, Equatable, Sendable {
            var topic: String
            var minutes: Int
        }
        try await TestPostgres.withDatabase { database, _ in
            let id = UUID()
            let instant = Date(timeIntervalSince1970: 1_764_393_600.123456)
            let day = LocalDate(year: 2015, month: 12, day: 31)!
            let amount = Decimal(string: "1234567.89")!
            let bytes = Data([0, 1, 2, 254, 255])
            let payload = Payload(topic: "ekonomi", minutes: 90)
            let rows = try await database.query(
                """
                SELECT \(42)::int8 AS big, \(Int32(7))::int4 AS small, \("Åsa Öberg")::text AS name, \(true) AS flag,
                       \(2.5) AS ratio, \(amount) AS amount, \(day) AS day, \(instant) AS at, \(id) AS id,
                       \(bytes) AS bytes, \(JSONB(payload)) AS payload, \(Optional<String>.none) AS nothing
                """
            )
            let row = try rows.single()
            #expect(try row.decode("big", as: Int.self) == 42)
            #expect(try row.decode("small", as: Int32.self) == 7)
            #expect(try row.decode("name", as: String.self) == "Åsa Öberg")
            #expect(try row.decode("flag", as: Bool.self))
            #expect(try row.decode("ratio", as: Double.self) == 2.5)
            #expect(try row.decode("amount", as: Decimal.self) == amount)
            #expect(try row.decode("day", as: LocalDate.self) == day)
            let decodedInstant = try row.decode("at", as: Date.self)
            #expect(abs(decodedInstant.timeIntervalSince1970 - instant.timeIntervalSince1970) < 0.000_001)
            #expect(try row.decode("id", as: UUID.self) == id)
            #expect(try row.decode("bytes", as: Data.self) == bytes)
            #expect(try row.decode("payload", as: JSONB<Payload>.self).value == payload)
            #expect(try row.decode("nothing", as: String?.self) == nil)
            #expect(row.isNull("nothing"))
        }
    }

    @Test("a timestamp reads as the same instant whatever offset the session writes it with, to the microsecond")
    func timestampOffsets() async throws {
        try await TestPostgres.withDatabase(poolSize: 1) { database, _ in
            // UTC, whole-hour, half-hour and negative offsets, and Stockholm's local mean time of
            // 1850 (+01:12:12), which PostgreSQL writes with seconds.
            for zone in ["UTC", "Europe/Stockholm", "Asia/Kolkata", "America/St_Johns"] {
                _ = try await database.query("SELECT set_config('TimeZone', \(zone), false)")
                let row = try await database.query(
                    """
                    SELECT '2026-11-29 05:17:04.123456+00'::timestamptz AS at, '1850-06-01 12:00:00+00'::timestamptz AS old,
                           '2026-11-29 05:17:04.5'::timestamp AS plain, '2026-11-29 05:17:04.123456+00'::timestamptz::text AS text
                    """
                ).single()
                let at = try row.decode("at", as: Date.self).timeIntervalSince1970
                #expect(abs(at - 1_795_929_424.123_456) < 0.000_001, "\(zone): \((try? row.decode("text", as: String.self)) ?? "")")
                #expect(try row.decode("old", as: Date.self).timeIntervalSince1970 == -3_773_736_000, "\(zone)")
                #expect(try row.decode("plain", as: Date.self).timeIntervalSince1970 == 1_795_929_424.5, "\(zone)")
            }
        }
    }

    @Test("decoding errors name the column and both types")
    func decodingErrorsNameColumnAndTypes() async throws {
        try await TestPostgres.withDatabase { database, _ in
            let row = try await database.query("SELECT 'abc'::text AS label, NULL::int8 AS missing").single()
            let wrongType = #expect(throws: DatabaseError.self) { try row.decode("label", as: Int.self) }
            #expect(wrongType?.code == .decoding)
            #expect(wrongType?.message.contains("\"label\"") == true)
            #expect(wrongType?.message.contains("text") == true)
            #expect(wrongType?.message.contains("Int") == true)

            let null = #expect(throws: DatabaseError.self) { try row.decode("missing", as: Int.self) }
            #expect(null?.message.contains("NULL") == true)
            #expect(try row.decode("missing", as: Int?.self) == nil)

            let absent = #expect(throws: DatabaseError.self) { try row.decode("nope", as: Int.self) }
            #expect(absent?.code == .missingColumn)
            #expect(absent?.message.contains("label") == true)
        }
    }

    @Test("a column is found by its name in a result of a few columns and of many, the first of two with one name")
    func columnsByName() async throws {
        try await TestPostgres.withDatabase { database, _ in
            // 3 and 40 columns: below and above the count up to which names are compared one by one.
            for count in [3, 40] {
                let list = (1...count).map { "\($0) AS c\($0)" }.joined(separator: ", ")
                let row = try await database.query(SQL(stringLiteral: "SELECT \(list), -1 AS c2, 'x' AS long_column_name_of_forty_characters__"))
                    .single()
                for column in [1, 2, count] { #expect(try row.decode("c\(column)", as: Int.self) == column, "\(count) columns") }
                #expect(try row.decode("long_column_name_of_forty_characters__", as: String.self) == "x")
                #expect(!row.isNull("c1"))
                #expect(!row.isNull("nope"))
                let absent = #expect(throws: DatabaseError.self) { try row.decode("c\(count + 1)", as: Int.self) }
                #expect(absent?.code == .missingColumn)
            }
        }
    }

    @Test("arrays bind as one parameter for ANY()")
    func arraysBind() async throws {
        try await TestPostgres.withDatabase { database, _ in
            let rows = try await database.query(
                "SELECT x FROM generate_series(1, 10) AS x WHERE x = ANY(\([2, 4, 6])) ORDER BY x"
            )
            #expect(try rows.map { try $0.decode("x", as: Int.self) } == [2, 4, 6])
            let names = try await database.query("SELECT unnest(\(["a\"b", "c,d", "e\\f"])) AS n")
            #expect(try names.map { try $0.decode("n", as: String.self) } == ["a\"b", "c,d", "e\\f"])
        }
    }

    @Test("LocalDate rejects days that do not exist and orders correctly")
    func localDates() {
        #expect(LocalDate("2026-02-30") == nil)
        #expect(LocalDate("2024-02-29") != nil)
        #expect(LocalDate("2026-13-01") == nil)
        for malformed in [
            "+026-01-01", "2026-1-01", "2026-01-1", "2026/01/01", " 2026-01-01", "2026-01-01 ", "20260101", "2026-0a-01", "", "ÅÅÅÅ-MM-DD",
        ] {
            #expect(LocalDate(malformed) == nil, "\(malformed) is not YYYY-MM-DD")
        }
        #expect(LocalDate("0001-01-01") == LocalDate(year: 1, month: 1, day: 1))
        #expect(LocalDate("2015-12-31")! < LocalDate("2016-01-01")!)
        #expect(LocalDate("2015-12-31")!.adding(days: 1) == LocalDate("2016-01-01"))
        #expect(LocalDate(daysSinceEpoch: 0).description == "1970-01-01")
    }

    @Test("a repeated statement still works after its table changes shape")
    func preparedStatementSurvivesSchemaChange() async throws {
        try await TestPostgres.withDatabase(poolSize: 1) { database, _ in
            try await database.execute("CREATE TABLE shapes (a int)")
            try await database.execute("INSERT INTO shapes VALUES (\(1))")
            let query: SQL = "SELECT * FROM shapes WHERE a = \(1)"
            #expect(try await database.query(query).columns.map(\.name) == ["a"])
            try await database.execute("ALTER TABLE shapes ADD COLUMN b text DEFAULT 'x'")
            let after = try await database.query(query)
            #expect(after.columns.map(\.name) == ["a", "b"])
            #expect(try after.single().decode("b", as: String.self) == "x")
        }
    }

    @Test("statements with parameters are prepared once per connection, except those planned for each run")
    func preparedOrPlannedPerRun() async throws {
        try await TestPostgres.withDatabase(poolSize: 1) { database, _ in
            let prepared = try await database.withConnection { db -> [String] in
                for value in 1...3 { _ = try db.query("SELECT \(value) + 1 AS n") }
                let pattern = "%x%"
                for _ in 1...3 { _ = try db.query(SQL("SELECT \(pattern)::text LIKE 'axb' AS hit").plannedForEachRun()) }
                return try db.query("SELECT statement FROM pg_prepared_statements").map { try $0.decode("statement", as: String.self) }
            }
            #expect(prepared.contains { $0.contains("+ 1 AS n") })
            #expect(!prepared.contains { $0.contains("LIKE") })
        }
    }

    @Test("the COMMIT that carries queued statements is prepared once per connection, and they all land")
    func preparedCommit() async throws {
        try await TestPostgres.withDatabase(poolSize: 1) { database, _ in
            try await database.execute("CREATE TABLE landed (n int)")
            for n in 1...3 {
                try await database.transaction { tx in tx.executeAtCommit("INSERT INTO landed VALUES (\(n))") }
            }
            let commits = try await database.query("SELECT count(*) AS n FROM pg_prepared_statements WHERE statement = 'COMMIT'")
            #expect(try commits.single().decode("n", as: Int.self) == 1)
            let landed = try await database.query("SELECT string_agg(n::text, ',' ORDER BY n) AS ns FROM landed")
            #expect(try landed.single().decode("ns", as: String.self) == "1,2,3")
        }
    }
}

@Suite("Plans for each run")
struct PlannedForEachRunTests {
    /// A statement whose generic plan fails: planning folds the constants of a CASE's arms, and
    /// only a plan that knows the value (42) can drop the arm that divides by zero first (the
    /// PostgreSQL manual's own example, "Expression Evaluation Rules").
    static let probe: SQL = "SELECT CASE WHEN \(42) = 0 THEN 1 / 0 ELSE 1 END AS n"

    @Test("a statement planned for each run is planned with its values, a prepared one with the generic plan; the mode is restored after a failure")
    func customPlan() async throws {
        // One connection, so the checks after the transaction see the connection it ran on.
        try await TestPostgres.withDatabase(poolSize: 1) { database, _ in
            try await database.withConnection { connection throws in
                #expect(throws: DatabaseError.self) { _ = try connection.query(Self.probe) }
                #expect(try connection.query(Self.probe.plannedForEachRun()).single().decode("n", as: Int.self) == 1)
                // A failing one, alone and inside a transaction: later statements are generic again.
                #expect(throws: DatabaseError.self) { _ = try connection.query(SQL("SELECT 1 / \(0)").plannedForEachRun()) }
                #expect(throws: DatabaseError.self) { _ = try connection.query(Self.probe) }
            }
            await #expect(throws: DatabaseError.self) {
                try await database.transaction { tx in _ = try tx.query(SQL("SELECT 1 / \(0)").plannedForEachRun()) }
            }
            let mode = try await database.withConnection { connection in
                try connection.query("SHOW plan_cache_mode").single().decode("plan_cache_mode", as: String.self)
            }
            #expect(mode == "force_generic_plan")
        }
    }

    @Test("in a transaction, a statement planned for each run leaves the transaction's own plan mode as it found it")
    func transactionMode() async throws {
        try await TestPostgres.withDatabase(poolSize: 1) { database, _ in
            let show: SQL = "SHOW plan_cache_mode"
            let modes = try await database.transaction { tx in
                let plain = try tx.query(Self.probe.plannedForEachRun()).single().decode("n", as: Int.self)
                let afterPlain = try tx.query(show).single().decode("plan_cache_mode", as: String.self)
                // A transaction that plans everything for its values (the ESF import) keeps doing so.
                try tx.execute("SET LOCAL plan_cache_mode = force_custom_plan")
                _ = try tx.query(Self.probe.plannedForEachRun())
                let afterLocal = try tx.query(show).single().decode("plan_cache_mode", as: String.self)
                return (plain, afterPlain, afterLocal)
            }
            #expect(modes.0 == 1)
            #expect(modes.1 == "force_generic_plan")
            #expect(modes.2 == "force_custom_plan")
            let after = try await database.withConnection { connection in
                try connection.query(show).single().decode("plan_cache_mode", as: String.self)
            }
            #expect(after == "force_generic_plan")
        }
    }
}
