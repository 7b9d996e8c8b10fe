-- Sourced by Benchmarks/pages.sh: :organisations associations named "Bench förening NNNNN"
-- (search name folded as the registry folds it), for the list page of (l).
INSERT INTO registry.organisations (name, search_name, legal_form, kind, state)
SELECT 'Bench förening ' || lpad(n::text, 5, '0'), 'bench forening ' || lpad(n::text, 5, '0'), 'nonProfitAssociation', 'association', 'active'
FROM generate_series(1, :organisations) AS n;
ANALYZE registry.organisations;
SELECT count(*) FROM registry.organisations WHERE search_name LIKE 'bench forening %';
