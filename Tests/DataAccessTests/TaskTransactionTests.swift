import DataAccess
import Synchronization
import TestSupport
import Testing

/// ``Database/withTaskTransaction(_:)``: what a task writes through the pool's usual calls lands
/// together or not at all.
@Suite("Task transactions")
struct TaskTransactionTests {
    static func bodies(_ database: Database) async throws -> [String] {
        try await database.query("SELECT body FROM notes ORDER BY body").map { try $0.decode("body", as: String.self) }
    }

    @Test("the task's transactions, queries and connections commit together when it returns, after its suspensions")
    func commitsTogether() async throws {
        try await TestPostgres.withDatabase { database, _ in
            try await database.execute("CREATE TABLE notes (body text UNIQUE)")
            let committed = Atomic<Int>(0)
            try await database.withTaskTransaction {
                try await database.transaction { tx in
                    try tx.execute("INSERT INTO notes VALUES (\("a"))")
                    tx.executeAtCommit("INSERT INTO notes VALUES (\("at commit"))")
                    tx.onCommit { committed.add(1, ordering: .relaxed) }
                }
                try await Task.sleep(for: .milliseconds(1))
                try await database.execute("INSERT INTO notes VALUES (\("b"))")
                try await database.withConnection { connection in
                    try connection.transaction { tx in try tx.execute("INSERT INTO notes VALUES (\("c"))") }
                }
                // The task reads what it wrote; nobody else does yet, and nothing waits for the commit.
                #expect(try await Self.bodies(database) == ["a", "b", "c"])
                #expect(committed.load(ordering: .relaxed) == 0)
            }
            #expect(try await Self.bodies(database) == ["a", "at commit", "b", "c"])
            #expect(committed.load(ordering: .relaxed) == 1)
        }
    }

    @Test("a throw rolls everything back but a separate transaction; a failure caught inside leaves the rest")
    func rollsBack() async throws {
        try await TestPostgres.withDatabase { database, _ in
            try await database.execute("CREATE TABLE notes (body text UNIQUE)")
            struct Refused: Error {}
            await #expect(throws: Refused.self) {
                try await database.withTaskTransaction {
                    try await database.transaction { tx in try tx.execute("INSERT INTO notes VALUES (\("lost"))") }
                    try await database.separateTransaction { tx in try tx.execute("INSERT INTO notes VALUES (\("kept"))") }
                    throw Refused()
                }
            }
            #expect(try await Self.bodies(database) == ["kept"])

            try await database.withTaskTransaction {
                try await database.execute("INSERT INTO notes VALUES (\("x"))")
                // A duplicate, caught: only its own savepoint rolls back.
                await #expect(throws: DatabaseError.self) { try await database.execute("INSERT INTO notes VALUES (\("x"))") }
                await #expect(throws: DatabaseError.self) {
                    try await database.transaction { tx in
                        try tx.execute("INSERT INTO notes VALUES (\("y"))")
                        try tx.execute("INSERT INTO notes VALUES (\("x"))")
                    }
                }
                try await database.execute("INSERT INTO notes VALUES (\("z"))")
            }
            #expect(try await Self.bodies(database) == ["kept", "x", "z"])
        }
    }
}
