import DataAccess

/// The schema steps of the `esf` schema. Owners, employers and participants are registry rows
/// (foreign keys into `registry`); nothing here writes there except through the registry.
enum ESFMigrations {
    static let all: [Migration] = [
        Migration(
            step: 1,
            name: "projects, participations, jobs, indicator definitions, monthly reports, costs, claims, imports",
            sql: """
                CREATE SCHEMA IF NOT EXISTS esf;

                CREATE TABLE esf.projects (
                    id                     bigserial    PRIMARY KEY,
                    case_number            text         NOT NULL UNIQUE,
                    name                   text         NOT NULL,
                    owner_id               bigint       NOT NULL REFERENCES registry.organisations,
                    from_date              date         NOT NULL,
                    to_date                date         NOT NULL CHECK (to_date >= from_date),
                    programme_area         text         NOT NULL,
                    eu_share_percent       numeric(5,2) NOT NULL CHECK (eu_share_percent > 0 AND eu_share_percent <= 100),
                    indicator_set          text         NOT NULL,
                    jobs_target            integer      CHECK (jobs_target > 0),
                    jobs_target_on         date,
                    participants_target    integer      CHECK (participants_target > 0),
                    participants_target_on date,
                    state                  text         NOT NULL
                        CHECK (state IN ('applied', 'granted', 'running', 'closing', 'closed')),
                    created_at             timestamptz  NOT NULL DEFAULT now()
                );

                CREATE TABLE esf.budget (
                    project_id bigint        NOT NULL REFERENCES esf.projects,
                    category   text          NOT NULL,
                    amount     numeric(14,2) NOT NULL CHECK (amount >= 0),
                    PRIMARY KEY (project_id, category)
                );

                -- One row per person and project: a re-entry reopens it and keeps the first start (rule 13).
                CREATE TABLE esf.participations (
                    id                  bigserial   PRIMARY KEY,
                    project_id          bigint      NOT NULL REFERENCES esf.projects,
                    person_id           bigint      NOT NULL REFERENCES registry.people,
                    from_date           date        NOT NULL,
                    to_date             date        CHECK (to_date IS NULL OR to_date >= from_date),
                    last_entry_on       date        NOT NULL,
                    entries             integer     NOT NULL DEFAULT 1,
                    entry_status        text        NOT NULL,
                    -- Gender and age as at entry: the indicators are split by them without a join.
                    gender              text        NOT NULL,
                    age_at_entry        integer,
                    education_level     text,
                    migrant_background  boolean,
                    disability          boolean,
                    other_disadvantaged boolean,
                    homeless            boolean,
                    exit_results        text[],
                    exit_recorded_on    date,
                    six_month_results   text[],
                    six_month_recorded_on date,
                    created_at          timestamptz NOT NULL DEFAULT now(),
                    UNIQUE (project_id, person_id)
                );
                CREATE INDEX participations_from ON esf.participations (project_id, from_date);
                CREATE INDEX participations_to ON esf.participations (project_id, to_date);

                CREATE TABLE esf.jobs (
                    id              bigserial    PRIMARY KEY,
                    project_id      bigint       NOT NULL REFERENCES esf.projects,
                    person_id       bigint       NOT NULL REFERENCES registry.people,
                    employer_id     bigint       NOT NULL REFERENCES registry.organisations,
                    from_date       date         NOT NULL,
                    to_date         date         CHECK (to_date IS NULL OR to_date >= from_date),
                    employment_form text         NOT NULL,
                    share_percent   numeric(5,2) NOT NULL CHECK (share_percent > 0 AND share_percent <= 100),
                    created_at      timestamptz  NOT NULL DEFAULT now(),
                    UNIQUE (project_id, person_id, employer_id, from_date)
                );
                CREATE INDEX jobs_project ON esf.jobs (project_id, from_date);

                -- The indicator definitions are data (rule 15 and the 2021–2027 set alike).
                CREATE TABLE esf.indicators (
                    indicator_set text    NOT NULL,
                    code          text    NOT NULL,
                    kind          text    NOT NULL CHECK (kind IN ('output', 'result')),
                    name          text    NOT NULL,
                    basis         text    NOT NULL CHECK (basis IN ('entry', 'exit')),
                    criterion     jsonb   NOT NULL,
                    special       boolean NOT NULL DEFAULT false,
                    position      integer NOT NULL,
                    PRIMARY KEY (indicator_set, code)
                );

                CREATE TABLE esf.monthly_reports (
                    id           bigserial   PRIMARY KEY,
                    project_id   bigint      NOT NULL REFERENCES esf.projects,
                    month        date        NOT NULL CHECK (extract(day FROM month) = 1),
                    version      integer     NOT NULL,
                    state        text        NOT NULL CHECK (state IN ('open', 'submitted', 'superseded')),
                    rows         integer,
                    submitted_at timestamptz,
                    submitted_by text,
                    reason       text,
                    created_at   timestamptz NOT NULL DEFAULT now(),
                    UNIQUE (project_id, month, version)
                );
                CREATE UNIQUE INDEX monthly_reports_current ON esf.monthly_reports (project_id, month) WHERE state <> 'superseded';

                CREATE TABLE esf.claims (
                    id           bigserial     PRIMARY KEY,
                    project_id   bigint        NOT NULL REFERENCES esf.projects,
                    from_date    date          NOT NULL,
                    to_date      date          NOT NULL CHECK (to_date >= from_date),
                    state        text          NOT NULL CHECK (state IN ('draft', 'submitted', 'paid')),
                    totals       jsonb,
                    submitted_on date,
                    paid_on      date,
                    paid_amount  numeric(14,2),
                    created_at   timestamptz   NOT NULL DEFAULT now()
                );
                CREATE INDEX claims_project ON esf.claims (project_id, from_date);

                CREATE TABLE esf.costs (
                    id          bigserial     PRIMARY KEY,
                    project_id  bigint        NOT NULL REFERENCES esf.projects,
                    category    text          NOT NULL,
                    spent_on    date          NOT NULL,
                    amount      numeric(14,2) NOT NULL,
                    hours       numeric(8,2),
                    unit_cost   numeric(10,2),
                    description text          NOT NULL,
                    created_at  timestamptz   NOT NULL DEFAULT now()
                );
                CREATE INDEX costs_project ON esf.costs (project_id, spent_on);

                CREATE TABLE esf.imports (
                    id          bigserial   PRIMARY KEY,
                    project_id  bigint      NOT NULL REFERENCES esf.projects,
                    sha256      text        NOT NULL,
                    kind        text        NOT NULL,
                    rows        integer     NOT NULL,
                    created     integer     NOT NULL,
                    actor       text        NOT NULL,
                    at          timestamptz NOT NULL DEFAULT now()
                );
                CREATE INDEX imports_hash ON esf.imports (project_id, sha256);

                CREATE TABLE esf.reminders (
                    id         bigserial   PRIMARY KEY,
                    project_id bigint      NOT NULL REFERENCES esf.projects,
                    month      date        NOT NULL,
                    kind       text        NOT NULL CHECK (kind IN ('due', 'overdue')),
                    due_on     date        NOT NULL,
                    raised_on  date        NOT NULL,
                    UNIQUE (project_id, month, kind)
                );
                CREATE TABLE esf.reminder_runs (day date PRIMARY KEY, at timestamptz NOT NULL DEFAULT now());

                \(IndicatorSeed.sql2014)
                """
        ),
        Migration(
            step: 2,
            name: "an indicator whose criterion reads special-category data is special, whatever it was loaded as",
            sql: """
                UPDATE esf.indicators SET special = true
                WHERE NOT special
                  AND (criterion->'attributes' ?| array['migrantBackground', 'disability', 'otherDisadvantaged']
                    OR criterion->'anyAttribute' ?| array['migrantBackground', 'disability', 'otherDisadvantaged']);
                """
        ),
        Migration(
            step: 3,
            name: "each entry into a project is a period of its own, so a re-entry never rewrites a month already reported",
            sql: """
                -- One row per entry: the month figures and exports count periods (rule 16), the
                -- participation keeps the first start and counts once (rule 13).
                CREATE TABLE esf.participation_periods (
                    id               bigserial PRIMARY KEY,
                    participation_id bigint    NOT NULL REFERENCES esf.participations,
                    project_id       bigint    NOT NULL REFERENCES esf.projects,
                    from_date        date      NOT NULL,
                    to_date          date      CHECK (to_date IS NULL OR to_date >= from_date),
                    exit_results     text[],
                    exit_recorded_on date,
                    UNIQUE (participation_id, from_date)
                );
                CREATE INDEX participation_periods_from ON esf.participation_periods (project_id, from_date);
                CREATE INDEX participation_periods_to ON esf.participation_periods (project_id, to_date);

                -- A participation entered more than once kept only its latest entry's end: its
                -- earlier entries become one period from the first start, closed the day before
                -- the latest entry (the end recorded then was overwritten).
                INSERT INTO esf.participation_periods (participation_id, project_id, from_date, to_date)
                SELECT id, project_id, from_date, last_entry_on - 1 FROM esf.participations WHERE last_entry_on > from_date;
                INSERT INTO esf.participation_periods (participation_id, project_id, from_date, to_date, exit_results, exit_recorded_on)
                SELECT id, project_id, last_entry_on, to_date, exit_results, exit_recorded_on FROM esf.participations;
                """
        ),
        Migration(
            step: 4,
            name: "indicator definitions have versions in force from a day; CO08 leaves out the inactive in education (rule 15 corrected)",
            sql: """
                -- A definition is in force from `valid_from` until a later version of the same code;
                -- a period whose months were all submitted is re-run with the versions in force on
                -- the day the last of them was submitted, so it says what was reported.
                ALTER TABLE esf.indicators ADD COLUMN valid_from date NOT NULL DEFAULT '-infinity';
                ALTER TABLE esf.indicators DROP CONSTRAINT indicators_pkey;
                ALTER TABLE esf.indicators ADD PRIMARY KEY (indicator_set, code, valid_from);

                \(IndicatorSeed.sqlCorrectedCO08)
                """
        ),
        Migration(
            step: 5,
            name: "a monthly report records the day it was submitted, so a past day's reports show the states of that day",
            sql: """
                ALTER TABLE esf.monthly_reports ADD COLUMN submitted_on date;
                UPDATE esf.monthly_reports SET submitted_on = (submitted_at AT TIME ZONE 'Europe/Stockholm')::date WHERE submitted_at IS NOT NULL;
                """
        ),
        Migration(
            step: 6,
            name: "staff hours per staff member and month book the staff cost; in-kind co-financing names its source",
            sql: """
                -- One time report per staff member and month (rule 17): the hours, the share of full
                -- time and the yearly cost at it; the unit cost is derived and the staff cost booked.
                CREATE TABLE esf.time_reports (
                    id                 bigserial     PRIMARY KEY,
                    project_id         bigint        NOT NULL REFERENCES esf.projects,
                    person_id          bigint        NOT NULL REFERENCES registry.people,
                    month              date          NOT NULL CHECK (extract(day FROM month) = 1),
                    hours              numeric(6,2)  NOT NULL CHECK (hours > 0),
                    employment_percent numeric(5,2)  NOT NULL CHECK (employment_percent > 0 AND employment_percent <= 100),
                    annual_cost        numeric(14,2) NOT NULL CHECK (annual_cost > 0),
                    unit_cost          numeric(10,2) NOT NULL,
                    cost_id            bigint        NOT NULL UNIQUE REFERENCES esf.costs,
                    created_at         timestamptz   NOT NULL DEFAULT now(),
                    UNIQUE (project_id, person_id, month)
                );

                -- Co-financing in kind (financing) names who contributes it; entries booked before
                -- this step have none and are listed as such.
                ALTER TABLE esf.costs ADD COLUMN source text CHECK (source IN ('municipality', 'otherPublicBody', 'private'));
                ALTER TABLE esf.costs ADD CONSTRAINT costs_source_financing CHECK (source IS NULL OR category = 'financing');
                ALTER TABLE esf.costs ADD CONSTRAINT costs_financing_source CHECK (category <> 'financing' OR source IS NOT NULL) NOT VALID;
                """
        ),
        Migration(
            step: 7,
            name: "a project's target for each indicator, in all and by gender, for the progress report",
            sql: """
                -- What the project promised the ESF council for an indicator of its set (by code, so a
                -- new version of the definition keeps its target): in all and, where it was split,
                -- for women and men.
                CREATE TABLE esf.indicator_targets (
                    project_id bigint  NOT NULL REFERENCES esf.projects,
                    code       text    NOT NULL,
                    total      integer NOT NULL CHECK (total >= 0),
                    women      integer CHECK (women >= 0),
                    men        integer CHECK (men >= 0),
                    PRIMARY KEY (project_id, code)
                );
                """
        ),
        Migration(
            step: 8,
            name: "the coordinator responsible for a project",
            sql: """
                -- The coordinator user (kernel.users) who answers for the project and gets its
                -- reminders. No foreign key: the kernel's schema is not the feature's to read; the
                -- store checks the user through the host's staff directory. NULL: nobody named.
                ALTER TABLE esf.projects ADD COLUMN coordinator_user_id bigint CHECK (coordinator_user_id > 0);
                """
        ),
    ]
}
