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
        )
    ]
}
