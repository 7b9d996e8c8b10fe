import DataAccess
import TestSupport
import Testing

@Suite("Migrations")
struct MigratorTests {
    static let registry = MigrationGroup(
        feature: "registry",
        migrations: [
            Migration(
                step: 1,
                name: "create schema",
                sql: "CREATE SCHEMA registry; CREATE TABLE registry.organisations (id bigserial PRIMARY KEY, name text NOT NULL)"
            ),
            Migration(step: 2, name: "add number", sql: "ALTER TABLE registry.organisations ADD COLUMN number text"),
        ]
    )
    static let supervision = MigrationGroup(
        feature: "supervision",
        dependencies: ["registry"],
        migrations: [
            Migration(
                step: 1,
                name: "assignments",
                sql:
                    "CREATE SCHEMA supervision; CREATE TABLE supervision.assignments (id bigserial PRIMARY KEY, cooperative bigint REFERENCES registry.organisations)"
            )
        ]
    )

    @Test("groups are ordered after their dependencies, whatever order they are given in")
    func dependencyOrder() throws {
        let ordered = try Migrator.order([Self.supervision, Self.registry])
        #expect(ordered.map(\.feature) == ["registry", "supervision"])
    }

    @Test("a dependency cycle and an unknown dependency are errors that name the features")
    func badGraphs() {
        let a = MigrationGroup(feature: "a", dependencies: ["b"], migrations: [])
        let b = MigrationGroup(feature: "b", dependencies: ["a"], migrations: [])
        let cycle = #expect(throws: DatabaseError.self) { try Migrator.order([a, b]) }
        #expect(cycle?.message.contains("a → b → a") == true)
        let unknown = #expect(throws: DatabaseError.self) { try Migrator.order([Self.supervision]) }
        #expect(unknown?.message.contains("supervision depends on registry") == true)
        let gap = MigrationGroup(feature: "gap", migrations: [Migration(step: 2, name: "x", sql: "SELECT 1")])
        let gapError = #expect(throws: DatabaseError.self) { try Migrator.order([gap]) }
        #expect(gapError?.message.contains("1, 2, 3") == true)
    }

    @Test("migrate applies pending steps in order, journals them, and is idempotent")
    func appliesOnce() async throws {
        try await TestPostgres.withDatabase { database, _ in
            let migrator = Migrator(database: database, logger: TestPostgres.logger)
            let before = try await migrator.status(of: [Self.registry, Self.supervision])
            #expect(before.map(\.pending.count) == [2, 1])

            let applied = try await migrator.migrate([Self.supervision, Self.registry])
            #expect(applied.map { "\($0.feature)/\($0.step)" } == ["registry/1", "registry/2", "supervision/1"])
            #expect(applied.allSatisfy { $0.checksum.count == 64 })

            let again = try await migrator.migrate([Self.supervision, Self.registry])
            #expect(again.isEmpty)
            let after = try await migrator.status(of: [Self.registry, Self.supervision])
            #expect(after.map(\.pending.count) == [0, 0])
            #expect(after.map(\.applied.count) == [2, 1])
            // The schema really is there.
            try await database.execute("INSERT INTO registry.organisations (name, number) VALUES (\("Kooperativet"), \("5560000001"))")
        }
    }

    @Test("a changed step that was already applied stops migrate with the feature and step named")
    func checksumChange() async throws {
        try await TestPostgres.withDatabase { database, _ in
            let migrator = Migrator(database: database, logger: TestPostgres.logger)
            try await migrator.migrate([Self.registry])
            var steps = Self.registry.migrations
            steps[1] = Migration(step: 2, name: "add number", sql: "ALTER TABLE registry.organisations ADD COLUMN number varchar(10)")
            let changed = MigrationGroup(feature: "registry", migrations: steps + [Migration(step: 3, name: "later", sql: "SELECT 1")])
            let error = await #expect(throws: DatabaseError.self) { try await migrator.migrate([changed]) }
            #expect(error?.code == .migration)
            #expect(error?.message.contains("feature registry step 2 (add number) was changed") == true)
            // Nothing after the check ran: step 3 is still pending.
            let status = try await migrator.status(of: [changed])
            #expect(status.first?.pending.map(\.step) == [3])
        }
    }

    @Test("a failing step rolls back whole and leaves the journal without it")
    func failingStepRollsBack() async throws {
        try await TestPostgres.withDatabase { database, _ in
            let migrator = Migrator(database: database, logger: TestPostgres.logger)
            let broken = MigrationGroup(
                feature: "broken",
                migrations: [
                    Migration(step: 1, name: "fine", sql: "CREATE SCHEMA broken; CREATE TABLE broken.kept (id int)"),
                    Migration(step: 2, name: "half", sql: "CREATE TABLE broken.lost (id int); INSERT INTO broken.nowhere VALUES (1)"),
                ]
            )
            let error = await #expect(throws: DatabaseError.self) { try await migrator.migrate([broken]) }
            #expect(error?.message.contains("feature broken step 2 (half) failed") == true)
            #expect(error?.sqlState == "42P01")
            let tables = try await database.query(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = 'broken' ORDER BY table_name"
            ).map { try $0.decode("table_name", as: String.self) }
            #expect(tables == ["kept"])
            let status = try await migrator.status(of: [broken])
            #expect(status.first?.applied.map(\.step) == [1])
            #expect(status.first?.pending.map(\.step) == [2])
        }
    }

    @Test("two migrate runs at once apply each step exactly once")
    func concurrentRuns() async throws {
        try await TestPostgres.withDatabase { database, url in
            let other = TestPostgres.database(url: url, poolSize: 2)
            let slow = MigrationGroup(
                feature: "slow",
                migrations: [
                    Migration(step: 1, name: "schema", sql: "CREATE SCHEMA slow; CREATE TABLE slow.runs (at timestamptz DEFAULT now())"),
                    Migration(step: 2, name: "wait", sql: "SELECT pg_sleep(0.3); INSERT INTO slow.runs DEFAULT VALUES"),
                ]
            )
            async let first = Migrator(database: database, logger: TestPostgres.logger).migrate([slow])
            async let second = Migrator(database: other, logger: TestPostgres.logger).migrate([slow])
            let (a, b) = try await (first, second)
            #expect(a.count + b.count == 2)
            #expect(a.isEmpty || b.isEmpty)
            let runs = try await database.query("SELECT count(*) AS n FROM slow.runs").single().decode("n", as: Int.self)
            #expect(runs == 1)
            await other.shutdown()
        }
    }
}
