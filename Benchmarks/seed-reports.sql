-- `make bench` (issue 23): the demo story at ten times its scale for the reports. After
-- `kooperator demo load`, every row of the tables the reports add up (sessions, pot spending,
-- goals, study-circle meetings, grant payments and contributions, ESF participations, jobs and
-- costs, registry roles) is copied nine times onto the same records, so every cooperative, year
-- and measure of the story has ten times the rows to add up and the reports still show the
-- story (the unit's fourteen years, the 2015 break). A table whose constraints refuse a copy
-- (one row per key) keeps its rows; the count before and after is printed for each. The ESF
-- project, which has one participation per person, is copied nine times instead (a case number
-- of its own each) with its participations and jobs.
-- A bench-only tool: plain SQL, no audit rows.
-- psql -d kooperator -f Benchmarks/seed-reports.sql
\set ON_ERROR_STOP on
CREATE TEMPORARY TABLE bench_scaled (name text, before bigint, after bigint);
DO $$
DECLARE
    t text;
    columns text;
    n bigint;
BEGIN
    FOREACH t IN ARRAY ARRAY[
        'supervision.sessions', 'supervision.spending', 'supervision.goals', 'education.meetings',
        'partnerships.payments', 'partnerships.contributions', 'esf.costs', 'registry.roles'
    ] LOOP
        EXECUTE format('SELECT count(*) FROM %s', t) INTO n;
        -- Every column but a generated key (a serial or identity id).
        SELECT string_agg(quote_ident(c.column_name), ', ' ORDER BY c.ordinal_position) INTO columns
        FROM information_schema.columns c
        WHERE c.table_schema || '.' || c.table_name = t
          AND c.is_identity = 'NO' AND c.is_generated = 'NEVER' AND coalesce(c.column_default, '') NOT LIKE 'nextval(%';
        BEGIN
            EXECUTE format('INSERT INTO %s (%s) SELECT %s FROM %s, generate_series(1, 9) ON CONFLICT DO NOTHING', t, columns, columns, t);
        EXCEPTION WHEN others THEN
            RAISE NOTICE 'bench: % keeps its rows: %', t, SQLERRM;
        END;
        INSERT INTO bench_scaled SELECT t, n, 0;
    END LOOP;
END
$$;
-- The ESF projects: nine copies each, with the project's participations and jobs.
INSERT INTO bench_scaled SELECT t, 0, 0 FROM unnest(ARRAY['esf.projects', 'esf.participations', 'esf.jobs']) AS t;
DO $$
DECLARE
    project record;
    copy bigint;
    t text;
    columns text;
    n integer;
BEGIN
    UPDATE bench_scaled b SET before = (SELECT count(*) FROM esf.projects) WHERE b.name = 'esf.projects';
    UPDATE bench_scaled b SET before = (SELECT count(*) FROM esf.participations) WHERE b.name = 'esf.participations';
    UPDATE bench_scaled b SET before = (SELECT count(*) FROM esf.jobs) WHERE b.name = 'esf.jobs';
    FOR project IN SELECT id FROM esf.projects ORDER BY id LOOP
        FOR n IN 1..9 LOOP
            SELECT string_agg(quote_ident(c.column_name), ', ' ORDER BY c.ordinal_position) INTO columns
            FROM information_schema.columns c
            WHERE c.table_schema = 'esf' AND c.table_name = 'projects' AND c.column_name NOT IN ('id', 'case_number');
            EXECUTE format('INSERT INTO esf.projects (case_number, %s) SELECT case_number || %L, %s FROM esf.projects WHERE id = %s RETURNING id',
                           columns, ' bench ' || n, columns, project.id) INTO copy;
            FOREACH t IN ARRAY ARRAY['participations', 'jobs'] LOOP
                SELECT string_agg(quote_ident(c.column_name), ', ' ORDER BY c.ordinal_position) INTO columns
                FROM information_schema.columns c
                WHERE c.table_schema = 'esf' AND c.table_name = t AND c.column_name NOT IN ('id', 'project_id')
                  AND coalesce(c.column_default, '') NOT LIKE 'nextval(%';
                EXECUTE format('INSERT INTO esf.%I (project_id, %s) SELECT %s, %s FROM esf.%I WHERE project_id = %s',
                               t, columns, copy, columns, t, project.id);
            END LOOP;
        END LOOP;
    END LOOP;
END
$$;
DO $$
DECLARE r record; n bigint;
BEGIN
    FOR r IN SELECT name FROM bench_scaled LOOP
        EXECUTE format('ANALYZE %s', r.name);
        EXECUTE format('SELECT count(*) FROM %s', r.name) INTO n;
        UPDATE bench_scaled SET after = n WHERE name = r.name;
    END LOOP;
END
$$;
SELECT string_agg(format('%s %s→%s', name, before, after), ', ' ORDER BY name) FROM bench_scaled;
