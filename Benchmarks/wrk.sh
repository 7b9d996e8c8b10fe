# Sourced by Benchmarks/run.sh and Benchmarks/compare.sh: running wrk and reading its figures.
# run_wrk uses HTTP (the host's base URL), CONNECTIONS, WARMUP, SECONDS_PER_STEP and WORK (where
# each run's output goes, as WORK/NAME.txt), which the caller sets.

# wrk prints latencies as 412.00us, 1.70ms, 2.10s, 1.00m; converts to milliseconds.
to_ms() {
    awk -v v="$1" 'BEGIN {
        n = v + 0; u = v; sub(/^[0-9.]+/, "", u)
        if (u == "us") n /= 1000; else if (u == "s") n *= 1000; else if (u == "m") n *= 60000; else if (u == "h") n *= 3600000
        printf "%.2f", n }'
}

# PASS when the awk condition $1 holds.
mark() { if awk "BEGIN { exit !($1) }"; then echo PASS; else echo FAIL; fi; }
wrk_rps() { awk '/^Requests\/sec:/ { printf "%.0f", $2 }' "$1"; }
wrk_percentile() { to_ms "$(awk -v p="$2%" '$1 == p { print $2; exit }' "$1")"; }
wrk_errors() {
    awk '/Non-2xx or 3xx responses:/ { bad += $NF }
         /Socket errors:/ { gsub(/,/, ""); bad += $4 + $6 + $8 + $10 }
         END { print bad + 0 }' "$1"
}

# run_wrk NAME PATH [wrk options]; WRK_CONNECTIONS, WRK_SECONDS and WRK_WARMUP override the
# connection count, the duration and the warm-up.
run_wrk() {
    local name=$1 path=$2 connections=${WRK_CONNECTIONS:-$CONNECTIONS} warmup=${WRK_WARMUP:-$WARMUP}
    shift 2
    if [ "$warmup" -gt 0 ]; then wrk -t"$(( connections < 2 ? 1 : 2 ))" -c"$connections" -d"${warmup}s" "$@" "$HTTP$path" >/dev/null; fi
    wrk -t"$(( connections < 2 ? 1 : 2 ))" -c"$connections" -d"${WRK_SECONDS:-$SECONDS_PER_STEP}s" --latency "$@" "$HTTP$path" >"$WORK/$name.txt"
}

# median: the median of the numbers on stdin, one per line.
median() { sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) print 0; else if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
# middle_half: the first and third quartiles of the numbers on stdin (one a line), as `Q1 to Q3`:
# where the middle half of the figures lie, so a reader sees how far the median could move.
middle_half() {
    sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) { print "none"; exit }
        lo = int((NR + 3) / 4); hi = NR + 1 - lo; print v[lo] " to " v[hi] }'
}
