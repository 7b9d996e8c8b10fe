# Sourced by Benchmarks/run.sh while the host runs (issue 23): the reports at ten times the demo
# story's scale. `kooperator demo load`, then Benchmarks/seed-reports.sql copies every row the
# reports add up nine times onto the same records (each ESF project nine times with its
# participations and jobs); each report for the period 2001 to this year
# (the provider's year for this year) over GET /api/v1/reports/{report} as an officer, p50/p99
# with BENCH_LATENCY_CONNECTIONS connections. Target: p99 < 200 ms each.

TARGET_REPORTS_P99_MS=200
REPORT_LINES=()
REPORTS_WORST_P99=0
REPORTS_ERRORS=0
REPORTS_SCALED=""

reports_bench() {
    local token umbrella year name path status p99
    year=$(date +%Y)
    note "loading the demo story"
    "$BINARY" demo load --config "$CONFIG" >/dev/null
    note "copying the rows the reports add up nine times (Benchmarks/seed-reports.sql)"
    REPORTS_SCALED=$(psql -X -q -At -d kooperator -f Benchmarks/seed-reports.sql 2>&1 | tail -n 1)
    "$BINARY" users add bench-reports --role officer --config "$CONFIG" >/dev/null
    token=$("$BINARY" tokens issue bench-reports --config "$CONFIG" | tail -n 1)
    umbrella=$(psql -X -q -At -d kooperator -c \
        "SELECT id FROM registry.organisations WHERE kind = 'socialEconomyOrganisation' AND name NOT LIKE 'Bench %' ORDER BY id LIMIT 1")
    for name in support money beforeAndAfter provider; do
        case $name in
            provider) path="/api/v1/reports/provider?provider=$umbrella&from=$year&to=$year" ;;
            *) path="/api/v1/reports/$name?from=2001&to=$year" ;;
        esac
        status=$(curl -s -o "$WORK/report-$name.json" -w '%{http_code}' -H "Authorization: Bearer $token" "$HTTP$path")
        if [ "$status" != 200 ] || ! grep -q '"figures":\[{' "$WORK/report-$name.json"; then
            note "GET $path answered $status: $(head -c 300 "$WORK/report-$name.json")"
            exit 1
        fi
        note "(o) wrk -c$LATENCY_CONNECTIONS GET $path"
        WRK_CONNECTIONS=$LATENCY_CONNECTIONS run_wrk "report-$name" "$path" -H "Authorization: Bearer $token"
        p99=$(wrk_percentile "$WORK/report-$name.txt" 99)
        REPORTS_ERRORS=$((REPORTS_ERRORS + $(wrk_errors "$WORK/report-$name.txt")))
        REPORTS_WORST_P99=$(awk -v a="$REPORTS_WORST_P99" -v b="$p99" 'BEGIN { print (b > a ? b : a) }')
        REPORT_LINES+=("$(printf '(o) %-40s %7s req/s   p50 %7.2f ms   p99 %7.2f ms' "$name ($(grep -o '"measure"' "$WORK/report-$name.json" | wc -l) figures)" \
            "$(wrk_rps "$WORK/report-$name.txt")" "$(wrk_percentile "$WORK/report-$name.txt" 50)" "$p99")")
    done
}

reports_report() {
    say ""
    say "reports: the demo story at ten times its rows, GET /api/v1/reports/{report} 2001-$(date +%Y), wrk -c$LATENCY_CONNECTIONS"
    say "    rows before→after: $REPORTS_SCALED"
    local line
    for line in "${REPORT_LINES[@]}"; do say "$line"; done
    if [ "$REPORTS_ERRORS" != 0 ]; then say "    errors (non-2xx or socket) in (o): $REPORTS_ERRORS"; fi
    say "$(printf '%-48s %7s   target < %s ms   %s' "slowest report p99 (ms)" "$REPORTS_WORST_P99" "$TARGET_REPORTS_P99_MS" \
        "$(mark "$REPORTS_WORST_P99 < $TARGET_REPORTS_P99_MS && $REPORTS_ERRORS == 0")")"
}
