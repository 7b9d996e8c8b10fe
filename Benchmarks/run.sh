#!/usr/bin/env bash
# `make bench`: throughput, start-up time and memory of the kooperator host, on one PostgreSQL.
# It builds and runs `kooperator-bench`: the product's host plus the benchmark feature (`bench`,
# Benchmarks/BenchPlugin), which the product `kooperator` does not have.
#
#   (a) pgbench -S -M prepared (select-only) with BENCH_CLIENTS clients
#   (b) GET /api/v1/bench/hello            (HTTP, no database)      wrk, BENCH_CONNECTIONS connections
#   (c) GET /api/v1/bench/accounts/<id>    (HTTP + one PK select)   wrk, BENCH_CONNECTIONS connections
#
# and the ratio c / (1 / (1/a + 1/b)): the DB route's throughput against what HTTP and the
# select would give if their costs just added up. Also the host's start-up time to a ready
# /health (migrations applied) and its peak RSS under the load. Targets: ratio >= 0.6,
# start-up < 1 s, peak RSS < 150 MB.
#
# The registry (issue 3), after seeding BENCH_PEOPLE people through its API:
#   (d) GET /api/v1/registry/people?q=<name>            search by name, p50/p99   target p99 < 20 ms
#   (e) POST /api/v1/registry/people/lookup          lookup by number (in the body), p50/p99
#   (f) POST /api/v1/bench/people/<id>/update with and without the audit row: the registry's person
#       update, overhead = 1 - audited/plain, the median of alternating rounds    target < 10 %
#       (and the one-integer deposit the same way, a figure only; Benchmarks/audit.sh)
# and, from the sourced files, the features' steps (g)-(k) and the pages (l): the start page and
# a list page of 10 000 rows with a signed-in session, p99 < 50 ms (Benchmarks/pages.sh), then
# (n) one cooperative read through the registry's generated OpenAPI handler,
# GET /api/v1/registry/organisations/<id>, p50/p99 at BENCH_LATENCY_CONNECTIONS and the throughput
# at BENCH_CONNECTIONS (Benchmarks/cooperative.sh), and last
# (m) /health p99 while 16 connections post wrong passwords to /login, < 50 ms (Benchmarks/sign-in.sh).
# (o) The reports (issue 23) over the demo story at ten times its rows, each for 2001 to this
# year, p99 < 200 ms (Benchmarks/reports.sh); it runs first, before the other steps' seeds.
# (p) The fail-over figures of `make ha-test` (Tests/HA/run.sh) with the measured host: writes
# unavailable < 15 s for a planned switch-over, < 40 s when the primary is lost (Benchmarks/ha.sh).
# (d) and (e) run with BENCH_LATENCY_CONNECTIONS connections: a latency figure (what one user waits),
# not a saturation one.
#
# Everything runs on 127.0.0.1 and every load step is bounded in time. The figures go to stdout
# and Benchmarks/results/latest.txt.
#
# Settings (environment):
#   BENCH_SECONDS      duration of each load step (default 10)
#   BENCH_WARMUP       duration of the warm-up before each HTTP step (default 2; 0 = none)
#   BENCH_CONNECTIONS  wrk connections (default 32)
#   BENCH_CLIENTS      pgbench clients (default 8)
#   BENCH_POOL_SIZE    the host's pool size (default: the host's default, twice the CPU cores)
#   BENCH_SKIP_BUILD   1 = use the existing .build/release/kooperator-bench (or BENCH_BINARY)
#   BENCH_BINARY       the host to measure instead (a debug build's figures are slower: an upper bound)
#   BENCH_ONLY         sign-in = only the start-up and (m), the sign-in flood;
#                      audit = only the start-up, the people's seeding and (f);
#                      esf = only the start-up, (i) the ESF import and (j);
#                      reports = only the start-up and (o), the reports at ten times the demo;
#                      ha = only the start-up and (p), the fail-over figures
#   BENCH_SIGNIN_FLOOD_CONNECTIONS  connections posting wrong passwords in (m) (default 16)
#   BENCH_PEOPLE       people to seed for (d) and (e) (default 100000)
#   BENCH_LATENCY_CONNECTIONS  wrk connections for (d) and (e) (default 1: one caseworker waiting)
#   BENCH_AUDIT_ROUNDS rounds of (f), each a plain and an audited run of BENCH_SECONDS / 2 of both
#                      writes (default 21: the pairs spread over ±15 %, so 9 left the median
#                      uncertain by about ±5 %)
set -euo pipefail

cd "$(dirname "$0")/.."

SECONDS_PER_STEP=${BENCH_SECONDS:-10}
WARMUP=${BENCH_WARMUP:-2}
CONNECTIONS=${BENCH_CONNECTIONS:-32}
CLIENTS=${BENCH_CLIENTS:-8}
PEOPLE=${BENCH_PEOPLE:-100000}
LATENCY_CONNECTIONS=${BENCH_LATENCY_CONNECTIONS:-1}
AUDIT_ROUNDS=${BENCH_AUDIT_ROUNDS:-21}
AUDIT_ROUND_SECONDS=$(( SECONDS_PER_STEP / 2 > 2 ? SECONDS_PER_STEP / 2 : 2 ))
CONFIG=Benchmarks/bench.yaml
BINARY=${BENCH_BINARY:-.build/release/kooperator-bench}
ONLY=${BENCH_ONLY:-}
CLUSTER=.kooperator/bench-postgres # as in bench.yaml; see cluster_directory
PG_PORT=54339
HTTP=http://127.0.0.1:8089
RESULTS=Benchmarks/results
REPORT=$RESULTS/latest.txt
HOST_LOG=$RESULTS/host.log
READY_TIMEOUT=60

TARGET_RATIO=0.6
TARGET_STARTUP_MS=1000
TARGET_RSS_MB=150
TARGET_SEARCH_P99_MS=20

if [ -n "${BENCH_POOL_SIZE:-}" ]; then export KOOPERATOR_DATABASE_POOL_SIZE=$BENCH_POOL_SIZE; fi
export PGHOST=127.0.0.1 PGPORT=$PG_PORT PGUSER=postgres # PGPASSFILE: below, once the cluster's folder is known

for tool in curl wrk pgbench psql awk; do
    command -v "$tool" >/dev/null || { echo "bench: $tool is missing (make bench installs it)" >&2; exit 1; }
done

mkdir -p "$RESULTS"
: >"$HOST_LOG"
REPORT_TMP=$(mktemp)
WORK=$(mktemp -d)

say() { echo "$*" | tee -a "$REPORT_TMP"; }
note() { echo "bench: $*" >&2; }

# --- the host process --------------------------------------------------------------------

source .ci/host-process.sh  # stop_host, stop_cluster, cluster_directory

start_host() {
    "$BINARY" serve --migrate --config "$CONFIG" >>"$HOST_LOG" 2>&1 &
    HOST_PID=$!
}

# Waits for 200 from /health, polling every 10 ms; prints the milliseconds since $1 (ns).
wait_ready() {
    local started=$1 deadline=$(($(date +%s) + READY_TIMEOUT))
    until curl -sf -o /dev/null --max-time 1 "$HTTP/health"; do
        if ! kill -0 "$HOST_PID" 2>/dev/null; then
            note "the host exited before /health answered; last lines of $HOST_LOG:"
            tail -n 20 "$HOST_LOG" >&2
            HOST_PID=""
            return 1
        fi
        if [ "$(date +%s)" -ge "$deadline" ]; then
            note "/health did not answer 200 within ${READY_TIMEOUT} s"
            return 1
        fi
        sleep 0.01
    done
    echo $((($(date +%s%N) - started) / 1000000))
}




cleanup() {
    local status=$?
    trap - EXIT INT TERM
    stop_host
    stop_cluster
    rm -rf "$WORK" "$REPORT_TMP"
    exit $status
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- parsing -----------------------------------------------------------------------------

source Benchmarks/wrk.sh  # to_ms, mark, wrk_rps, wrk_percentile, wrk_errors, run_wrk, median

# --- 1. build ------------------------------------------------------------------------------

if [ "${BENCH_SKIP_BUILD:-0}" != 1 ]; then
    note "building the release host with the benchmark feature (a few minutes from clean)"
    swift build -c release --product kooperator-bench
fi
[ -x "$BINARY" ] || { note "$BINARY not found"; exit 1; }
"$BINARY" config check --config "$CONFIG" >/dev/null

if curl -s -o /dev/null --max-time 1 "$HTTP/health"; then
    note "something already answers on $HTTP; stop it first"
    exit 1
fi

# Other work on the machine skews every figure: sample how busy the CPUs are for 1 s first.
cpu_ticks() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8, $2 + $3 + $4 + $5 + $6 + $7 + $8 }' /proc/stat; }
read -r busy0 total0 < <(cpu_ticks)
sleep 1
read -r busy1 total1 < <(cpu_ticks)
BUSY_BEFORE=$(((busy1 - busy0) * 100 / (total1 - total0 > 0 ? total1 - total0 : 1)))

# --- 2. start-up -----------------------------------------------------------------------------

CLUSTER=$(cluster_directory)
case "$CLUSTER" in
*/?*postgres*) ;;
*) note "unexpected bench cluster directory '$CLUSTER' (from kooperator db status)"; exit 1 ;;
esac
# psql and pgbench reach the cluster over TCP (bench.yaml sets its port) as its superuser, with the
# password the host keeps in the cluster's folder (made at the first start below).
export PGPASSFILE=$CLUSTER/pgpass
note "removing the previous bench cluster in $CLUSTER"
stop_cluster
rm -rf "$CLUSTER"

note "first start: initdb, migrations (100000 bench rows), serve"
started=$(date +%s%N)
start_host
FIRST_START_MS=$(wait_ready "$started")
stop_host
if "$BINARY" db status --config "$CONFIG" | grep -q running; then note "warning: the host left its cluster running"; fi

note "second start: pg_ctl start on the existing cluster, no pending migrations, serve"
started=$(date +%s%N)
start_host
STARTUP_MS=$(wait_ready "$started")

status=$(curl -s -o "$WORK/account.json" -w '%{http_code}' "$HTTP/api/v1/bench/accounts/42")
if [ "$status" != 200 ] || ! grep -q '"id":42' "$WORK/account.json"; then
    note "GET /api/v1/bench/accounts/42 answered $status: $(cat "$WORK/account.json")"
    exit 1
fi

source Benchmarks/sign-in.sh
source Benchmarks/audit.sh

# seed_people: BENCH_PEOPLE people through the registry API, and the bench officer's token.
seed_people() {
    local status
    note "seeding $PEOPLE people through the registry API (sealed numbers, keyed hashes, audit rows)"
    "$BINARY" users add bench-officer --role officer --config "$CONFIG" >/dev/null
    BENCH_TOKEN=$("$BINARY" tokens issue bench-officer --config "$CONFIG" | tail -n 1)
    SEED_OUTPUT=$("$BINARY" bench seed-people --count "$PEOPLE" --numbers-file "$WORK/numbers.txt" --config "$CONFIG")
    note "$SEED_OUTPUT"
    # ANALYZE needs the table's owner: the host's serving role owns nothing, so psql does it.
    psql -q -X -v ON_ERROR_STOP=1 -d kooperator -c "ANALYZE registry.people"
    export BENCH_TOKEN BENCH_NUMBERS=$WORK/numbers.txt
}

if [ "$ONLY" = audit ]; then
    seed_people
    audit_bench
    stop_host
    say "kooperator benchmark (BENCH_ONLY=audit), $(date -u '+%Y-%m-%d %H:%M:%S UTC'), commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet 2>/dev/null || echo '+changes')"
    say "machine: $(nproc) cores, CPU busy before the run: ${BUSY_BEFORE}%; $PEOPLE people seeded ($SEED_OUTPUT)"
    audit_report
    cat "$REPORT_TMP" >"$REPORT"
    note "written to $REPORT"
    exit 0
elif [ "$ONLY" = sign-in ]; then
    signin_bench
    stop_host
    say "kooperator benchmark (BENCH_ONLY=sign-in), $(date -u '+%Y-%m-%d %H:%M:%S UTC'), commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet 2>/dev/null || echo '+changes')"
    say "machine: $(nproc) cores, CPU busy before the run: ${BUSY_BEFORE}%; start-up to ready /health ${STARTUP_MS} ms"
    signin_report
    cat "$REPORT_TMP" >"$REPORT"
    note "written to $REPORT"
    exit 0
elif [ "$ONLY" = esf ]; then
    source Benchmarks/esf.sh
    esf_bench
    stop_host
    say "kooperator benchmark (BENCH_ONLY=esf), $(date -u '+%Y-%m-%d %H:%M:%S UTC'), commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet 2>/dev/null || echo '+changes')"
    say "machine: $(nproc) cores, CPU busy before the run: ${BUSY_BEFORE}%"
    esf_report
    cat "$REPORT_TMP" >"$REPORT"
    note "written to $REPORT"
    exit 0
elif [ "$ONLY" = reports ]; then
    source Benchmarks/reports.sh
    reports_bench
    stop_host
    say "kooperator benchmark (BENCH_ONLY=reports), $(date -u '+%Y-%m-%d %H:%M:%S UTC'), commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet 2>/dev/null || echo '+changes')"
    say "machine: $(nproc) cores, CPU busy before the run: ${BUSY_BEFORE}%"
    reports_report
    cat "$REPORT_TMP" >"$REPORT"
    note "written to $REPORT"
    exit 0
elif [ "$ONLY" = ha ]; then
    source Benchmarks/ha.sh
    stop_host
    ha_bench
    say "kooperator benchmark (BENCH_ONLY=ha), $(date -u '+%Y-%m-%d %H:%M:%S UTC'), commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet 2>/dev/null || echo '+changes')"
    say "machine: $(nproc) cores, CPU busy before the run: ${BUSY_BEFORE}%"
    ha_report
    cat "$REPORT_TMP" >"$REPORT"
    note "written to $REPORT"
    exit 0
elif [ -n "$ONLY" ]; then
    note "BENCH_ONLY=$ONLY: only sign-in, audit, esf, reports and ha are known"
    exit 1
fi

# --- 3. load -----------------------------------------------------------------------------------

# First: the demo story it loads and scales is the only data then (the later steps' seeds replace
# the features' rows).
source Benchmarks/reports.sh
reports_bench

note "pgbench -i -s 10 in database pgbench of the same cluster"
psql -q -X -v ON_ERROR_STOP=1 -d postgres -c 'CREATE DATABASE pgbench' >/dev/null
pgbench -i -s 10 -q pgbench >"$WORK/pgbench-init.txt" 2>&1 || { cat "$WORK/pgbench-init.txt" >&2; exit 1; }

note "(a) pgbench -S -M prepared -c $CLIENTS -j 2 -T $SECONDS_PER_STEP"
pgbench -S -M prepared -c "$CLIENTS" -j 2 -T "$SECONDS_PER_STEP" pgbench >"$WORK/pgbench.txt" 2>&1 || {
    cat "$WORK/pgbench.txt" >&2
    exit 1
}
A_TPS=$(awk '/^tps = / { printf "%.0f", $3; exit }' "$WORK/pgbench.txt")
A_LATENCY=$(awk '/^latency average = / { print $4; exit }' "$WORK/pgbench.txt")

note "(b) wrk -t2 -c$CONNECTIONS -d${SECONDS_PER_STEP}s $HTTP/api/v1/bench/hello"
run_wrk hello /api/v1/bench/hello
note "(c) wrk -t2 -c$CONNECTIONS -d${SECONDS_PER_STEP}s -s Benchmarks/random-account.lua $HTTP/api/v1/bench/accounts/<id>"
run_wrk account /api/v1/bench/accounts/1 -s Benchmarks/random-account.lua

seed_people
status=$(curl -s -o "$WORK/search.json" -w '%{http_code}' -H "Authorization: Bearer $BENCH_TOKEN" "$HTTP/api/v1/registry/people?q=lindqvist&limit=1")
if [ "$status" != 200 ] || ! grep -q '"items":\[{' "$WORK/search.json"; then
    note "GET /api/v1/registry/people?q=lindqvist answered $status: $(head -c 300 "$WORK/search.json")"
    exit 1
fi

note "(d) wrk -c$LATENCY_CONNECTIONS search people by name"
WRK_CONNECTIONS=$LATENCY_CONNECTIONS run_wrk search /api/v1/registry/people -s Benchmarks/search-people.lua
note "(e) wrk -c$LATENCY_CONNECTIONS look people up by identity number"
WRK_CONNECTIONS=$LATENCY_CONNECTIONS run_wrk lookup /api/v1/registry/people/lookup -s Benchmarks/lookup-person.lua
audit_bench

source Benchmarks/supervision.sh
supervision_bench
source Benchmarks/education.sh
education_bench

# VmHWM is the process's peak resident set since it started, so it covers the load above (the
# HTTP load of (b)-(h)); it is read again after the ESF bulk import, a different kind of work.
PEAK_RSS_KB=$(awk '/^VmHWM:/ { print $2 }' "/proc/$HOST_PID/status")
RSS_KB=$(awk '/^VmRSS:/ { print $2 }' "/proc/$HOST_PID/status")

source Benchmarks/esf.sh
esf_bench
source Benchmarks/partnerships.sh
partnerships_bench
source Benchmarks/pages.sh
pages_bench
IMPORT_PEAK_RSS_KB=$(awk '/^VmHWM:/ { print $2 }' "/proc/$HOST_PID/status")
source Benchmarks/cooperative.sh
cooperative_bench
# Last: it leaves 127.0.0.1 throttled for sign-ins.
signin_bench
# The fail-over test starts hosts and PostgreSQL servers of its own on other ports.
source Benchmarks/ha.sh
ha_bench

SERVER_VERSION=$(psql -X -At -d postgres -c 'SHOW server_version')
B_RPS=$(wrk_rps "$WORK/hello.txt")
C_RPS=$(wrk_rps "$WORK/account.txt")
B_ERRORS=$(wrk_errors "$WORK/hello.txt")
C_ERRORS=$(wrk_errors "$WORK/account.txt")
REGISTRY_ERRORS=$(($(wrk_errors "$WORK/search.txt") + $(wrk_errors "$WORK/lookup.txt")))
SEARCH_P99=$(wrk_percentile "$WORK/search.txt" 99)
stop_host

# --- 4. report -----------------------------------------------------------------------------------

COMBINED=$(awk -v a="$A_TPS" -v b="$B_RPS" 'BEGIN { printf "%.0f", 1 / (1 / a + 1 / b) }')
RATIO=$(awk -v c="$C_RPS" -v a="$A_TPS" -v b="$B_RPS" 'BEGIN { printf "%.2f", c * (1 / a + 1 / b) }')
PEAK_RSS_MB=$(awk -v k="$PEAK_RSS_KB" 'BEGIN { printf "%.1f", k / 1024 }')
RSS_MB=$(awk -v k="$RSS_KB" 'BEGIN { printf "%.1f", k / 1024 }')
IMPORT_PEAK_RSS_MB=$(awk -v k="$IMPORT_PEAK_RSS_KB" 'BEGIN { printf "%.1f", k / 1024 }')
POOL=${KOOPERATOR_DATABASE_POOL_SIZE:-$(awk '/^ *poolSize:/ { print $2; exit }' "$CONFIG")}
POOL=${POOL:-$(($(nproc) * 2 < 2 ? 2 : ($(nproc) * 2 > 32 ? 32 : $(nproc) * 2)))}


say "kooperator benchmark, $(date -u '+%Y-%m-%d %H:%M:%S UTC'), commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet 2>/dev/null || echo '+changes')"
say "machine: $(nproc) cores, $(awk '/^MemTotal:/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo), CPU busy before the run: ${BUSY_BEFORE}%"
say "postgres $SERVER_VERSION, $CLUSTER on 127.0.0.1:$PG_PORT; host pool size $POOL"
if [ "$BUSY_BEFORE" -gt 10 ]; then
    say "warning: the machine was busy before the run; other load skews these figures (and the ratio)"
fi
say "each step ${SECONDS_PER_STEP} s (HTTP after a ${WARMUP} s warm-up); wrk -t2 -c$CONNECTIONS; pgbench -c$CLIENTS -j2"
say ""
say "$(printf '%-44s %10s req/s   avg %s ms' "(a) pgbench -S -M prepared (select-only)" "$A_TPS" "$A_LATENCY")"
say "$(printf '%-44s %10s req/s   p50 %s ms   p99 %s ms' "(b) GET /api/v1/bench/hello (no database)" "$B_RPS" \
    "$(wrk_percentile "$WORK/hello.txt" 50)" "$(wrk_percentile "$WORK/hello.txt" 99)")"
say "$(printf '%-44s %10s req/s   p50 %s ms   p99 %s ms' "(c) GET /api/v1/bench/accounts/:id (PK)" "$C_RPS" \
    "$(wrk_percentile "$WORK/account.txt" 50)" "$(wrk_percentile "$WORK/account.txt" 99)")"
if [ "$B_ERRORS" != 0 ] || [ "$C_ERRORS" != 0 ]; then
    say "    errors (non-2xx or socket): hello $B_ERRORS, accounts $C_ERRORS"
fi
say "$(printf '%-44s %10s req/s' "1 / (1/a + 1/b) (costs of a and b added)" "$COMBINED")"
say ""
say "$(printf '%-44s %10s   target >= %s   %s' "ratio c / (1 / (1/a + 1/b))" "$RATIO" "$TARGET_RATIO" \
    "$(mark "$RATIO >= $TARGET_RATIO && $C_ERRORS == 0")")"
say "$(printf '%-44s %10s   target < %s ms  %s' "start-up to ready /health (ms)" "$STARTUP_MS" "$TARGET_STARTUP_MS" \
    "$(mark "$STARTUP_MS < $TARGET_STARTUP_MS")")"
say "$(printf '%-44s %10s   (initdb + migrations, not a target)' "first start, new cluster (ms)" "$FIRST_START_MS")"
say "$(printf '%-44s %10s   target < %s MB  %s' "peak RSS under load, VmHWM (MB)" "$PEAK_RSS_MB" "$TARGET_RSS_MB" \
    "$(mark "$PEAK_RSS_MB < $TARGET_RSS_MB")")"
say "$(printf '%-44s %10s' "RSS after load, VmRSS (MB)" "$RSS_MB")"
say "$(printf '%-44s %10s   (not a target)' "peak RSS after the 100 000-row import, (i)" "$IMPORT_PEAK_RSS_MB")"
say ""
say "registry: $PEOPLE people seeded through the registry API ($SEED_OUTPUT); (d), (e) with wrk -c$LATENCY_CONNECTIONS"
say "$(printf '%-44s %10s req/s   p50 %s ms   p99 %s ms' "(d) search people by name" "$(wrk_rps "$WORK/search.txt")" \
    "$(wrk_percentile "$WORK/search.txt" 50)" "$SEARCH_P99")"
say "$(printf '%-44s %10s req/s   p50 %s ms   p99 %s ms' "(e) look up by identity number" "$(wrk_rps "$WORK/lookup.txt")" \
    "$(wrk_percentile "$WORK/lookup.txt" 50)" "$(wrk_percentile "$WORK/lookup.txt" 99)")"
if [ "$REGISTRY_ERRORS" != 0 ]; then say "    errors (non-2xx or socket) in (d), (e): $REGISTRY_ERRORS"; fi
say "$(printf '%-44s %10s   target < %s ms   %s' "search p99 (ms)" "$SEARCH_P99" "$TARGET_SEARCH_P99_MS" \
    "$(mark "$SEARCH_P99 < $TARGET_SEARCH_P99_MS && $REGISTRY_ERRORS == 0")")"
audit_report

supervision_report
education_report
esf_report
partnerships_report
pages_report
cooperative_report
reports_report
signin_report
ha_report

cat "$REPORT_TMP" >"$REPORT"
note "written to $REPORT"
