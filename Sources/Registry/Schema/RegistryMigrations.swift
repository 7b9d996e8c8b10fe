import DataAccess

/// The registry's schema `registry`, step by step.
enum RegistryMigrations {
    static let all: [Migration] = [
        Migration(
            step: 1,
            name: "organisations, people, roles",
            sql: """
                CREATE SCHEMA IF NOT EXISTS registry;
                CREATE EXTENSION IF NOT EXISTS pg_trgm;

                -- Which identity key the sealed numbers and blind indexes were made with.
                CREATE TABLE registry.key_check (
                    singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
                    value     bytea   NOT NULL
                );

                CREATE TABLE registry.organisations (
                    id                  bigserial   PRIMARY KEY,
                    name                text        NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
                    -- Lower-case, accents removed (by the host), for search; "C" collation for paging.
                    search_name         text        COLLATE "C" NOT NULL,
                    organisation_number text        UNIQUE CHECK (organisation_number ~ '^[0-9]{10}$'),
                    legal_form          text        NOT NULL,
                    kind                text        NOT NULL,
                    state               text        NOT NULL DEFAULT 'prospect' CHECK (state IN ('prospect', 'active', 'woundUp')),
                    wound_up_on         date,
                    wound_up_reason     text,
                    asf                 jsonb,
                    email               text,
                    phone               text,
                    address             text,
                    created_at          timestamptz NOT NULL DEFAULT now(),
                    updated_at          timestamptz NOT NULL DEFAULT now(),
                    CHECK ((state = 'woundUp') = (wound_up_on IS NOT NULL AND wound_up_reason IS NOT NULL))
                );
                CREATE INDEX organisations_search_trgm ON registry.organisations USING gin (search_name gin_trgm_ops);
                CREATE INDEX organisations_search_order ON registry.organisations (search_name, id);

                CREATE TABLE registry.people (
                    id              bigserial   PRIMARY KEY,
                    name            text        NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
                    search_name     text        COLLATE "C" NOT NULL,
                    identity_status text        NOT NULL CHECK (identity_status IN ('number', 'none', 'protected', 'erased')),
                    identity_kind   text        CHECK (identity_kind IN ('personnummer', 'samordningsnummer')),
                    -- AES-GCM sealed 12 digits (nonce ‖ ciphertext ‖ tag) and its keyed hash.
                    identity_cipher bytea,
                    identity_hash   bytea       UNIQUE,
                    identity_masked text,
                    birth_date      date,
                    birth_year      integer,
                    gender          text        NOT NULL DEFAULT 'unspecified',
                    email           text,
                    phone           text,
                    address         text,
                    erased_at       timestamptz,
                    created_at      timestamptz NOT NULL DEFAULT now(),
                    updated_at      timestamptz NOT NULL DEFAULT now(),
                    CHECK ((identity_status = 'number') = (identity_cipher IS NOT NULL AND identity_hash IS NOT NULL))
                );
                CREATE INDEX people_search_trgm ON registry.people USING gin (search_name gin_trgm_ops);
                CREATE INDEX people_search_order ON registry.people (search_name, id);

                CREATE TABLE registry.roles (
                    id              bigserial PRIMARY KEY,
                    person_id       bigint    NOT NULL REFERENCES registry.people,
                    organisation_id bigint    NOT NULL REFERENCES registry.organisations,
                    role            text      NOT NULL,
                    from_date       date      NOT NULL,
                    to_date         date      CHECK (to_date IS NULL OR to_date >= from_date)
                );
                CREATE INDEX roles_person ON registry.roles (person_id);
                CREATE INDEX roles_organisation ON registry.roles (organisation_id);

                -- Which organisations a provider organisation's users may see: written by
                -- features (a supervision assignment grants its cooperative to the provider).
                CREATE TABLE registry.scope_grants (
                    provider_id     bigint NOT NULL REFERENCES registry.organisations,
                    organisation_id bigint NOT NULL REFERENCES registry.organisations,
                    feature         text   NOT NULL,
                    granted_at      timestamptz NOT NULL DEFAULT now(),
                    PRIMARY KEY (provider_id, organisation_id, feature)
                );
                CREATE INDEX scope_grants_organisation ON registry.scope_grants (organisation_id);
                """
        ),
        Migration(
            step: 2,
            name: "trigram indexes without a pending list",
            sql: """
                -- With fastupdate (the default) new names wait in the GIN index's pending list,
                -- which every search reads through in full until vacuum merges it (up to 4 MB
                -- after a bulk registration, and the merge is a heavy vacuum later). Names change
                -- rarely and are searched often: insert straight into the index instead.
                ALTER INDEX registry.people_search_trgm SET (fastupdate = off);
                ALTER INDEX registry.organisations_search_trgm SET (fastupdate = off);
                SELECT gin_clean_pending_list('registry.people_search_trgm'::regclass);
                SELECT gin_clean_pending_list('registry.organisations_search_trgm'::regclass);
                """
        ),
        Migration(
            step: 3,
            name: "scope grants last as long as what made them",
            sql: """
                -- A grant is made by a record of a feature (a supervision assignment: source_id)
                -- and lasts from its first to its last day; reach follows the grants in force on
                -- the day (issue 19). Grants made before this step have no source and no dates;
                -- the feature that made them dates them again (supervision's daily upkeep).
                ALTER TABLE registry.scope_grants DROP CONSTRAINT scope_grants_pkey;
                ALTER TABLE registry.scope_grants
                    ADD COLUMN id        bigserial PRIMARY KEY,
                    ADD COLUMN source_id bigint,
                    ADD COLUMN from_date date,
                    ADD COLUMN to_date   date,
                    ADD CONSTRAINT scope_grants_period CHECK (to_date IS NULL OR from_date IS NULL OR to_date >= from_date);
                CREATE UNIQUE INDEX scope_grants_by_source ON registry.scope_grants (feature, source_id) WHERE source_id IS NOT NULL;
                CREATE UNIQUE INDEX scope_grants_undated ON registry.scope_grants (provider_id, organisation_id, feature)
                    WHERE source_id IS NULL;
                CREATE INDEX scope_grants_provider ON registry.scope_grants (provider_id, organisation_id);
                """
        ),
        Migration(
            step: 4,
            name: "identity-number probes: the already-registered answers a scoped user got, for the hourly limit",
            sql: """
                -- One row per "already registered" answer about a person outside a scoped user's
                -- reach; the count of the last hour is the user's limit, shared by every host.
                CREATE TABLE registry.identity_probes (
                    id      bigserial   PRIMARY KEY,
                    actor   text        NOT NULL,
                    at      timestamptz NOT NULL DEFAULT now()
                );
                CREATE INDEX identity_probes_actor ON registry.identity_probes (actor, at);
                """
        ),
        Migration(
            step: 5,
            name: "erasure redacts the person's identifying values in the audit log",
            sql: """
                -- A person's audit rows (registry, person, id) carry the name, e-mail, phone and
                -- address as keyed fingerprints and the identity number masked (with the whole
                -- birth date). Erasure (issue 19.7) replaces those values with "erased"; the keys stay,
                -- so the log still shows what changed and when. The function runs with the rights of
                -- the role that ran this step (SECURITY DEFINER), so it works for a serving role
                -- that may only INSERT and SELECT on the log; it redacts only the rows of a person
                -- already erased, and only those keys (the log's trigger refuses anything else).
                CREATE FUNCTION registry.audit_redacted(fields jsonb) RETURNS jsonb
                LANGUAGE sql IMMUTABLE SET search_path = pg_catalog, pg_temp AS $$
                    SELECT CASE WHEN jsonb_typeof(fields) = 'object' THEN
                        coalesce((SELECT jsonb_object_agg(e.key,
                                      CASE WHEN e.key IN ('name', 'identityNumber', 'birthDate', 'email', 'phone', 'address')
                                                AND e.value <> 'null'::jsonb
                                           THEN '"erased"'::jsonb ELSE e.value END)
                                  FROM jsonb_each(fields) e), fields)
                    ELSE fields END
                $$;
                CREATE FUNCTION registry.redact_erased_person_audit(person bigint) RETURNS integer
                LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
                DECLARE
                    redacted integer;
                BEGIN
                    IF NOT EXISTS (SELECT 1 FROM registry.people p WHERE p.id = person AND p.erased_at IS NOT NULL) THEN
                        RAISE EXCEPTION 'person % is not erased; only an erased person''s audit rows are redacted', person
                            USING ERRCODE = 'insufficient_privilege';
                    END IF;
                    UPDATE kernel.audit_log a
                    SET before = registry.audit_redacted(a.before), after = registry.audit_redacted(a.after)
                    WHERE a.entity_id = person::text AND a.feature = 'registry' AND a.entity = 'person'
                      AND (a.before IS DISTINCT FROM registry.audit_redacted(a.before)
                           OR a.after IS DISTINCT FROM registry.audit_redacted(a.after));
                    GET DIAGNOSTICS redacted = ROW_COUNT;
                    RETURN redacted;
                END
                $$;
                """
        ),
        Migration(
            step: 6,
            name: "names in Swedish order: the collation registry.swedish and the name indexes in it",
            sql: """
                -- Names sort as Swedish does (Å, Ä, Ö after Z; case and accents only break ties):
                -- PostgreSQL's ICU collation sv-SE when the server has ICU (initdb imports it as
                -- "sv-SE-x-icu"), else the system's sv_SE locale, else code-point order ("C", which
                -- still puts capital Å, Ä, Ö after Z). Every list names this one collation
                -- (Swift: SQL.swedish), so a server without ICU changes the order, not the SQL.
                DO $$
                BEGIN
                    IF EXISTS (SELECT 1 FROM pg_catalog.pg_collation WHERE collname = 'sv-SE-x-icu' AND collprovider = 'i') THEN
                        CREATE COLLATION registry.swedish FROM "sv-SE-x-icu";
                    ELSIF EXISTS (SELECT 1 FROM pg_catalog.pg_collation
                                  WHERE collname = 'sv_SE.utf8' AND collencoding IN (-1, pg_catalog.pg_char_to_encoding('UTF8'))) THEN
                        CREATE COLLATION registry.swedish FROM "sv_SE.utf8";
                    ELSE
                        CREATE COLLATION registry.swedish FROM "C";
                    END IF;
                END
                $$;
                -- The ordered scans of the lists and of the API's cursor pages; the search name is
                -- carried along, so a search window reads the index alone.
                CREATE INDEX people_swedish_order ON registry.people (name COLLATE registry.swedish, id) INCLUDE (search_name);
                CREATE INDEX organisations_swedish_order ON registry.organisations (name COLLATE registry.swedish, id) INCLUDE (search_name);
                """
        ),
        Migration(
            step: 7,
            name: "who supervised an organisation, for whom, from when to when (ASF independence)",
            sql: """
                -- Written by a feature (supervision: one row per assignment in force) through
                -- Registry.recordSupervisor; the ASF criterion "no supervisor employed by a public
                -- body" is derived from these rows and the employer's legal form and kind.
                CREATE TABLE registry.supervisor_periods (
                    id              bigserial PRIMARY KEY,
                    organisation_id bigint    NOT NULL REFERENCES registry.organisations,
                    person_id       bigint    NOT NULL REFERENCES registry.people,
                    employer_id     bigint    NOT NULL REFERENCES registry.organisations,
                    feature         text      NOT NULL,
                    source_id       bigint    NOT NULL,
                    from_date       date      NOT NULL,
                    to_date         date      CHECK (to_date IS NULL OR to_date >= from_date),
                    UNIQUE (feature, source_id)
                );
                CREATE INDEX supervisor_periods_organisation ON registry.supervisor_periods (organisation_id, from_date);
                """
        ),
        Migration(
            step: 8,
            name: "what the municipality spent on its own unit, per year (the reports' where the money went)",
            sql: """
                -- Entered by an officer (POST /organisations/{id}/costs) for an organisation of
                -- legal form municipalUnit; the report of where the money went shows it beside the
                -- grants, contracts and pots. One figure per unit and year, replaced when entered again.
                CREATE TABLE registry.unit_costs (
                    organisation_id bigint        NOT NULL REFERENCES registry.organisations,
                    year            integer       NOT NULL CHECK (year BETWEEN 1900 AND 2199),
                    amount          numeric(14,2) NOT NULL CHECK (amount >= 0),
                    updated_at      timestamptz   NOT NULL DEFAULT now(),
                    PRIMARY KEY (organisation_id, year)
                );
                """
        ),
    ]
}
