-- `make bench`: seeds :coops cooperatives under one provider, each with an assignment in force
-- (8 hours a month, a review date in the next 120 days) and a weekly session for :years years up
-- to :'today'. A bench-only tool: plain SQL for speed (1.3 million sessions for 5000 cooperatives
-- in seconds); it writes the rows the feature's API would, minus audit rows.
-- psql -v coops=500 -v years=5 -v today=2026-11-29 -d kooperator -f Benchmarks/seed-supervision.sql
\set ON_ERROR_STOP on
BEGIN;
TRUNCATE supervision.session_attendees, supervision.session_goals, supervision.agreed_actions, supervision.sessions, supervision.last_sessions,
         supervision.reminders, supervision.reminder_runs, supervision.handovers, supervision.assignments,
         supervision.spending, supervision.funding_pots, supervision.goals;
DELETE FROM registry.scope_grants WHERE feature = 'supervision';
DELETE FROM registry.roles WHERE organisation_id IN (SELECT id FROM registry.organisations WHERE name LIKE 'Bench %');
DELETE FROM registry.organisations WHERE name LIKE 'Bench %';
DELETE FROM registry.people WHERE name = 'Bench Handledare';

INSERT INTO registry.organisations (name, search_name, legal_form, kind, state)
VALUES ('Bench Paraplyförening', 'bench paraplyforening', 'economicAssociation', 'socialEconomyOrganisation', 'active');
INSERT INTO registry.people (name, search_name, identity_status) VALUES ('Bench Handledare', 'bench handledare', 'none');
INSERT INTO registry.roles (person_id, organisation_id, role, from_date)
SELECT p.id, o.id, 'supervisor', :'today'::date - 365 * :years - 1
FROM registry.people p, registry.organisations o WHERE p.name = 'Bench Handledare' AND o.name = 'Bench Paraplyförening';

INSERT INTO registry.organisations (name, search_name, legal_form, kind, state)
SELECT 'Bench kooperativ ' || n, 'bench kooperativ ' || n, 'economicAssociation', 'cooperative', 'active'
FROM generate_series(1, :coops) AS n;

INSERT INTO supervision.assignments
    (cooperative_id, provider_id, supervisor_id, share_percent, from_date, funding_source, review_on, target_hours_per_month, state)
SELECT c.id, p.id, s.id, 20, :'today'::date - 365 * :years, 'Bench', :'today'::date + (c.id % 120)::integer, 8, 'active'
FROM registry.organisations c,
     (SELECT id FROM registry.organisations WHERE name = 'Bench Paraplyförening') p,
     (SELECT id FROM registry.people WHERE name = 'Bench Handledare') s
WHERE c.name LIKE 'Bench kooperativ %';

INSERT INTO registry.scope_grants (provider_id, organisation_id, feature)
SELECT provider_id, cooperative_id, 'supervision' FROM supervision.assignments;

-- Weekly sessions; a tenth of the cooperatives stopped 40 to 130 days ago (the inactive ones).
INSERT INTO supervision.sessions (assignment_id, cooperative_id, held_on, minutes, topics)
SELECT a.id, a.cooperative_id, d::date, 60 + (a.id + w) % 4 * 15, '["business"]'
FROM supervision.assignments a,
     LATERAL generate_series(0, 52 * :years - 1) AS w,
     LATERAL (SELECT :'today'::date - 7 * (52 * :years - 1) + 7 * w + (a.id % 7)::integer AS d) day
WHERE d <= :'today'::date - CASE WHEN a.id % 10 = 0 THEN 40 + (a.id % 90)::integer ELSE 0 END;
COMMIT;
ANALYZE registry.organisations;
ANALYZE supervision.assignments;
VACUUM ANALYZE supervision.sessions;
SELECT count(*) AS sessions FROM supervision.sessions;
