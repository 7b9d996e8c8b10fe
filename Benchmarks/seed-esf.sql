-- Fills public.bench_esf_rows (the ESF import benchmark's participants file, issue 6; esf.sh writes it
-- out with \copy): :rows rows in the
-- import's CSV format, each a distinct person with a valid personnummer (Luhn over YYMMDDNNN),
-- entries spread over 2015-10-01…2018-06-27, most ending 200 days later, every status, level
-- and flag represented. Prints the row count.
\set QUIET on
DROP TABLE IF EXISTS public.bench_esf_rows;
CREATE TABLE public.bench_esf_rows AS
WITH g AS (
    SELECT i, date '1950-01-01' + (i % 18000) AS born, 100 + i / 18000 AS serial FROM generate_series(0, :rows - 1) AS i
), n AS (
    SELECT i, born, serial, to_char(born, 'YYMMDD') || lpad(serial::text, 3, '0') AS nine FROM g
)
SELECT
    to_char(born, 'YYYYMMDD') || '-' || lpad(serial::text, 3, '0')
        || (SELECT (10 - sum((substr(nine, k, 1)::int * (2 - (k + 1) % 2)) / 10 + (substr(nine, k, 1)::int * (2 - (k + 1) % 2)) % 10) % 10) % 10
            FROM generate_series(1, 9) AS k) AS identity_number,
    'Deltagare ' || i AS name,
    CASE i % 2 WHEN 0 THEN 'female' ELSE 'male' END AS gender,
    (date '2015-10-01' + (i % 1000))::text AS "from",
    CASE WHEN i % 4 <> 3 THEN (date '2015-10-01' + (i % 1000) + 200)::text ELSE '' END AS "to",
    (ARRAY['unemployed', 'longTermUnemployed', 'inactiveInEducation', 'inactiveNotInEducation', 'employed'])[1 + i % 5] AS entry_status,
    (ARRAY['primaryOrLowerSecondary', 'upperSecondaryOrPostSecondary', 'tertiary'])[1 + i % 3] AS education_level,
    CASE WHEN i % 17 = 0 THEN 'yes' ELSE 'no' END AS homeless,
    CASE WHEN i % 3 = 0 THEN 'yes' ELSE 'no' END AS migrant_background,
    CASE WHEN i % 7 = 0 THEN 'yes' ELSE 'no' END AS disability,
    CASE WHEN i % 5 = 0 THEN 'yes' ELSE 'no' END AS other_disadvantaged,
    CASE WHEN i % 4 = 3 THEN '' WHEN i % 4 = 0 THEN 'employed' WHEN i % 4 = 1 THEN 'jobSearching' ELSE 'inEducation|qualification' END
        AS exit_results
FROM n;
SELECT count(*) FROM public.bench_esf_rows;
