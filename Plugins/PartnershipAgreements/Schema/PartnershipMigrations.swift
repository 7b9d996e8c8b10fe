import DataAccess

/// The schema steps of the `partnerships` schema. Parties are registry organisations (foreign
/// keys into `registry`); nothing here writes there.
enum PartnershipMigrations {
    static let all: [Migration] = [
        Migration(
            step: 1,
            name: "agreements, parties, contributions, transitions, grants, action plans, documents, reminders",
            sql: """
                CREATE SCHEMA IF NOT EXISTS partnerships;

                CREATE TABLE partnerships.agreements (
                    id                     bigserial     PRIMARY KEY,
                    kind                   text          NOT NULL
                        CHECK (kind IN ('iop', 'associationGrant', 'frameworkAgreement', 'supervisionContract')),
                    title                  text          NOT NULL,
                    purpose                text          NOT NULL,
                    state                  text          NOT NULL CHECK (state IN (
                        'draft', 'legalCheck', 'signed', 'active', 'evaluated', 'renewed', 'terminated', 'expired',
                        'applied', 'inReview', 'granted', 'rejected', 'paid', 'reportDue', 'approved', 'repaymentClaimed', 'repaid')),
                    from_date              date          NOT NULL,
                    to_date                date          CHECK (to_date IS NULL OR to_date >= from_date),
                    review_on              date,
                    termination_terms      text,
                    -- The party that took the initiative (an IOP: an idea-based one, rule 19).
                    initiated_by           bigint        REFERENCES registry.organisations,
                    procurement_check      text,
                    procurement_checked_on date,
                    grant_year             integer,
                    applied_amount         numeric(14,2) CHECK (applied_amount >= 0),
                    granted_amount         numeric(14,2) CHECK (granted_amount >= 0),
                    conditions             text,
                    decided_on             date,
                    report_due_on          date,
                    -- A grant's payments made and repayments, summed as they are recorded, so the
                    -- ledger reads one row per grant rather than its payments.
                    paid_amount            numeric(14,2) NOT NULL DEFAULT 0 CHECK (paid_amount >= 0),
                    repaid_amount          numeric(14,2) NOT NULL DEFAULT 0 CHECK (repaid_amount >= 0),
                    flagged_for_review     boolean       NOT NULL DEFAULT false,
                    flag_reason            text,
                    flagged_on             date,
                    created_at             timestamptz   NOT NULL DEFAULT now(),
                    updated_at             timestamptz   NOT NULL DEFAULT now()
                );
                -- The follow-up reads these dates of the agreements in force.
                CREATE INDEX agreements_review ON partnerships.agreements (review_on) WHERE review_on IS NOT NULL;
                CREATE INDEX agreements_end ON partnerships.agreements (to_date) WHERE to_date IS NOT NULL;
                CREATE INDEX agreements_report_due ON partnerships.agreements (report_due_on) WHERE report_due_on IS NOT NULL;
                CREATE INDEX agreements_flagged ON partnerships.agreements (id) WHERE flagged_for_review;
                CREATE INDEX agreements_grant_year ON partnerships.agreements (grant_year) WHERE grant_year IS NOT NULL;
                CREATE INDEX agreements_kind_from ON partnerships.agreements (kind, from_date);

                CREATE TABLE partnerships.parties (
                    agreement_id    bigint NOT NULL REFERENCES partnerships.agreements ON DELETE CASCADE,
                    organisation_id bigint NOT NULL REFERENCES registry.organisations,
                    side            text   NOT NULL CHECK (side IN ('public', 'ideaBased')),
                    PRIMARY KEY (agreement_id, organisation_id)
                );
                CREATE INDEX parties_organisation ON partnerships.parties (organisation_id, agreement_id);

                CREATE TABLE partnerships.contributions (
                    id              bigserial     PRIMARY KEY,
                    agreement_id    bigint        NOT NULL,
                    organisation_id bigint        NOT NULL,
                    year            integer       NOT NULL CHECK (year BETWEEN 1900 AND 2200),
                    form            text          NOT NULL CHECK (form IN ('money', 'inKind')),
                    amount          numeric(14,2) NOT NULL CHECK (amount >= 0),
                    description     text,
                    FOREIGN KEY (agreement_id, organisation_id) REFERENCES partnerships.parties ON DELETE CASCADE,
                    CHECK (form = 'money' OR description IS NOT NULL)
                );
                CREATE INDEX contributions_agreement ON partnerships.contributions (agreement_id, year);

                -- Every change of state: who, when, why (the audit log has the same, this is for reading).
                CREATE TABLE partnerships.transitions (
                    id           bigserial   PRIMARY KEY,
                    agreement_id bigint      NOT NULL REFERENCES partnerships.agreements,
                    from_state   text        NOT NULL,
                    to_state     text        NOT NULL,
                    on_date      date        NOT NULL,
                    comment      text,
                    actor        text        NOT NULL,
                    at           timestamptz NOT NULL DEFAULT now()
                );
                CREATE INDEX transitions_agreement ON partnerships.transitions (agreement_id, id);

                CREATE TABLE partnerships.payments (
                    id           bigserial     PRIMARY KEY,
                    agreement_id bigint        NOT NULL REFERENCES partnerships.agreements,
                    amount       numeric(14,2) NOT NULL CHECK (amount > 0),
                    planned_on   date,
                    paid_on      date,
                    note         text,
                    created_at   timestamptz   NOT NULL DEFAULT now(),
                    CHECK (planned_on IS NOT NULL OR paid_on IS NOT NULL)
                );
                CREATE INDEX payments_agreement ON partnerships.payments (agreement_id) INCLUDE (amount, paid_on);

                CREATE TABLE partnerships.reports (
                    id           bigserial   PRIMARY KEY,
                    agreement_id bigint      NOT NULL REFERENCES partnerships.agreements,
                    submitted_on date        NOT NULL,
                    summary      text        NOT NULL,
                    created_at   timestamptz NOT NULL DEFAULT now()
                );
                CREATE INDEX reports_agreement ON partnerships.reports (agreement_id);

                CREATE TABLE partnerships.repayment_claims (
                    id            bigserial     PRIMARY KEY,
                    agreement_id  bigint        NOT NULL REFERENCES partnerships.agreements,
                    amount        numeric(14,2) NOT NULL CHECK (amount > 0),
                    reason        text          NOT NULL,
                    claimed_on    date          NOT NULL,
                    repaid_on     date,
                    repaid_amount numeric(14,2) CHECK (repaid_amount >= 0)
                );
                CREATE INDEX repayment_claims_agreement ON partnerships.repayment_claims (agreement_id);

                CREATE TABLE partnerships.activities (
                    id           bigserial   PRIMARY KEY,
                    agreement_id bigint      NOT NULL REFERENCES partnerships.agreements,
                    what         text        NOT NULL,
                    how          text,
                    who          text,
                    when_text    text,
                    due_on       date,
                    financing    text,
                    status       text        NOT NULL CHECK (status IN ('planned', 'ongoing', 'done', 'dropped')),
                    outcome      text,
                    created_at   timestamptz NOT NULL DEFAULT now(),
                    updated_at   timestamptz NOT NULL DEFAULT now()
                );
                CREATE INDEX activities_agreement ON partnerships.activities (agreement_id, id);

                CREATE TABLE partnerships.documents (
                    id           bigserial   PRIMARY KEY,
                    agreement_id bigint      NOT NULL REFERENCES partnerships.agreements,
                    filename     text        NOT NULL,
                    content_type text        NOT NULL,
                    size_bytes   integer     NOT NULL CHECK (size_bytes > 0),
                    content      bytea       NOT NULL,
                    uploaded_by  text        NOT NULL,
                    uploaded_at  timestamptz NOT NULL DEFAULT now()
                );
                CREATE INDEX documents_agreement ON partnerships.documents (agreement_id, id);

                -- What the daily reminder job raised; one row per agreement, kind, date and overdue flag.
                CREATE TABLE partnerships.reminders (
                    id           bigserial   PRIMARY KEY,
                    kind         text        NOT NULL,
                    agreement_id bigint      NOT NULL REFERENCES partnerships.agreements,
                    due_on       date        NOT NULL,
                    overdue      boolean     NOT NULL,
                    message      text        NOT NULL,
                    raised_on    date        NOT NULL,
                    raised_at    timestamptz NOT NULL DEFAULT now(),
                    UNIQUE (kind, agreement_id, due_on, overdue)
                );
                CREATE INDEX reminders_agreement ON partnerships.reminders (agreement_id);
                CREATE TABLE partnerships.reminder_runs (
                    run_on date        PRIMARY KEY,
                    raised integer     NOT NULL DEFAULT 0,
                    at     timestamptz NOT NULL DEFAULT now()
                );
                """
        ),
        Migration(
            step: 2,
            name: "follow-up dates of running agreements and grants",
            sql: """
                -- The follow-up (and the start page) asks for the ends and report days of the
                -- agreements still running: past days of ended ones are most of the table.
                CREATE INDEX agreements_running_end ON partnerships.agreements (to_date)
                    WHERE to_date IS NOT NULL AND state IN ('signed', 'active', 'evaluated', 'renewed');
                CREATE INDEX agreements_open_report ON partnerships.agreements (report_due_on)
                    WHERE report_due_on IS NOT NULL AND state IN ('granted', 'paid', 'reportDue');
                """
        ),
        Migration(
            step: 3,
            name: "a grant's report states the amount used",
            sql: """
                -- What the grantee says was used of the grant; the unused rest is proposed for a
                -- repayment claim (rule 20). Reports made before this step stated none.
                ALTER TABLE partnerships.reports ADD COLUMN used_amount numeric(14,2) CHECK (used_amount >= 0);
                """
        ),
        Migration(
            step: 4,
            name: "case numbers of agreements and grants",
            sql: """
                -- The municipality's case number (diarienummer) of the decision, e.g. "SN 2016/123".
                ALTER TABLE partnerships.agreements ADD COLUMN case_number text
                    CHECK (case_number IS NULL OR length(case_number) BETWEEN 1 AND 40);
                CREATE INDEX agreements_case_number ON partnerships.agreements (lower(case_number)) WHERE case_number IS NOT NULL;
                """
        ),
        Migration(
            step: 5,
            name: "decision letters kept as documents",
            sql: """
                -- A decision's letter (grant decided or rejected, repayment claimed, agreement
                -- signed or terminated) is a document of its case: its text as written that day,
                -- what it decided and the day, so a later change of the templates leaves it as sent.
                ALTER TABLE partnerships.documents
                    ADD COLUMN letter text CHECK (letter IN
                        ('grantDecided', 'grantRejected', 'repaymentClaimed', 'agreementSigned', 'agreementTerminated')),
                    ADD COLUMN decided_on date,
                    ADD CHECK ((letter IS NULL) = (decided_on IS NULL));
                """
        ),
        Migration(
            step: 6,
            name: "the caseworker responsible for an agreement or grant",
            sql: """
                -- The caseworker user (kernel.users) who answers for the agreement or grant and
                -- gets its reminders. No foreign key: the kernel's schema is not the feature's to
                -- read; the store checks the user through the host's staff directory. NULL: nobody named.
                ALTER TABLE partnerships.agreements ADD COLUMN caseworker_user_id bigint CHECK (caseworker_user_id > 0);
                """
        ),
    ]
}
