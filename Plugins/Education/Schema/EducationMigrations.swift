import DataAccess

/// The schema steps of the `education` schema. Study associations, leaders, participants and
/// cooperatives are registry rows (foreign keys into `registry`); nothing here writes there.
enum EducationMigrations {
    static let all: [Migration] = [
        Migration(
            step: 1,
            name: "circles, enrolments, meetings, attendance",
            sql: """
                CREATE SCHEMA IF NOT EXISTS education;

                CREATE TABLE education.circles (
                    id                     bigserial   PRIMARY KEY,
                    study_association_id   bigint      NOT NULL REFERENCES registry.organisations,
                    leader_id              bigint      NOT NULL REFERENCES registry.people,
                    assistant_id           bigint      REFERENCES registry.people,
                    subject                text        NOT NULL,
                    study_plan             text        NOT NULL DEFAULT '',
                    aims_cooperative_id    bigint      REFERENCES registry.organisations,
                    planned_start          date        NOT NULL,
                    planned_end            date        NOT NULL CHECK (planned_end >= planned_start),
                    state                  text        NOT NULL
                        CHECK (state IN ('planned', 'running', 'completed', 'reported', 'rejected')),
                    rejection_reason       text,
                    override_reason        text,
                    override_by            text,
                    formed_cooperative     text,
                    created_at             timestamptz NOT NULL DEFAULT now(),
                    updated_at             timestamptz NOT NULL DEFAULT now()
                );
                CREATE INDEX circles_association ON education.circles (study_association_id, planned_start);

                CREATE TABLE education.enrolments (
                    circle_id   bigint      NOT NULL REFERENCES education.circles,
                    person_id   bigint      NOT NULL REFERENCES registry.people,
                    enrolled_on date        NOT NULL,
                    PRIMARY KEY (circle_id, person_id)
                );
                CREATE INDEX enrolments_person ON education.enrolments (person_id);

                CREATE TABLE education.meetings (
                    id         bigserial   PRIMARY KEY,
                    circle_id  bigint      NOT NULL REFERENCES education.circles,
                    starts_at  timestamp   NOT NULL,
                    minutes    integer     NOT NULL CHECK (minutes > 0 AND minutes <= 720)
                );
                CREATE INDEX meetings_circle ON education.meetings (circle_id, starts_at);
                CREATE INDEX meetings_day ON education.meetings (starts_at) INCLUDE (circle_id, minutes);

                CREATE TABLE education.attendance (
                    meeting_id bigint  NOT NULL REFERENCES education.meetings ON DELETE CASCADE,
                    person_id  bigint  NOT NULL REFERENCES registry.people,
                    present    boolean NOT NULL,
                    PRIMARY KEY (meeting_id, person_id)
                );
                """
        ),
        Migration(
            step: 2,
            name: "attendance carries its circle and time, for per-period counts",
            sql: """
                -- Meetings never move, so each attendance row can carry its meeting's circle and
                -- start: "was this person present in this circle in the period" is then one probe
                -- of an index, not a join over every attendance row of the period.
                ALTER TABLE education.attendance ADD COLUMN circle_id bigint REFERENCES education.circles,
                                                 ADD COLUMN starts_at timestamp;
                UPDATE education.attendance a SET circle_id = m.circle_id, starts_at = m.starts_at
                FROM education.meetings m WHERE m.id = a.meeting_id;
                ALTER TABLE education.attendance ALTER COLUMN circle_id SET NOT NULL, ALTER COLUMN starts_at SET NOT NULL;
                CREATE INDEX attendance_present_in_circle ON education.attendance (person_id, circle_id, starts_at) WHERE present;
                """
        ),
        Migration(
            step: 3,
            name: "enrolments keep their first and last presence",
            sql: """
                -- Kept up to date with the attendance: a period report needs an index probe only
                -- for an enrolment whose presence begins before the period and ends after it.
                ALTER TABLE education.enrolments ADD COLUMN first_present_at timestamp, ADD COLUMN last_present_at timestamp;
                UPDATE education.enrolments e SET first_present_at = p.first, last_present_at = p.last
                FROM (SELECT circle_id, person_id, min(starts_at) AS first, max(starts_at) AS last FROM education.attendance
                      WHERE present GROUP BY circle_id, person_id) p
                WHERE p.circle_id = e.circle_id AND p.person_id = e.person_id;
                """
        ),
        Migration(
            step: 4,
            name: "presences by circle",
            sql: """
                -- The start page checks the grant rules of many circles at once: their presences
                -- are then one index-only range per circle, not a scan of every attendance row.
                CREATE INDEX attendance_present_by_circle ON education.attendance (circle_id, meeting_id, person_id) WHERE present;
                """
        ),
        Migration(
            step: 5,
            name: "a circle's facts have a version",
            sql: """
                -- Raised by the triggers below on every write to a circle's meetings, attendance or
                -- enrolments, whoever writes: a verdict of the grant rules reached on one version
                -- holds until the next.
                ALTER TABLE education.circles ADD COLUMN facts_version bigint NOT NULL DEFAULT 0;
                CREATE FUNCTION education.facts_changed() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    UPDATE education.circles SET facts_version = facts_version + 1 WHERE id IN (SELECT circle_id FROM changed);
                    RETURN NULL;
                END $$;
                -- On each table: <table>_added (INSERT, the new rows), <table>_changed (UPDATE, the
                -- old rows: a row never moves to another circle) and <table>_removed (DELETE).
                DO $$
                DECLARE t text;
                BEGIN
                    FOREACH t IN ARRAY ARRAY['meetings', 'attendance', 'enrolments'] LOOP
                        EXECUTE format('CREATE TRIGGER %1$s_added AFTER INSERT ON education.%1$s REFERENCING NEW TABLE AS changed '
                                       'FOR EACH STATEMENT EXECUTE FUNCTION education.facts_changed()', t);
                        EXECUTE format('CREATE TRIGGER %1$s_changed AFTER UPDATE ON education.%1$s REFERENCING OLD TABLE AS changed '
                                       'FOR EACH STATEMENT EXECUTE FUNCTION education.facts_changed()', t);
                        EXECUTE format('CREATE TRIGGER %1$s_removed AFTER DELETE ON education.%1$s REFERENCING OLD TABLE AS changed '
                                       'FOR EACH STATEMENT EXECUTE FUNCTION education.facts_changed()', t);
                    END LOOP;
                END $$;
                """
        ),
        Migration(
            step: 6,
            name: "a participant can be withdrawn",
            sql: """
                -- From this day the person is no longer enrolled; what was recorded before stays.
                ALTER TABLE education.enrolments ADD COLUMN withdrawn_on date;
                """
        ),
        Migration(
            step: 7,
            name: "a participant without an identity number can give a birth year",
            sql: """
                -- Rule 11 needs only the year of birth. A person with a protected identity (or none)
                -- has no birth year in the registry; the year they give when enrolled counts instead.
                ALTER TABLE education.enrolments ADD COLUMN birth_year integer CHECK (birth_year BETWEEN 1900 AND 2200);
                """
        ),
        Migration(
            step: 8,
            name: "who runs the education: a circle's organiser, and responsibility moving between units",
            sql: """
                -- The organisation that runs the circle (a municipal unit, say) besides the study
                -- association that co-organises it; none recorded: the study association alone.
                ALTER TABLE education.circles ADD COLUMN organiser_id bigint REFERENCES registry.organisations;
                CREATE INDEX circles_organiser ON education.circles (organiser_id, planned_start) WHERE organiser_id IS NOT NULL;

                -- Responsibility for the education moving to a unit on a day: one record, seen
                -- from both units. The first has no unit it moved from.
                CREATE TABLE education.responsibility_moves (
                    id                   bigserial   PRIMARY KEY,
                    from_organisation_id bigint      REFERENCES registry.organisations,
                    to_organisation_id   bigint      NOT NULL REFERENCES registry.organisations,
                    on_date              date        NOT NULL,
                    note                 text,
                    created_at           timestamptz NOT NULL DEFAULT now(),
                    CHECK (from_organisation_id IS DISTINCT FROM to_organisation_id)
                );
                CREATE INDEX responsibility_moves_on ON education.responsibility_moves (on_date, id);
                """
        ),
    ]
}
