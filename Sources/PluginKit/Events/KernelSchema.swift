public import DataAccess

/// The host's own schema `kernel`: the event outbox and deliveries. (The migration journal
/// is created by the migrator itself.) Applied before every feature's migrations.
public enum KernelSchema {
    /// The kernel's migration group.
    public static let group = MigrationGroup(feature: "kernel", migrations: migrations)

    static let migrations: [Migration] = [
        Migration(
            step: 1,
            name: "event outbox",
            sql: """
                CREATE SCHEMA IF NOT EXISTS kernel;
                CREATE TABLE kernel.outbox (
                    id           bigserial   PRIMARY KEY,
                    feature      text        NOT NULL,
                    name         text        NOT NULL,
                    version      integer     NOT NULL,
                    payload      jsonb       NOT NULL,
                    published_at timestamptz NOT NULL DEFAULT now(),
                    fanned_out   boolean     NOT NULL DEFAULT false
                );
                CREATE INDEX outbox_not_fanned_out ON kernel.outbox (id) WHERE NOT fanned_out;
                CREATE TABLE kernel.event_deliveries (
                    event_id        bigint      NOT NULL REFERENCES kernel.outbox ON DELETE CASCADE,
                    subscriber      text        NOT NULL,
                    state           text        NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'done', 'failed')),
                    attempts        integer     NOT NULL DEFAULT 0,
                    next_attempt_at timestamptz NOT NULL DEFAULT now(),
                    last_error      text,
                    delivered_at    timestamptz,
                    PRIMARY KEY (event_id, subscriber)
                );
                CREATE INDEX event_deliveries_due ON kernel.event_deliveries (next_attempt_at) WHERE state = 'pending';
                """
        )
    ]
}
