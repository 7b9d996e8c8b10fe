# Sourced by Benchmarks/run.sh while the host runs (issue 19, point 6), last, because it leaves
# 127.0.0.1 throttled for sign-ins for 15 minutes:
#   (m) GET /health, p50/p99 with BENCH_LATENCY_CONNECTIONS connections, first alone, then while
#       BENCH_SIGNIN_FLOOD_CONNECTIONS (default 16) connections post wrong passwords to /login
#       (Benchmarks/wrong-password.lua) at the product's password hash cost (scrypt N = 2^17).
# The flood's first attempts are checked on the host's password threads; then the name is locked
# for the address and the address throttled (429), so it costs the host little.
# Target: /health p99 < 50 ms during the flood.

SIGNIN_FLOOD_CONNECTIONS=${BENCH_SIGNIN_FLOOD_CONNECTIONS:-16}
TARGET_SIGNIN_HEALTH_P99_MS=50
SIGNIN_STATUSES=""

signin_bench() {
    local login csrf status flood_pid
    login=$(curl -s -c "$WORK/signin-cookies.txt" "$HTTP/login")
    csrf=$(printf '%s' "$login" | sed -n 's/.*name="_csrf" value="\([^"]*\)".*/\1/p' | head -n 1)
    [ -n "$csrf" ] || { note "GET /login carried no _csrf token"; exit 1; }
    status=$(curl -s -o /dev/null -w '%{http_code}' -b "$WORK/signin-cookies.txt" \
        --data-urlencode "_csrf=$csrf" --data-urlencode "username=bench-officer" --data-urlencode "password=not the password" "$HTTP/login")
    if [ "$status" != 422 ]; then
        note "a wrong password answered $status, not 422"
        exit 1
    fi
    note "(m) wrk -c$LATENCY_CONNECTIONS GET /health alone"
    WRK_CONNECTIONS=$LATENCY_CONNECTIONS run_wrk signin-health-alone /health
    note "(m) wrk -c$LATENCY_CONNECTIONS GET /health while wrk -c$SIGNIN_FLOOD_CONNECTIONS posts wrong passwords to /login"
    BENCH_SIGNIN_CSRF=$csrf BENCH_SIGNIN_USER=bench-officer \
        wrk -t2 -c"$SIGNIN_FLOOD_CONNECTIONS" -d"$((SECONDS_PER_STEP + 2))s" -s Benchmarks/wrong-password.lua "$HTTP/login" \
        >"$WORK/signin-flood.txt" &
    flood_pid=$!
    sleep 1
    WRK_WARMUP=0 WRK_CONNECTIONS=$LATENCY_CONNECTIONS run_wrk signin-health-flood /health
    wait "$flood_pid"
    SIGNIN_STATUSES=$(awk '/^statuses:/ { sub(/^statuses: /, ""); print }' "$WORK/signin-flood.txt")
}

signin_report() {
    local alone=$WORK/signin-health-alone.txt flood=$WORK/signin-health-flood.txt p99 errors
    p99=$(wrk_percentile "$flood" 99)
    errors=$(wrk_errors "$flood")
    say ""
    say "sign-in flood: wrk -c$SIGNIN_FLOOD_CONNECTIONS posting wrong passwords to /login (scrypt cost as configured);"
    say "    /health with wrk -c$LATENCY_CONNECTIONS"
    say "$(printf '(m) %-40s %7s req/s   p50 %6.2f ms   p99 %6.2f ms' "GET /health alone" \
        "$(wrk_rps "$alone")" "$(wrk_percentile "$alone" 50)" "$(wrk_percentile "$alone" 99)")"
    say "$(printf '(m) %-40s %7s req/s   p50 %6.2f ms   p99 %6.2f ms' "GET /health during the flood" \
        "$(wrk_rps "$flood")" "$(wrk_percentile "$flood" 50)" "$p99")"
    say "$(printf '(m) %-40s %7s req/s   answers: %s' "POST /login (wrong passwords)" \
        "$(wrk_rps "$WORK/signin-flood.txt")" "$SIGNIN_STATUSES")"
    if [ "$errors" != 0 ]; then say "    errors (non-2xx or socket) in /health during the flood: $errors"; fi
    say "$(printf '%-48s %7s   target < %s ms   %s' "/health p99 during the sign-in flood (ms)" "$p99" "$TARGET_SIGNIN_HEALTH_P99_MS" \
        "$(mark "$p99 < $TARGET_SIGNIN_HEALTH_P99_MS && $errors == 0")")"
}
