import DataAccess

/// The host's own schema `kernel`: the event outbox and deliveries that PluginKit's
/// `EventPublisher` writes, users with their API tokens and browser sessions, and the
/// append-only audit log that PluginKit's `Transaction.audit` writes. (The migration journal
/// is created by the migrator itself.) Applied before every feature's migrations.
///
/// The steps are history: each is recorded in the journal of every existing database under
/// the group `kernel` and its number, so none is edited, renumbered or moved to another group.
enum KernelSchema {
    /// The kernel's migration group.
    static let group = MigrationGroup(feature: "kernel", migrations: migrations)

    /// Tables the serving role may only read and add to (``HostRuntime/grantServingRole()``):
    /// no `UPDATE`, `DELETE` or `TRUNCATE`, and, owning nothing, no `ALTER TABLE … DISABLE TRIGGER`.
    static let appendOnlyTables = ["kernel.audit_log"]

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
        ),
        Migration(
            step: 2,
            name: "users and API tokens",
            sql: """
                CREATE TABLE kernel.users (
                    id              bigserial   PRIMARY KEY,
                    name            text        NOT NULL UNIQUE CHECK (name ~ '^[a-z0-9][a-z0-9._-]{0,62}$'),
                    display_name    text        NOT NULL CHECK (length(display_name) BETWEEN 1 AND 200),
                    role            text        NOT NULL CHECK (role IN ('admin', 'officer', 'supervisor', 'coordinator', 'auditor')),
                    -- The registry organisation the user works for; a supervisor's scope. No foreign
                    -- key: the registry's schema is created after the kernel's; the host checks it.
                    organisation_id bigint,
                    created_at      timestamptz NOT NULL DEFAULT now(),
                    disabled_at     timestamptz,
                    CHECK (role <> 'supervisor' OR organisation_id IS NOT NULL)
                );
                CREATE TABLE kernel.tokens (
                    id           bigserial   PRIMARY KEY,
                    user_id      bigint      NOT NULL REFERENCES kernel.users,
                    -- SHA-256 of the token; the token itself is shown once and never stored.
                    hash         bytea       NOT NULL UNIQUE,
                    label        text        NOT NULL DEFAULT '',
                    created_at   timestamptz NOT NULL DEFAULT now(),
                    expires_at   timestamptz NOT NULL,
                    revoked_at   timestamptz,
                    last_used_at timestamptz
                );
                CREATE INDEX tokens_user ON kernel.tokens (user_id);
                """
        ),
        Migration(
            step: 3,
            name: "append-only audit log",
            sql: """
                CREATE TABLE kernel.audit_log (
                    id            bigserial   PRIMARY KEY,
                    at            timestamptz NOT NULL DEFAULT clock_timestamp(),
                    actor_user_id bigint,
                    actor         text        NOT NULL,
                    request_id    text,
                    feature       text        NOT NULL,
                    entity        text        NOT NULL,
                    entity_id     text        NOT NULL,
                    action        text        NOT NULL,
                    before        jsonb,
                    after         jsonb
                );
                CREATE INDEX audit_log_entity ON kernel.audit_log (feature, entity, entity_id, id);
                -- Rows arrive in time order, so a BRIN index finds a time range at a fraction of a
                -- btree's cost on every insert.
                CREATE INDEX audit_log_at ON kernel.audit_log USING brin (at);
                -- Append-only: the trigger stops UPDATE, DELETE and TRUNCATE for every role (a
                -- superuser included); the privileges are taken away from the host's role too.
                CREATE FUNCTION kernel.audit_log_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    RAISE EXCEPTION 'the audit log is append-only: % is not allowed', TG_OP
                        USING ERRCODE = 'insufficient_privilege';
                END
                $$;
                CREATE TRIGGER audit_log_no_update_or_delete BEFORE UPDATE OR DELETE ON kernel.audit_log
                    FOR EACH ROW EXECUTE FUNCTION kernel.audit_log_is_append_only();
                CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON kernel.audit_log
                    FOR EACH STATEMENT EXECUTE FUNCTION kernel.audit_log_is_append_only();
                REVOKE UPDATE, DELETE, TRUNCATE ON kernel.audit_log FROM PUBLIC;
                DO $$ BEGIN
                    EXECUTE format('REVOKE UPDATE, DELETE, TRUNCATE ON kernel.audit_log FROM %I', current_user);
                END $$;
                """
        ),
        Migration(
            step: 4,
            name: "audit log: hash index on the entity id",
            sql: """
                -- Every audited write inserts into each index of the log. The four-column btree put
                -- each row at a random place in a wide index (about 8 % of the write's server time
                -- in pgbench); a hash index on the entity id alone costs a fraction of that and
                -- still finds an entity's history at once (feature and entity are checked on the few
                -- rows it returns). Browsing a whole feature or entity type reads the log newest
                -- first through the primary key.
                DROP INDEX kernel.audit_log_entity;
                CREATE INDEX audit_log_entity_id ON kernel.audit_log USING hash (entity_id);
                """
        ),
        Migration(
            step: 5,
            name: "passwords, browser sessions, form tokens, sign-in attempts",
            sql: """
                -- A password for the sign-in page, as a slow hash with its parameters
                -- (scrypt$N$r$p$salt$hash); NULL: the user signs in with API tokens only.
                ALTER TABLE kernel.users ADD COLUMN password_hash text, ADD COLUMN password_set_at timestamptz;
                CREATE TABLE kernel.sessions (
                    id           bigserial   PRIMARY KEY,
                    user_id      bigint      NOT NULL REFERENCES kernel.users,
                    -- SHA-256 of the cookie's value; the value itself is never stored.
                    hash         bytea       NOT NULL UNIQUE,
                    csrf_token   text        NOT NULL,
                    created_at   timestamptz NOT NULL DEFAULT now(),
                    last_seen_at timestamptz NOT NULL DEFAULT now(),
                    ended_at     timestamptz
                );
                CREATE INDEX sessions_user ON kernel.sessions (user_id);
                -- Each form's one-time token: a second post of the same form (a double click, a
                -- reload) finds its row and gets the first post's answer instead of a second record.
                CREATE TABLE kernel.form_submissions (
                    session_id  bigint      NOT NULL REFERENCES kernel.sessions ON DELETE CASCADE,
                    token       text        NOT NULL,
                    location    text,
                    created_at  timestamptz NOT NULL DEFAULT now(),
                    PRIMARY KEY (session_id, token)
                );
                -- Failed sign-ins per user name, for the lock-out after too many.
                CREATE TABLE kernel.sign_in_failures (
                    name  text        NOT NULL,
                    at    timestamptz NOT NULL DEFAULT now()
                );
                CREATE INDEX sign_in_failures_name ON kernel.sign_in_failures (name, at);
                """
        ),
        Migration(
            step: 6,
            name: "audit log: an erased person's identifying values can be redacted, nothing else changes",
            sql: """
                -- Erasure (issue 19.7) must not leave a person's name, contact details or identity
                -- number in the before/after of the log. The one change the log now takes is a
                -- redaction: every column as it was, and in before/after the same keys, each value
                -- either unchanged or replaced by the string "erased". DELETE and TRUNCATE stay
                -- refused for every role. Who may redact is a matter of privileges: the role that
                -- runs the migrations may update only the columns before and after (which the
                -- registry's SECURITY DEFINER function `registry.redact_erased_person_audit` uses);
                -- the serving role gets no UPDATE at all.
                CREATE FUNCTION kernel.audit_is_redaction(old jsonb, new jsonb) RETURNS boolean
                LANGUAGE sql IMMUTABLE AS $$
                    SELECT CASE
                        WHEN old IS NULL OR new IS NULL THEN old IS NOT DISTINCT FROM new
                        WHEN jsonb_typeof(old) <> 'object' OR jsonb_typeof(new) <> 'object' THEN old = new
                        ELSE NOT EXISTS (SELECT 1 FROM jsonb_object_keys(old) k WHERE NOT new ? k)
                         AND NOT EXISTS (SELECT 1 FROM jsonb_each(new) n
                                         WHERE NOT old ? n.key OR (n.value <> (old -> n.key) AND n.value <> '"erased"'::jsonb))
                    END
                $$;
                CREATE OR REPLACE FUNCTION kernel.audit_log_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF TG_OP = 'UPDATE' THEN
                        IF (NEW.id, NEW.at, NEW.actor_user_id, NEW.actor, NEW.request_id, NEW.feature, NEW.entity, NEW.entity_id, NEW.action)
                               IS NOT DISTINCT FROM
                           (OLD.id, OLD.at, OLD.actor_user_id, OLD.actor, OLD.request_id, OLD.feature, OLD.entity, OLD.entity_id, OLD.action)
                           AND kernel.audit_is_redaction(OLD.before, NEW.before) AND kernel.audit_is_redaction(OLD.after, NEW.after) THEN
                            RETURN NEW;
                        END IF;
                    END IF;
                    RAISE EXCEPTION 'the audit log is append-only: % is not allowed', TG_OP
                        USING ERRCODE = 'insufficient_privilege';
                END
                $$;
                DO $$ BEGIN
                    EXECUTE format('GRANT UPDATE (before, after) ON kernel.audit_log TO %I', current_user);
                END $$;
                """
        ),
        Migration(
            step: 7,
            name: "roles are data",
            sql: """
                -- The roles of the kernel and the features, written by the host from their roles
                -- documents each time it migrates; a role stays when its feature is switched off.
                CREATE TABLE kernel.roles (
                    id      text    PRIMARY KEY CHECK (id ~ '^[a-z][a-zA-Z0-9]{0,39}$'),
                    name_sv text    NOT NULL,
                    name_en text    NOT NULL,
                    summary text    NOT NULL DEFAULT '',
                    scoped  boolean NOT NULL DEFAULT false,
                    holds   text[]  NOT NULL DEFAULT '{}',
                    feature text    NOT NULL
                );
                -- The roles users could have before, so every user keeps theirs and what it held:
                -- the coordinator read the registry and the agreements and registered people.
                INSERT INTO kernel.roles (id, name_sv, name_en, scoped, holds, feature) VALUES
                    ('admin', 'Systemadministratör', 'System administrator', false, '{}', 'kernel'),
                    ('auditor', 'Revisor', 'Auditor', false, '{}', 'kernel'),
                    ('officer', 'Handläggare', 'Caseworker', false, '{}', 'registry'),
                    ('supervisor', 'Handledare', 'Supervisor', true, '{}', 'registry'),
                    ('coordinator', 'ESF-samordnare', 'ESF coordinator', false,
                     '{registry.organisation.read,registry.person.read,registry.person.write,partnerships.read}', 'esf');
                -- The fixed list of roles goes; a user's role is one of the rows.
                DO $$
                DECLARE c record;
                BEGIN
                    FOR c IN SELECT conname FROM pg_constraint
                             WHERE conrelid = 'kernel.users'::regclass AND contype = 'c' AND pg_get_constraintdef(oid) LIKE '%role%'
                    LOOP
                        EXECUTE format('ALTER TABLE kernel.users DROP CONSTRAINT %I', c.conname);
                    END LOOP;
                END $$;
                ALTER TABLE kernel.users ADD CONSTRAINT users_role_fkey FOREIGN KEY (role) REFERENCES kernel.roles ON UPDATE CASCADE;
                -- A user of a scoped role works for an organisation, whose assignments bound what it sees.
                CREATE FUNCTION kernel.users_scoped_role_has_organisation() RETURNS trigger LANGUAGE plpgsql AS $f$
                BEGIN
                    IF NEW.organisation_id IS NULL AND (SELECT scoped FROM kernel.roles WHERE id = NEW.role) THEN
                        RAISE EXCEPTION 'a user with the scoped role % needs an organisation', NEW.role USING ERRCODE = 'check_violation';
                    END IF;
                    RETURN NEW;
                END $f$;
                CREATE TRIGGER users_scoped_role_has_organisation BEFORE INSERT OR UPDATE OF role, organisation_id ON kernel.users
                    FOR EACH ROW EXECUTE FUNCTION kernel.users_scoped_role_has_organisation();
                """
        ),
        Migration(
            step: 8,
            name: "sign-in counters per address, name and both",
            sql: """
                -- Sign-in attempts counted with one atomic upsert each (the host's SignInThrottle):
                -- scope 'address' (name ''), 'pair' (name and address) and 'name' (address '',
                -- counting addresses). A window of 15 minutes from `since`; `locked_until` once
                -- the limit is reached.
                CREATE TABLE kernel.sign_in_counters (
                    scope        text        NOT NULL CHECK (scope IN ('address', 'pair', 'name')),
                    name         text        NOT NULL,
                    address      text        NOT NULL,
                    failures     integer     NOT NULL CHECK (failures >= 0),
                    since        timestamptz NOT NULL,
                    locked_until timestamptz,
                    PRIMARY KEY (scope, name, address)
                );
                -- Counted before they were inserted, so concurrent attempts slipped past the limit.
                DROP TABLE kernel.sign_in_failures;
                """
        ),
        Migration(
            step: 9,
            name: "e-mail: users' addresses and languages, reminders queued, the mail outbox",
            sql: """
                -- A user's own settings (their settings page): where the daily reminder digest goes,
                -- in which language, and whether they want it at all.
                ALTER TABLE kernel.users
                    ADD COLUMN email text CHECK (email IS NULL OR (length(email) <= 254 AND email ~ '^[^@\\s<>,;"]+@[^@\\s<>,;"]+$')),
                    ADD COLUMN language text NOT NULL DEFAULT 'sv' CHECK (language IN ('sv', 'en')),
                    ADD COLUMN reminder_digest boolean NOT NULL DEFAULT true;
                -- The mail sent, once per row: a daily digest per user and day (the unique key keeps
                -- a second digest of the same day out, whichever host builds it); taken for sending
                -- with FOR UPDATE SKIP LOCKED and a lease (`next_attempt_at`), retried with back-off.
                CREATE TABLE kernel.mail_outbox (
                    id              bigserial   PRIMARY KEY,
                    user_id         bigint      NOT NULL REFERENCES kernel.users,
                    kind            text        NOT NULL,
                    day             date        NOT NULL,
                    recipient       text        NOT NULL,
                    subject         text        NOT NULL,
                    body            text        NOT NULL,
                    state           text        NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sent', 'failed')),
                    attempts        integer     NOT NULL DEFAULT 0,
                    next_attempt_at timestamptz NOT NULL DEFAULT now(),
                    last_error      text,
                    created_at      timestamptz NOT NULL DEFAULT now(),
                    sent_at         timestamptz,
                    UNIQUE (user_id, kind, day)
                );
                CREATE INDEX mail_outbox_due ON kernel.mail_outbox (next_attempt_at) WHERE state = 'pending';
                -- The reminders waiting for a user's next digest, one per user and outbox event (a
                -- second delivery of the event queues nothing new); `digest_id` once in a digest.
                CREATE TABLE kernel.mail_reminders (
                    id         bigserial   PRIMARY KEY,
                    user_id    bigint      NOT NULL REFERENCES kernel.users,
                    event_id   bigint      NOT NULL,
                    feature    text        NOT NULL,
                    notice     jsonb       NOT NULL,
                    queued_at  timestamptz NOT NULL DEFAULT now(),
                    digest_id  bigint      REFERENCES kernel.mail_outbox,
                    UNIQUE (user_id, event_id)
                );
                CREATE INDEX mail_reminders_waiting ON kernel.mail_reminders (user_id, id) WHERE digest_id IS NULL;
                """
        ),
        Migration(
            step: 10,
            name: "idempotency keys: a write's answer, stored in its own transaction",
            sql: """
                -- A write sent with an Idempotency-Key (or a page form with its one-time token): the
                -- key, the caller, a SHA-256 of method, path and body, and the answer, inserted in
                -- the write's own transaction (the host's IdempotentWrites), so the row exists exactly
                -- when the write does. A repeat within 24 hours gets the stored answer; the status
                -- and body are NULL only inside that transaction, before the answer is known.
                CREATE TABLE kernel.idempotency_keys (
                    user_id      bigint      NOT NULL REFERENCES kernel.users,
                    key          text        NOT NULL CHECK (length(key) BETWEEN 1 AND 255),
                    request_hash bytea       NOT NULL,
                    status       integer     CHECK (status BETWEEN 100 AND 599),
                    location     text,
                    content_type text,
                    body         bytea,
                    created_at   timestamptz NOT NULL DEFAULT now(),
                    PRIMARY KEY (user_id, key)
                );
                -- For the hourly removal of expired keys.
                CREATE INDEX idempotency_keys_created_at ON kernel.idempotency_keys (created_at);
                -- The form tokens' claims, made before the write and finished after it, are replaced
                -- by the same keys (scoped to the user, named `form:<token>`).
                DROP TABLE kernel.form_submissions;
                """
        ),
    ]
}
