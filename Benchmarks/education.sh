# Sourced by Benchmarks/run.sh while the host runs (issue 5): the education per-period report
# (GET /api/v1/education/reports/period for a calendar year) over 2000 circles of 10 study
# associations, each with 20 meetings and 15 participants (600 000 attendance rows), p50/p99 with
# BENCH_LATENCY_CONNECTIONS connections. Target: p99 < 200 ms.
#
# Settings: BENCH_EDUCATION_CIRCLES (default 2000).

EDUCATION_CIRCLES=${BENCH_EDUCATION_CIRCLES:-2000}
TARGET_PERIOD_P99_MS=200
EDUCATION_LINE=""
PERIOD_P99=""
EDUCATION_ERRORS=0

education_bench() {
    local year rows path status
    year=$(date +%Y)
    note "seeding $EDUCATION_CIRCLES study circles x 20 meetings x 15 participants"
    rows=$(psql -X -q -At -d kooperator -v circles="$EDUCATION_CIRCLES" -v year="$year" -f Benchmarks/seed-education.sql | tail -n 1)
    path="/api/v1/education/reports/period?from=$((year - 1))-01-01&to=$((year - 1))-12-31"
    status=$(curl -s -o "$WORK/period.json" -w '%{http_code}' -H "Authorization: Bearer $BENCH_TOKEN" "$HTTP$path")
    if [ "$status" != 200 ] || ! grep -q '"uniqueParticipants":[1-9]' "$WORK/period.json"; then
        note "GET $path answered $status: $(head -c 300 "$WORK/period.json")"
        exit 1
    fi
    note "(h) wrk -c$LATENCY_CONNECTIONS GET $path ($EDUCATION_CIRCLES circles, $rows attendance rows)"
    WRK_CONNECTIONS=$LATENCY_CONNECTIONS run_wrk period "$path" -H "Authorization: Bearer $BENCH_TOKEN"
    PERIOD_P99=$(wrk_percentile "$WORK/period.txt" 99)
    EDUCATION_ERRORS=$(wrk_errors "$WORK/period.txt")
    EDUCATION_LINE=$(printf '(h) period report, %5d circles %8d attendance rows  %5s req/s   p50 %6.2f ms   p99 %6.2f ms' \
        "$EDUCATION_CIRCLES" "$rows" "$(wrk_rps "$WORK/period.txt")" "$(wrk_percentile "$WORK/period.txt" 50)" "$PERIOD_P99")
}

education_report() {
    say ""
    say "education: the per-period report (circles, study hours, unique participants per study association) over HTTP, wrk -c$LATENCY_CONNECTIONS"
    say "$EDUCATION_LINE"
    if [ "$EDUCATION_ERRORS" != 0 ]; then say "    errors (non-2xx or socket) in (h): $EDUCATION_ERRORS"; fi
    say "$(printf '%-48s %7s   target < %s ms   %s' "period report p99 (ms)" "$PERIOD_P99" "$TARGET_PERIOD_P99_MS" \
        "$(mark "$PERIOD_P99 < $TARGET_PERIOD_P99_MS && $EDUCATION_ERRORS == 0")")"
}
