# Sourced by Benchmarks/run.sh while the host runs (issue 8): the pages over HTTP with a
# signed-in browser session (the cookie of a real sign-in through /login), p50/p99 with
# BENCH_LATENCY_CONNECTIONS connections:
#   (l) GET /                                         the start page: every enabled feature's
#                                                     "needs attention now" list over the seeded data
#   (l) GET /registry/organisations?q=bench+förening  a list page of BENCH_PAGE_ROWS (default
#                                                     10 000) rows, its first page and page 200
# The database is vacuumed and analysed first (the seeds bulk-load it just before).
# Target: p99 < 50 ms each.

PAGE_ROWS=${BENCH_PAGE_ROWS:-10000}
TARGET_PAGE_P99_MS=50
PAGE_LINES=()
PAGE_P99S=()
PAGE_ERRORS=0

# pages_sign_in: gives bench-officer a new password ($BINARY with $CONFIG), signs in through
# /login at $HTTP and prints the session cookie's value (Benchmarks/compare.sh uses it too).
pages_sign_in() {
    local password login csrf status cookie
    password="bench-password-$RANDOM-$RANDOM"
    rm -f "$WORK/cookies.txt" # curl matches cookies by host, not port: another host's would be sent
    echo "$password" | "$BINARY" users password bench-officer --config "$CONFIG" >/dev/null
    login=$(curl -s -c "$WORK/cookies.txt" "$HTTP/login")
    csrf=$(printf '%s' "$login" | sed -n 's/.*name="_csrf" value="\([^"]*\)".*/\1/p' | head -n 1)
    status=$(curl -s -o /dev/null -w '%{http_code}' -b "$WORK/cookies.txt" -c "$WORK/cookies.txt" \
        --data-urlencode "_csrf=$csrf" --data-urlencode "username=bench-officer" --data-urlencode "password=$password" "$HTTP/login")
    cookie=$(awk '$6 == "kooperator_session" { print $7 }' "$WORK/cookies.txt")
    if [ "$status" != 303 ] || [ -z "$cookie" ]; then
        note "signing in through /login answered $status without a session cookie"
        exit 1
    fi
    echo "$cookie"
}

pages_bench() {
    local seeded status cookie name path p99
    note "seeding $PAGE_ROWS organisations for the list page"
    seeded=$(psql -X -q -At -d kooperator -v organisations="$PAGE_ROWS" -f Benchmarks/seed-pages.sql | tail -n 1)
    # The seeds bulk-load millions of rows seconds before: vacuum and analyse them, as autovacuum
    # does to a database in use, or index-only scans read the heap and plans guess the sizes.
    note "VACUUM (ANALYZE) after the seeds"
    psql -X -q -d kooperator -c "VACUUM (ANALYZE)"
    cookie=$(pages_sign_in)
    for name in start list-first list-deep; do
        case $name in
            start) path="/" ;;
            list-first) path="/registry/organisations?q=bench+f%C3%B6rening" ;;
            list-deep) path="/registry/organisations?q=bench+f%C3%B6rening&page=200" ;;
        esac
        status=$(curl -s -o "$WORK/$name.html" -w '%{http_code}' -H "Cookie: kooperator_session=$cookie" "$HTTP$path")
        if [ "$status" != 200 ] || ! grep -q '<main' "$WORK/$name.html"; then
            note "GET $path answered $status: $(head -c 300 "$WORK/$name.html")"
            exit 1
        fi
        note "(l) wrk -c$LATENCY_CONNECTIONS GET $path (signed in)"
        WRK_CONNECTIONS=$LATENCY_CONNECTIONS run_wrk "pages-$name" "$path" -H "Cookie: kooperator_session=$cookie"
        p99=$(wrk_percentile "$WORK/pages-$name.txt" 99)
        PAGE_P99S+=("$p99")
        PAGE_ERRORS=$((PAGE_ERRORS + $(wrk_errors "$WORK/pages-$name.txt")))
        PAGE_LINES+=("$(printf '(l) %-52s %5s req/s   p50 %6.2f ms   p99 %6.2f ms' "$path" \
            "$(wrk_rps "$WORK/pages-$name.txt")" "$(wrk_percentile "$WORK/pages-$name.txt" 50)" "$p99")")
    done
    PAGE_SEEDED=$seeded
}

pages_report() {
    say ""
    say "pages: signed-in session, $PAGE_SEEDED organisations in the searched list; wrk -c$LATENCY_CONNECTIONS"
    local line worst=0 p99
    for line in "${PAGE_LINES[@]}"; do say "$line"; done
    if [ "$PAGE_ERRORS" != 0 ]; then say "    errors (non-2xx or socket) in (l): $PAGE_ERRORS"; fi
    for p99 in "${PAGE_P99S[@]}"; do worst=$(awk -v a="$worst" -v b="$p99" 'BEGIN { print (b > a ? b : a) }'); done
    say "$(printf '%-48s %7s   target < %s ms   %s' "start and list pages, worst p99 (ms)" "$worst" "$TARGET_PAGE_P99_MS" \
        "$(mark "$worst < $TARGET_PAGE_P99_MS && $PAGE_ERRORS == 0")")"
}
