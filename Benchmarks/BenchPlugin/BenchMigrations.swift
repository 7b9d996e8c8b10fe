import DataAccess

/// The schema steps of the benchmark feature.
enum BenchMigrations {
    static let all: [Migration] = [
        Migration(
            step: 1,
            name: "accounts",
            sql: """
                CREATE SCHEMA IF NOT EXISTS bench;
                CREATE TABLE bench.accounts (
                    id integer PRIMARY KEY,
                    balance integer NOT NULL,
                    note text NOT NULL
                );
                INSERT INTO bench.accounts (id, balance, note)
                SELECT n, (n * 7919) % 100000, 'account ' || n
                FROM generate_series(1, 100000) AS n;
                ANALYZE bench.accounts;
                """
        )
    ]
}
