-- `make bench`: seeds :agreements agreements between a municipality and 500 associations: half
-- association grants over the ten grant years before :'today' (20 payments each, so :agreements
-- x 10 payments), half IOPs, framework agreements and supervision contracts in force with review
-- dates from a month ago to four years ahead and ends up to ten years ahead. Last year's grants
-- are due to report (seven in ten have reported), older ones approved. A bench-only tool: plain
-- SQL for speed; it writes the rows the feature's API would, minus audit rows and transitions.
-- psql -v agreements=20000 -v today=2026-11-29 -d kooperator -f Benchmarks/seed-partnerships.sql
\set ON_ERROR_STOP on
BEGIN;
TRUNCATE partnerships.reminders, partnerships.reminder_runs, partnerships.documents, partnerships.activities,
         partnerships.repayment_claims, partnerships.reports, partnerships.payments, partnerships.transitions,
         partnerships.contributions, partnerships.parties, partnerships.agreements;
DELETE FROM registry.organisations WHERE name LIKE 'Partnerskap bench %';

INSERT INTO registry.organisations (name, search_name, legal_form, kind, state)
VALUES ('Partnerskap bench kommunen', 'partnerskap bench kommunen', 'municipalUnit', 'publicBody', 'active');
INSERT INTO registry.organisations (name, search_name, legal_form, kind, state)
SELECT 'Partnerskap bench förening ' || n, 'partnerskap bench forening ' || n, 'nonProfitAssociation', 'association', 'active'
FROM generate_series(1, 500) AS n;
CREATE TEMPORARY TABLE bench_recipients AS
SELECT id, row_number() OVER (ORDER BY id) - 1 AS n FROM registry.organisations WHERE name LIKE 'Partnerskap bench förening %';

-- Grants: n = 0, 2, 4, …; the grant year goes back from last year.
INSERT INTO partnerships.agreements
    (id, kind, title, purpose, state, from_date, to_date, grant_year, applied_amount, granted_amount, decided_on, report_due_on)
SELECT n, 'associationGrant', 'Bench bidrag ' || n, 'Verksamhetsbidrag',
       CASE WHEN y = extract(year FROM :'today'::date)::integer - 1 THEN 'reportDue' ELSE 'approved' END,
       make_date(y, 1, 1), make_date(y, 12, 31), y, 220000, 200000, make_date(y - 1, 12, 1), make_date(y + 1, 3, 31)
FROM generate_series(1, :agreements) AS n,
     LATERAL (SELECT extract(year FROM :'today'::date)::integer - 1 - (n / 2) % 10 AS y) g
WHERE n % 2 = 0;
-- Other agreements in force: n = 1, 3, 5, …
INSERT INTO partnerships.agreements (id, kind, title, purpose, state, from_date, to_date, review_on, procurement_check)
SELECT n, (ARRAY['iop', 'frameworkAgreement', 'supervisionContract'])[1 + n % 3], 'Bench avtal ' || n, 'Samverkan', 'active',
       :'today'::date - 365 - (n % 1000), :'today'::date + 1 + (n * 7) % 3650, :'today'::date - 30 + (n * 13) % 1460, 'Prövad'
FROM generate_series(1, :agreements) AS n
WHERE n % 2 = 1;
SELECT setval('partnerships.agreements_id_seq', (SELECT max(id) FROM partnerships.agreements));

INSERT INTO partnerships.parties (agreement_id, organisation_id, side)
SELECT a.id, o.id, 'public' FROM partnerships.agreements a, registry.organisations o WHERE o.name = 'Partnerskap bench kommunen';
INSERT INTO partnerships.parties (agreement_id, organisation_id, side)
SELECT a.id, r.id, 'ideaBased' FROM partnerships.agreements a JOIN bench_recipients r ON r.n = a.id % 500;
INSERT INTO partnerships.contributions (agreement_id, organisation_id, year, form, amount, description)
SELECT p.agreement_id, p.organisation_id, extract(year FROM a.from_date)::integer,
       CASE p.side WHEN 'public' THEN 'money' ELSE 'inKind' END, 100000, CASE p.side WHEN 'public' THEN NULL ELSE 'Lokaler' END
FROM partnerships.parties p JOIN partnerships.agreements a ON a.id = p.agreement_id WHERE a.kind <> 'associationGrant';

-- 20 payments of 10 000 per grant, made over the grant year.
INSERT INTO partnerships.payments (agreement_id, amount, planned_on, paid_on)
SELECT a.id, 10000, a.from_date + 15 * k, a.from_date + 15 * k
FROM partnerships.agreements a, generate_series(0, 19) AS k
WHERE a.kind = 'associationGrant';
INSERT INTO partnerships.reports (agreement_id, submitted_on, summary)
SELECT a.id, make_date(a.grant_year + 1, 3, 15), 'Redovisning'
FROM partnerships.agreements a WHERE a.kind = 'associationGrant' AND (a.state = 'approved' OR a.id % 10 < 7);
INSERT INTO partnerships.repayment_claims (agreement_id, amount, reason, claimed_on, repaid_on, repaid_amount)
SELECT a.id, 5000, 'Outnyttjade medel', make_date(a.grant_year + 1, 5, 1), make_date(a.grant_year + 1, 6, 1), 5000
FROM partnerships.agreements a WHERE a.kind = 'associationGrant' AND a.id % 20 = 0;
-- The running sums the feature keeps on each grant as payments and repayments are recorded.
UPDATE partnerships.agreements a SET paid_amount = s.paid
FROM (SELECT agreement_id, sum(amount) AS paid FROM partnerships.payments WHERE paid_on IS NOT NULL GROUP BY agreement_id) s
WHERE s.agreement_id = a.id;
UPDATE partnerships.agreements a SET repaid_amount = c.repaid_amount FROM partnerships.repayment_claims c WHERE c.agreement_id = a.id;
COMMIT;
ANALYZE registry.organisations;
VACUUM ANALYZE partnerships.agreements;
VACUUM ANALYZE partnerships.parties;
VACUUM ANALYZE partnerships.payments;
VACUUM ANALYZE partnerships.reports;
VACUUM ANALYZE partnerships.repayment_claims;
SELECT (SELECT count(*) FROM partnerships.agreements) || ' ' || (SELECT count(*) FROM partnerships.payments) AS seeded;
