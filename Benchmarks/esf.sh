# Sourced by Benchmarks/run.sh while the host runs (issue 6).
#
# (i) The CSV import of BENCH_ESF_ROWS participants (default 100 000) through
#     POST /api/v1/esf/projects/{id}/imports, in rows per second (the whole request: parse,
#     check, COPY into staging, set-based checks, one INSERT for the participations and one
#     for their periods, one audit row). Target (issue 22): >= 10 000 rows/s for the import of
#     people the registry knows (the same file into a second project). The first import, which
#     registers every person, and a plain `\copy` of the same file into a bare table of text
#     columns on the same server are reported as figures, not targets.
# (j) The indicator report (every indicator of the 2014–2020 set, by gender) over those
#     participants: GET …/projects/{id}/indicators for the project's whole period, p50/p99 with
#     BENCH_LATENCY_CONNECTIONS connections. Target: p99 < 500 ms.

ESF_ROWS=${BENCH_ESF_ROWS:-100000}
TARGET_IMPORT_ROWS_PER_SECOND=10000
TARGET_INDICATORS_P99_MS=500
ESF_IMPORT_LINE=""
ESF_REGISTER_LINE=""
ESF_COPY_LINE=""
ESF_INDICATORS_LINE=""
ESF_IMPORT_RATE=""
ESF_IMPORT_RATIO=""
INDICATORS_P99=""
ESF_ERRORS=0

# Milliseconds since the epoch.
now_ms() { echo $(($(date +%s%N) / 1000000)); }

# Creates a running project through the API; prints its id.
esf_project() {
    local token=$1 owner=$2 name=$3 project
    project=$(curl -s -H "Authorization: Bearer $token" -H 'Content-Type: application/json' "$HTTP/api/v1/esf/projects" \
        -d "{\"caseNumber\": \"bench/$name/$(date +%s%N)\", \"name\": \"$name\", \"ownerId\": $owner, \"from\": \"2015-10-01\", \"to\": \"2018-09-30\", \"programmeArea\": \"2\"}" |
        sed -n 's/.*"id":\([0-9]*\)[,}].*/\1/p')
    if [ -z "$project" ]; then note "the ESF project could not be created (owner $owner)"; exit 1; fi
    for state in granted running; do
        curl -s -o /dev/null -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
            "$HTTP/api/v1/esf/projects/$project/state" -d "{\"state\": \"$state\"}"
    done
    echo "$project"
}

# POSTs the file to a project's import; prints the milliseconds it took.
esf_import() {
    local token=$1 project=$2 file=$3 rows=$4 started status
    started=$(now_ms)
    status=$(curl -s -o "$WORK/import.json" -w '%{http_code}' -H "Authorization: Bearer $token" -H 'Content-Type: text/csv' \
        --data-binary "@$file" "$HTTP/api/v1/esf/projects/$project/imports")
    if [ "$status" != 201 ] || ! grep -q "\"created\":$rows" "$WORK/import.json"; then
        note "the import answered $status: $(head -c 600 "$WORK/import.json")"
        exit 1
    fi
    echo $(($(now_ms) - started))
}

esf_bench() {
    local file="$WORK/participants.csv" token owner first project started rows
    "$BINARY" users add bench-coordinator --role coordinator --config "$CONFIG" >/dev/null
    token=$("$BINARY" tokens issue bench-coordinator --config "$CONFIG" | tail -n 1)
    note "writing $ESF_ROWS participants to $file"
    rows=$(psql -X -q -At -d kooperator -v rows="$ESF_ROWS" -f Benchmarks/seed-esf.sql | tail -n 1)
    psql -X -q -d kooperator -c "\\copy public.bench_esf_rows TO '$file' WITH (FORMAT csv, HEADER)" -c "DROP TABLE public.bench_esf_rows"
    owner=$("$BINARY" registry organisation add --name "ESF-projektägare $(date +%s)" --legal-form nonProfitAssociation \
        --kind socialEconomyOrganisation --state active --config "$CONFIG" | sed -n 's/^ *"id" *: *\([0-9]*\).*/\1/p' | head -n 1)

    note "(i) COPY of the same $rows rows into a bare table"
    psql -X -q -d kooperator -c "DROP TABLE IF EXISTS public.bench_copy" -c "CREATE TABLE public.bench_copy (identity_number text, name text, gender text, \"from\" text, \"to\" text, entry_status text, education_level text, homeless text, migrant_background text, disability text, other_disadvantaged text, exit_results text)"
    started=$(now_ms)
    psql -X -q -d kooperator -c "\\copy public.bench_copy FROM '$file' WITH (FORMAT csv, HEADER)"
    ESF_COPY_MS=$(($(now_ms) - started))
    psql -X -q -d kooperator -c "DROP TABLE public.bench_copy"

    # First into one project: every person is new to the registry and is registered (sealed,
    # blind-indexed, trigram-indexed for search, audited). Then the same file into a second
    # project, the people known: the import proper, which the target is about.
    first=$(esf_project "$token" "$owner" first)
    note "(i) POST /api/v1/esf/projects/$first/imports with $rows rows, every person new to the registry"
    ESF_REGISTER_MS=$(esf_import "$token" "$first" "$file" "$rows")
    project=$(esf_project "$token" "$owner" second)
    note "(i) POST /api/v1/esf/projects/$project/imports with the same $rows rows, the people known"
    ESF_IMPORT_MS=$(esf_import "$token" "$project" "$file" "$rows")
    ESF_IMPORT_RATIO=$(awk -v c="$ESF_COPY_MS" -v i="$ESF_IMPORT_MS" 'BEGIN { printf "%.2f", c / i }')
    ESF_IMPORT_RATE=$(awk -v r="$rows" -v t="$ESF_IMPORT_MS" 'BEGIN { printf "%.0f", r * 1000 / t }')
    ESF_IMPORT_LINE=$(printf '(i) import %d participants, people known  %8.0f rows/s   %6d ms' "$rows" "$ESF_IMPORT_RATE" "$ESF_IMPORT_MS")
    ESF_REGISTER_LINE=$(printf '    the same, every person new          %8.0f rows/s   %6d ms' \
        "$(awk -v r="$rows" -v t="$ESF_REGISTER_MS" 'BEGIN { print r * 1000 / t }')" "$ESF_REGISTER_MS")
    ESF_COPY_LINE=$(printf '    COPY of the same rows, bare table   %8.0f rows/s   %6d ms' \
        "$(awk -v r="$rows" -v t="$ESF_COPY_MS" 'BEGIN { print r * 1000 / t }')" "$ESF_COPY_MS")
    psql -X -q -d kooperator -c "VACUUM ANALYZE esf.participations" -c "VACUUM ANALYZE esf.participation_periods" \
        -c "VACUUM ANALYZE registry.people"

    local path="/api/v1/esf/projects/$project/indicators?from=2015-10-01&to=2018-09-30"
    status=$(curl -s -o "$WORK/indicators.json" -w '%{http_code}' -H "Authorization: Bearer $token" "$HTTP$path")
    if [ "$status" != 200 ] || ! grep -q '"code":"CO01"' "$WORK/indicators.json"; then
        note "GET $path answered $status: $(head -c 300 "$WORK/indicators.json")"
        exit 1
    fi
    note "(j) wrk -c$LATENCY_CONNECTIONS GET $path"
    WRK_CONNECTIONS=$LATENCY_CONNECTIONS run_wrk indicators "$path" -H "Authorization: Bearer $token"
    INDICATORS_P99=$(wrk_percentile "$WORK/indicators.txt" 99)
    ESF_ERRORS=$(wrk_errors "$WORK/indicators.txt")
    ESF_INDICATORS_LINE=$(printf '(j) indicator report, %d participants   %5s req/s   p50 %6.2f ms   p99 %6.2f ms' \
        "$rows" "$(wrk_rps "$WORK/indicators.txt")" "$(wrk_percentile "$WORK/indicators.txt" 50)" "$INDICATORS_P99")
}

esf_report() {
    say ""
    say "esf: the participants' CSV import against a plain COPY of the same file, and the indicator report, wrk -c$LATENCY_CONNECTIONS"
    say "$ESF_IMPORT_LINE"
    say "$ESF_REGISTER_LINE"
    say "$ESF_COPY_LINE"
    say "$ESF_INDICATORS_LINE"
    if [ "$ESF_ERRORS" != 0 ]; then say "    errors (non-2xx or socket) in (j): $ESF_ERRORS"; fi
    say "$(printf '%-48s %7s   target >= %s  %s' "import rows/s, $ESF_ROWS rows, people known" "$ESF_IMPORT_RATE" \
        "$TARGET_IMPORT_ROWS_PER_SECOND" "$(mark "$ESF_IMPORT_RATE >= $TARGET_IMPORT_ROWS_PER_SECOND")")"
    say "$(printf '%-48s %7s   (not a target)' "import rows/s / COPY rows/s" "$ESF_IMPORT_RATIO")"
    say "$(printf '%-48s %7s   target < %s ms   %s' "indicator report p99 (ms)" "$INDICATORS_P99" "$TARGET_INDICATORS_P99_MS" \
        "$(mark "$INDICATORS_P99 < $TARGET_INDICATORS_P99_MS && $ESF_ERRORS == 0")")"
}
