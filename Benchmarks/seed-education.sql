-- `make bench`: seeds :circles study circles of 10 study associations over two calendar years
-- before :'year', each with 15 participants and 20 weekly meetings of 135 minutes, and the
-- attendance of every participant at every meeting (present 9 times in 10): 600 000 attendance
-- rows for 2000 circles. A bench-only tool: plain SQL for speed, no audit rows.
-- psql -v circles=2000 -v year=2026 -d kooperator -f Benchmarks/seed-education.sql
\set ON_ERROR_STOP on
BEGIN;
TRUNCATE education.attendance, education.meetings, education.enrolments, education.circles;
DELETE FROM registry.people WHERE name LIKE 'Bench deltagare %';
DELETE FROM registry.organisations WHERE name LIKE 'Bench studieförbund %';

INSERT INTO registry.organisations (name, search_name, legal_form, kind, state)
SELECT 'Bench studieförbund ' || n, 'bench studieforbund ' || n, 'nonProfitAssociation', 'studyAssociation', 'active'
FROM generate_series(1, 10) AS n;
INSERT INTO registry.people (name, search_name, identity_status, gender)
SELECT 'Bench deltagare ' || n, 'bench deltagare ' || n, 'none', CASE WHEN n % 2 = 0 THEN 'female' ELSE 'male' END
FROM generate_series(1, :circles * 15 + 1) AS n;

CREATE TEMPORARY TABLE bench_people AS
SELECT id, row_number() OVER (ORDER BY id) - 1 AS n FROM registry.people WHERE name LIKE 'Bench deltagare %';
CREATE TEMPORARY TABLE bench_associations AS
SELECT id, row_number() OVER (ORDER BY id) - 1 AS n FROM registry.organisations WHERE name LIKE 'Bench studieförbund %';

-- Circle c starts on a Monday spread over the two years before :year; its leader is person 0.
INSERT INTO education.circles (study_association_id, leader_id, subject, planned_start, planned_end, state)
SELECT a.id, (SELECT id FROM bench_people WHERE n = 0), 'Cirkel ' || c,
       make_date(:year - 2, 1, 5) + 7 * (c % 80), make_date(:year - 2, 1, 5) + 7 * (c % 80) + 140, 'running'
FROM generate_series(0, :circles - 1) AS c JOIN bench_associations a ON a.n = c % 10;

INSERT INTO education.enrolments (circle_id, person_id, enrolled_on)
SELECT c.id, p.id, c.planned_start
FROM (SELECT id, planned_start, row_number() OVER (ORDER BY id) - 1 AS k FROM education.circles) c
JOIN bench_people p ON p.n BETWEEN c.k * 15 + 1 AND c.k * 15 + 15;

INSERT INTO education.meetings (circle_id, starts_at, minutes)
SELECT c.id, (c.planned_start + 7 * w)::timestamp + time '18:00', 135
FROM education.circles c, generate_series(0, 19) AS w;

INSERT INTO education.attendance (meeting_id, person_id, present, circle_id, starts_at)
SELECT m.id, e.person_id, (m.id + e.person_id) % 10 <> 0, m.circle_id, m.starts_at
FROM education.meetings m JOIN education.enrolments e ON e.circle_id = m.circle_id;
UPDATE education.enrolments e SET first_present_at = p.first, last_present_at = p.last
FROM (SELECT circle_id, person_id, min(starts_at) AS first, max(starts_at) AS last FROM education.attendance
      WHERE present GROUP BY circle_id, person_id) p
WHERE p.circle_id = e.circle_id AND p.person_id = e.person_id;
COMMIT;
VACUUM ANALYZE education.circles;
VACUUM ANALYZE education.enrolments;
VACUUM ANALYZE education.meetings;
VACUUM ANALYZE education.attendance;
SELECT count(*) AS attendance FROM education.attendance;
