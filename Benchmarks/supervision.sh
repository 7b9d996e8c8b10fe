# Sourced by Benchmarks/run.sh while the host runs (issue 4): the supervision follow-up report
# over HTTP for 50, 500 and 5000 cooperatives with 5 years of weekly sessions each (500 is the
# target size: about 130 000 sessions), p50/p99 with BENCH_LATENCY_CONNECTIONS connections.
# Target: p99 < 100 ms at 500 cooperatives; the time should grow no faster than the rows.
#
# Settings: BENCH_SUPERVISION_SIZES (default "50 500 5000"), BENCH_SUPERVISION_YEARS (default 5).

SUPERVISION_SIZES=${BENCH_SUPERVISION_SIZES:-50 500 5000}
SUPERVISION_YEARS=${BENCH_SUPERVISION_YEARS:-5}
TARGET_REPORT_P99_MS=100
SUPERVISION_LINES=()
REPORT_P99_AT_500=""
SUPERVISION_ERRORS=0

supervision_bench() {
    local today coops sessions p50 p99 rps
    today=$(date +%F)
    for coops in $SUPERVISION_SIZES; do
        note "seeding $coops cooperatives x $SUPERVISION_YEARS years of weekly sessions"
        sessions=$(psql -X -q -At -d kooperator -v coops="$coops" -v years="$SUPERVISION_YEARS" -v today="$today" \
            -f Benchmarks/seed-supervision.sql | tail -n 1)
        local path="/api/v1/supervision/report?period=${today:0:4}&asOf=$today"
        local status
        status=$(curl -s -o "$WORK/report.json" -w '%{http_code}' -H "Authorization: Bearer $BENCH_TOKEN" "$HTTP$path")
        if [ "$status" != 200 ] || ! grep -q '"inactive":\[{' "$WORK/report.json"; then
            note "GET $path answered $status: $(head -c 300 "$WORK/report.json")"
            exit 1
        fi
        note "(g) wrk -c$LATENCY_CONNECTIONS GET $path ($coops cooperatives, $sessions sessions)"
        WRK_CONNECTIONS=$LATENCY_CONNECTIONS run_wrk "report-$coops" "$path" -H "Authorization: Bearer $BENCH_TOKEN"
        p50=$(wrk_percentile "$WORK/report-$coops.txt" 50)
        p99=$(wrk_percentile "$WORK/report-$coops.txt" 99)
        rps=$(wrk_rps "$WORK/report-$coops.txt")
        SUPERVISION_ERRORS=$((SUPERVISION_ERRORS + $(wrk_errors "$WORK/report-$coops.txt")))
        SUPERVISION_LINES+=("$(printf '(g) follow-up report, %5d cooperatives %8d sessions  %5s req/s   p50 %6.2f ms   p99 %6.2f ms' \
            "$coops" "$sessions" "$rps" "$p50" "$p99")")
        if [ "$coops" = 500 ]; then REPORT_P99_AT_500=$p99; fi
    done
}

supervision_report() {
    say ""
    say "supervision: the follow-up report (hours for the year, inactive cooperatives, due dates) over HTTP, wrk -c$LATENCY_CONNECTIONS"
    local line
    for line in "${SUPERVISION_LINES[@]}"; do say "$line"; done
    if [ "$SUPERVISION_ERRORS" != 0 ]; then say "    errors (non-2xx or socket) in (g): $SUPERVISION_ERRORS"; fi
    if [ -n "$REPORT_P99_AT_500" ]; then
        say "$(printf '%-48s %7s   target < %s ms   %s' "report p99 at 500 cooperatives (ms)" "$REPORT_P99_AT_500" "$TARGET_REPORT_P99_MS" \
            "$(mark "$REPORT_P99_AT_500 < $TARGET_REPORT_P99_MS && $SUPERVISION_ERRORS == 0")")"
    fi
}
