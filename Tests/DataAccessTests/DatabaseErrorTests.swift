import DataAccess
import TestSupport
import Testing

@Suite("Errors and transactions")
struct DatabaseErrorTests {
    @Test("constraint violations are recognisable by kind, with a message free of the values")
    func constraintViolations() async throws {
        try await TestPostgres.withDatabase { database, _ in
            try await database.execute(
                "CREATE TABLE parents (id int PRIMARY KEY, number text UNIQUE CONSTRAINT number_format CHECK (length(number) = 10))"
            )
            try await database.execute("CREATE TABLE children (id int PRIMARY KEY, parent int NOT NULL REFERENCES parents)")
            try await database.execute("INSERT INTO parents VALUES (1, \("5560000001"))")

            let unique = await #expect(throws: DatabaseError.self) {
                try await database.execute("INSERT INTO parents VALUES (2, \("5560000001"))")
            }
            #expect(unique?.isUniqueViolation == true)
            #expect(unique?.sqlState == "23505")
            #expect(unique?.constraint == "parents_number_key")
            #expect(unique?.description.contains("5560000001") == false)
            #expect(unique?.debugDescription.contains("5560000001") == true)

            let check = await #expect(throws: DatabaseError.self) {
                try await database.execute("INSERT INTO parents VALUES (3, \("123"))")
            }
            #expect(check?.isCheckViolation == true)
            #expect(check?.constraint == "number_format")

            let foreignKey = await #expect(throws: DatabaseError.self) {
                try await database.execute("INSERT INTO children VALUES (1, \(99))")
            }
            #expect(foreignKey?.isForeignKeyViolation == true)

            let notNull = await #expect(throws: DatabaseError.self) {
                try await database.execute("INSERT INTO children VALUES (2, \(Optional<Int>.none))")
            }
            #expect(notNull?.isNotNullViolation == true)
            #expect(notNull?.column == "parent")

            let syntax = await #expect(throws: DatabaseError.self) { try await database.execute("SELEC 1") }
            #expect(syntax?.sqlState == "42601")
            #expect(syntax?.isUnavailable == false)
        }
    }

    @Test("a transaction commits when its closure returns")
    func transactionCommits() async throws {
        try await TestPostgres.withDatabase { database, _ in
            try await database.execute("CREATE TABLE notes (body text)")
            let inserted = try await database.transaction { tx in
                try tx.execute("INSERT INTO notes VALUES (\("one"))") + tx.execute("INSERT INTO notes VALUES (\("two"))")
            }
            #expect(inserted == 2)
            let count = try await database.query("SELECT count(*) AS n FROM notes").single().decode("n", as: Int.self)
            #expect(count == 2)
        }
    }

    @Test("a transaction rolls back everything when its closure throws")
    func transactionRollsBack() async throws {
        struct Abort: Error {}
        try await TestPostgres.withDatabase { database, _ in
            try await database.execute("CREATE TABLE notes (body text)")
            await #expect(throws: Abort.self) {
                try await database.transaction { tx in
                    try tx.execute("INSERT INTO notes VALUES (\("lost"))")
                    throw Abort()
                }
            }
            await #expect(throws: DatabaseError.self) {
                try await database.transaction { tx in
                    try tx.execute("INSERT INTO notes VALUES (\("lost too"))")
                    try tx.execute("INSERT INTO missing_table VALUES (1)")
                }
            }
            let count = try await database.query("SELECT count(*) AS n FROM notes").single().decode("n", as: Int.self)
            #expect(count == 0)
            // The connection went back to the pool clean: a new statement works.
            try await database.execute("INSERT INTO notes VALUES (\("kept"))")
        }
    }

    @Test("a savepoint rolls back only its own statements")
    func savepoint() async throws {
        try await TestPostgres.withDatabase { database, _ in
            try await database.execute("CREATE TABLE notes (body text UNIQUE)")
            try await database.transaction { tx in
                try tx.execute("INSERT INTO notes VALUES (\("a"))")
                _ = try? tx.savepoint { inner in try inner.execute("INSERT INTO notes VALUES (\("a"))") }
                try tx.execute("INSERT INTO notes VALUES (\("b"))")
            }
            let count = try await database.query("SELECT count(*) AS n FROM notes").single().decode("n", as: Int.self)
            #expect(count == 2)
        }
    }

    @Test("statements queued for the commit land with it; one that fails rolls the whole transaction back")
    func executeAtCommit() async throws {
        try await TestPostgres.withDatabase { database, _ in
            try await database.execute("CREATE TABLE notes (body text UNIQUE)")
            try await database.transaction { tx in
                tx.executeAtCommit("INSERT INTO notes VALUES (\("queued"))")
                try tx.execute("INSERT INTO notes VALUES (\("direct"))")
                // A queued statement of a savepoint that rolls back is dropped with it.
                _ = try? tx.savepoint { inner in
                    inner.executeAtCommit("INSERT INTO notes VALUES (\("from a failed savepoint"))")
                    try inner.execute("INSERT INTO notes VALUES (\("direct"))")
                }
            }
            let bodies = try await database.query("SELECT body FROM notes ORDER BY body").map { try $0.decode("body", as: String.self) }
            #expect(bodies == ["direct", "queued"])

            let error = await #expect(throws: DatabaseError.self) {
                try await database.transaction { tx in
                    try tx.execute("INSERT INTO notes VALUES (\("lost"))")
                    tx.executeAtCommit("INSERT INTO notes VALUES (\("queued"))")  // a duplicate: fails at commit
                    tx.executeAtCommit("INSERT INTO notes VALUES (\("after the failure"))")
                }
            }
            #expect(error?.isUniqueViolation == true)
            let after = try await database.query("SELECT body FROM notes ORDER BY body").map { try $0.decode("body", as: String.self) }
            #expect(after == ["direct", "queued"])
            // The connection went back to the pool clean.
            try await database.execute("INSERT INTO notes VALUES (\("next"))")
        }
    }

    @Test("onCommit actions run after commit and never after a rollback")
    func commitActions() async throws {
        struct Abort: Error {}
        try await TestPostgres.withDatabase { database, _ in
            let committed = Flag()
            try await database.transaction { tx in tx.onCommit { committed.set() } }
            #expect(committed.value)
            let rolledBack = Flag()
            _ = try? await database.transaction { tx in
                tx.onCommit { rolledBack.set() }
                throw Abort()
            }
            #expect(!rolledBack.value)
        }
    }
}

final class Flag: Sendable {
    private let storage = LockedBox(false)
    func set() { storage.set(true) }
    var value: Bool { storage.get() }
}
