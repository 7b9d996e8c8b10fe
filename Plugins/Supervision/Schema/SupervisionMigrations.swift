import DataAccess

/// The schema steps of the `supervision` schema. Cooperatives, providers, funders, supervisors
/// and attendees are registry rows (foreign keys into `registry`); nothing here writes there.
enum SupervisionMigrations {
    static let all: [Migration] = [
        Migration(
            step: 1,
            name: "assignments, funding pots, sessions, goals, reminders",
            sql: """
                CREATE SCHEMA IF NOT EXISTS supervision;

                CREATE TABLE supervision.funding_pots (
                    id             bigserial     PRIMARY KEY,
                    cooperative_id bigint        NOT NULL REFERENCES registry.organisations,
                    funder_id      bigint        REFERENCES registry.organisations,
                    purpose        text          NOT NULL,
                    amount         numeric(14,2) NOT NULL CHECK (amount > 0),
                    share_percent  numeric(5,2)  NOT NULL CHECK (share_percent > 0 AND share_percent <= 100),
                    from_date      date          NOT NULL,
                    to_date        date          NOT NULL CHECK (to_date >= from_date),
                    review_on      date,
                    created_at     timestamptz   NOT NULL DEFAULT now()
                );
                CREATE INDEX funding_pots_cooperative ON supervision.funding_pots (cooperative_id);

                CREATE TABLE supervision.spending (
                    id         bigserial     PRIMARY KEY,
                    pot_id     bigint        NOT NULL REFERENCES supervision.funding_pots,
                    spent_on   date          NOT NULL,
                    amount     numeric(14,2) NOT NULL CHECK (amount > 0),
                    note       text          NOT NULL,
                    created_at timestamptz   NOT NULL DEFAULT now()
                );
                CREATE INDEX spending_pot ON supervision.spending (pot_id, spent_on);

                CREATE TABLE supervision.assignments (
                    id                     bigserial    PRIMARY KEY,
                    cooperative_id         bigint       NOT NULL REFERENCES registry.organisations,
                    provider_id            bigint       NOT NULL REFERENCES registry.organisations,
                    supervisor_id          bigint       NOT NULL REFERENCES registry.people,
                    share_percent          numeric(5,2) NOT NULL CHECK (share_percent > 0 AND share_percent <= 100),
                    from_date              date         NOT NULL,
                    to_date                date         CHECK (to_date IS NULL OR to_date >= from_date),
                    funding_source         text         NOT NULL,
                    pot_id                 bigint       REFERENCES supervision.funding_pots,
                    review_on              date,
                    target_hours_per_month numeric(6,2) CHECK (target_hours_per_month >= 0),
                    state                  text         NOT NULL
                        CHECK (state IN ('proposed', 'active', 'underReview', 'renewed', 'ended')),
                    ended_on               date,
                    end_reason             text,
                    handed_over_from       bigint       REFERENCES supervision.assignments,
                    created_at             timestamptz  NOT NULL DEFAULT now(),
                    updated_at             timestamptz  NOT NULL DEFAULT now()
                );
                -- At most one assignment in force per cooperative and provider; history is kept.
                CREATE UNIQUE INDEX assignments_one_in_force ON supervision.assignments (cooperative_id, provider_id)
                    WHERE state IN ('active', 'underReview', 'renewed');
                CREATE INDEX assignments_cooperative ON supervision.assignments (cooperative_id, from_date);
                CREATE INDEX assignments_provider ON supervision.assignments (provider_id, state);

                CREATE TABLE supervision.handovers (
                    id                bigserial   PRIMARY KEY,
                    from_provider_id  bigint      NOT NULL REFERENCES registry.organisations,
                    to_provider_id    bigint      NOT NULL REFERENCES registry.organisations,
                    handed_over_on    date        NOT NULL,
                    moved             integer     NOT NULL,
                    actor             text        NOT NULL,
                    at                timestamptz NOT NULL DEFAULT now(),
                    CHECK (from_provider_id <> to_provider_id)
                );

                CREATE TABLE supervision.goals (
                    id             bigserial   PRIMARY KEY,
                    cooperative_id bigint      NOT NULL REFERENCES registry.organisations,
                    person_id      bigint      REFERENCES registry.people,
                    title          text        NOT NULL,
                    description    text,
                    state          text        NOT NULL CHECK (state IN ('open', 'inProgress', 'met', 'dropped')),
                    opened_on      date        NOT NULL,
                    closed_on      date,
                    created_at     timestamptz NOT NULL DEFAULT now(),
                    updated_at     timestamptz NOT NULL DEFAULT now()
                );
                CREATE INDEX goals_cooperative ON supervision.goals (cooperative_id, state);

                CREATE TABLE supervision.sessions (
                    id             bigserial   PRIMARY KEY,
                    assignment_id  bigint      NOT NULL REFERENCES supervision.assignments,
                    -- The assignment's cooperative, kept here so follow-up reads one table.
                    cooperative_id bigint      NOT NULL REFERENCES registry.organisations,
                    held_on        date        NOT NULL,
                    minutes        integer     NOT NULL CHECK (minutes > 0 AND minutes <= 720),
                    topics         jsonb       NOT NULL,
                    notes          text,
                    created_at     timestamptz NOT NULL DEFAULT now()
                );
                CREATE INDEX sessions_cooperative_day ON supervision.sessions (cooperative_id, held_on) INCLUDE (minutes);
                CREATE INDEX sessions_day ON supervision.sessions (held_on) INCLUDE (cooperative_id, minutes);
                CREATE INDEX sessions_assignment ON supervision.sessions (assignment_id, held_on);

                CREATE TABLE supervision.session_attendees (
                    session_id bigint NOT NULL REFERENCES supervision.sessions ON DELETE CASCADE,
                    person_id  bigint NOT NULL REFERENCES registry.people,
                    PRIMARY KEY (session_id, person_id)
                );
                CREATE TABLE supervision.session_goals (
                    session_id bigint NOT NULL REFERENCES supervision.sessions ON DELETE CASCADE,
                    goal_id    bigint NOT NULL REFERENCES supervision.goals,
                    PRIMARY KEY (session_id, goal_id)
                );
                CREATE INDEX session_goals_goal ON supervision.session_goals (goal_id);
                CREATE TABLE supervision.agreed_actions (
                    id         bigserial PRIMARY KEY,
                    session_id bigint    NOT NULL REFERENCES supervision.sessions ON DELETE CASCADE,
                    what       text      NOT NULL,
                    owner_id   bigint    REFERENCES registry.people,
                    due_on     date
                );
                CREATE INDEX agreed_actions_session ON supervision.agreed_actions (session_id);

                -- What the daily reminder job raised; one row per subject, kind and date, so a
                -- second run (or a second host) raises nothing twice.
                CREATE TABLE supervision.reminders (
                    id             bigserial   PRIMARY KEY,
                    kind           text        NOT NULL,
                    subject_id     bigint      NOT NULL,
                    cooperative_id bigint      NOT NULL REFERENCES registry.organisations,
                    due_on         date        NOT NULL,
                    overdue        boolean     NOT NULL,
                    message        text        NOT NULL,
                    raised_on      date        NOT NULL,
                    raised_at      timestamptz NOT NULL DEFAULT now(),
                    UNIQUE (kind, subject_id, due_on, overdue)
                );
                CREATE INDEX reminders_raised ON supervision.reminders (raised_on DESC, id DESC);
                -- The days the job ran: the first host to insert the day does the work.
                CREATE TABLE supervision.reminder_runs (
                    run_on    date        PRIMARY KEY,
                    raised    integer     NOT NULL DEFAULT 0,
                    at        timestamptz NOT NULL DEFAULT now()
                );
                """
        ),
        Migration(
            step: 2,
            name: "each cooperative's last session",
            sql: """
                -- Kept by the triggers below, whoever writes the sessions: "no session for N days"
                -- is then a join of two tables of one row per cooperative, not an index probe for
                -- each. A session dated after the day asked about still needs the probe.
                CREATE TABLE supervision.last_sessions (
                    cooperative_id bigint PRIMARY KEY REFERENCES registry.organisations,
                    held_on        date   NOT NULL
                );
                INSERT INTO supervision.last_sessions (cooperative_id, held_on)
                SELECT cooperative_id, max(held_on) FROM supervision.sessions GROUP BY cooperative_id;

                CREATE FUNCTION supervision.sessions_added() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    INSERT INTO supervision.last_sessions AS l (cooperative_id, held_on)
                    SELECT cooperative_id, max(held_on) FROM added GROUP BY cooperative_id
                    ON CONFLICT (cooperative_id) DO UPDATE SET held_on = greatest(l.held_on, excluded.held_on);
                    RETURN NULL;
                END $$;
                -- A changed or removed session: its cooperatives' last day read again.
                CREATE FUNCTION supervision.sessions_removed() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    DELETE FROM supervision.last_sessions l USING (SELECT DISTINCT cooperative_id FROM removed) r
                    WHERE l.cooperative_id = r.cooperative_id;
                    INSERT INTO supervision.last_sessions AS l (cooperative_id, held_on)
                    SELECT s.cooperative_id, max(s.held_on) FROM supervision.sessions s
                    WHERE s.cooperative_id IN (SELECT cooperative_id FROM removed) GROUP BY s.cooperative_id
                    ON CONFLICT (cooperative_id) DO UPDATE SET held_on = greatest(l.held_on, excluded.held_on);
                    RETURN NULL;
                END $$;
                CREATE TRIGGER sessions_inserted AFTER INSERT ON supervision.sessions
                    REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION supervision.sessions_added();
                CREATE TRIGGER sessions_updated_old AFTER UPDATE ON supervision.sessions
                    REFERENCING OLD TABLE AS removed FOR EACH STATEMENT EXECUTE FUNCTION supervision.sessions_removed();
                CREATE TRIGGER sessions_updated_new AFTER UPDATE ON supervision.sessions
                    REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION supervision.sessions_added();
                CREATE TRIGGER sessions_deleted AFTER DELETE ON supervision.sessions
                    REFERENCING OLD TABLE AS removed FOR EACH STATEMENT EXECUTE FUNCTION supervision.sessions_removed();
                """
        ),
        Migration(
            step: 3,
            name: "the days the providers' reach was kept up",
            sql: """
                -- The daily upkeep dates each assignment's scope grant in the registry (its first
                -- and last day); the first look of a day on any host claims it here.
                CREATE TABLE supervision.scope_upkeep_runs (
                    run_on date        PRIMARY KEY,
                    at     timestamptz NOT NULL DEFAULT now()
                );
                """
        ),
        Migration(
            step: 4,
            name: "the day an assignment's review was taken up",
            sql: """
                -- A report for a past day shows a review as due until the day it was taken up
                -- (the assignment went under review), not only while the state says so today.
                ALTER TABLE supervision.assignments ADD COLUMN reviewed_on date;
                UPDATE supervision.assignments SET reviewed_on = updated_at::date WHERE state = 'underReview';
                """
        ),
        Migration(
            step: 5,
            name: "a pot's re-examination decided: extended, ended or turned into a grant",
            sql: """
                -- The pot keeps its current amount, last day and next review; each decision keeps
                -- what they were before it, so the pot as it stood on an earlier day can be read.
                CREATE TABLE supervision.pot_decisions (
                    id                 bigserial     PRIMARY KEY,
                    pot_id             bigint        NOT NULL REFERENCES supervision.funding_pots,
                    outcome            text          NOT NULL CHECK (outcome IN ('extend', 'end', 'grant')),
                    decided_on         date          NOT NULL,
                    case_number        text,
                    previous_to        date          NOT NULL,
                    new_to             date          NOT NULL,
                    amount_added       numeric(14,2) NOT NULL DEFAULT 0 CHECK (amount_added >= 0),
                    grant_amount       numeric(14,2) NOT NULL DEFAULT 0 CHECK (grant_amount >= 0),
                    previous_review_on date,
                    next_review_on     date,
                    note               text,
                    actor              text          NOT NULL,
                    created_at         timestamptz   NOT NULL DEFAULT now()
                );
                CREATE INDEX pot_decisions_pot ON supervision.pot_decisions (pot_id, decided_on);
                """
        ),
        Migration(
            step: 6,
            name: "case numbers of assignments and pots",
            sql: """
                -- The diarienummer of the decision behind an assignment or a pot; searched as a
                -- contained text, letter case and spacing ignored.
                ALTER TABLE supervision.assignments ADD COLUMN case_number text;
                ALTER TABLE supervision.funding_pots ADD COLUMN case_number text;
                """
        ),
        Migration(
            step: 7,
            name: "the letters of pot decisions, kept with the cooperative's case",
            sql: """
                -- A pot's re-examination is a decision of the municipality: its letter, as written
                -- that day, under the case number, so a later change of the templates leaves it as sent.
                CREATE TABLE supervision.decision_letters (
                    id          bigserial   PRIMARY KEY,
                    decision_id bigint      NOT NULL UNIQUE REFERENCES supervision.pot_decisions,
                    kind        text        NOT NULL CHECK (kind IN ('potDecided')),
                    case_number text        NOT NULL CHECK (length(case_number) BETWEEN 1 AND 50),
                    decided_on  date        NOT NULL,
                    filename    text        NOT NULL,
                    content     text        NOT NULL,
                    written_by  text        NOT NULL,
                    created_at  timestamptz NOT NULL DEFAULT now()
                );
                """
        ),
        Migration(
            step: 8,
            name: "the users responsible for assignments and pots",
            sql: """
                -- The user (kernel.users) who answers for the record and gets its reminders: the
                -- supervisor of an assignment, the caseworker of a pot. The kernel's schema is not
                -- the feature's to read, so there is no foreign key; the store checks the user
                -- through the host's staff directory. NULL: nobody named, the reminders go to the role.
                ALTER TABLE supervision.assignments ADD COLUMN supervisor_user_id bigint CHECK (supervisor_user_id > 0);
                ALTER TABLE supervision.funding_pots ADD COLUMN caseworker_user_id bigint CHECK (caseworker_user_id > 0);
                """
        ),
    ]
}
