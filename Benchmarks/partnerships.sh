# Sourced by Benchmarks/run.sh while the host runs (issue 7): the partnerships follow-up (the
# reminders query: reviews, ends and report dates due within 60 days or overdue) and the grant
# ledger of last year, over BENCH_PARTNERSHIP_AGREEMENTS agreements (default 20 000: 10 000
# grants with 20 payments each, 200 000 payments), p50/p99 with BENCH_LATENCY_CONNECTIONS
# connections. Target: p99 < 100 ms each. The whole ten-year ledger is measured too (no target).

PARTNERSHIP_AGREEMENTS=${BENCH_PARTNERSHIP_AGREEMENTS:-20000}
TARGET_PARTNERSHIP_P99_MS=100
PARTNERSHIP_LINES=()
FOLLOW_UP_P99=""
LEDGER_P99=""
PARTNERSHIP_ERRORS=0

partnerships_bench() {
    local today seeded year name path status p99
    today=$(date +%F)
    year=$(($(date +%Y) - 1))
    note "seeding $PARTNERSHIP_AGREEMENTS agreements (half of them grants with 20 payments each)"
    seeded=$(psql -X -q -At -d kooperator -v agreements="$PARTNERSHIP_AGREEMENTS" -v today="$today" \
        -f Benchmarks/seed-partnerships.sql | tail -n 1)
    for name in follow-up ledger ledger-all; do
        case $name in
            follow-up) path="/api/v1/partnerships/follow-up?asOf=$today" ;;
            ledger) path="/api/v1/partnerships/ledger?year=$year" ;;
            ledger-all) path="/api/v1/partnerships/ledger" ;;
        esac
        status=$(curl -s -o "$WORK/$name.json" -w '%{http_code}' -H "Authorization: Bearer $BENCH_TOKEN" "$HTTP$path")
        if [ "$status" != 200 ] || ! grep -q '\[{' "$WORK/$name.json"; then
            note "GET $path answered $status: $(head -c 300 "$WORK/$name.json")"
            exit 1
        fi
        note "(k) wrk -c$LATENCY_CONNECTIONS GET $path ($seeded agreements and payments)"
        WRK_CONNECTIONS=$LATENCY_CONNECTIONS run_wrk "partnerships-$name" "$path" -H "Authorization: Bearer $BENCH_TOKEN"
        p99=$(wrk_percentile "$WORK/partnerships-$name.txt" 99)
        PARTNERSHIP_ERRORS=$((PARTNERSHIP_ERRORS + $(wrk_errors "$WORK/partnerships-$name.txt")))
        PARTNERSHIP_LINES+=("$(printf '(k) %-40s %5s req/s   p50 %6.2f ms   p99 %6.2f ms' "$path" \
            "$(wrk_rps "$WORK/partnerships-$name.txt")" "$(wrk_percentile "$WORK/partnerships-$name.txt" 50)" "$p99")")
        case $name in
            follow-up) FOLLOW_UP_P99=$p99 ;;
            ledger) LEDGER_P99=$p99 ;;
        esac
    done
    PARTNERSHIP_SEEDED=$seeded
}

partnerships_report() {
    say ""
    say "partnerships: $PARTNERSHIP_SEEDED agreements and payments; follow-up and grant ledger over HTTP, wrk -c$LATENCY_CONNECTIONS"
    local line
    for line in "${PARTNERSHIP_LINES[@]}"; do say "$line"; done
    if [ "$PARTNERSHIP_ERRORS" != 0 ]; then say "    errors (non-2xx or socket) in (k): $PARTNERSHIP_ERRORS"; fi
    if [ -n "$FOLLOW_UP_P99" ]; then
        say "$(printf '%-48s %7s   target < %s ms   %s' "follow-up (reminders) p99 (ms)" "$FOLLOW_UP_P99" "$TARGET_PARTNERSHIP_P99_MS" \
            "$(mark "$FOLLOW_UP_P99 < $TARGET_PARTNERSHIP_P99_MS && $PARTNERSHIP_ERRORS == 0")")"
        say "$(printf '%-48s %7s   target < %s ms   %s' "grant ledger of a year p99 (ms)" "$LEDGER_P99" "$TARGET_PARTNERSHIP_P99_MS" \
            "$(mark "$LEDGER_P99 < $TARGET_PARTNERSHIP_P99_MS && $PARTNERSHIP_ERRORS == 0")")"
    fi
}
