#!/usr/bin/env bash
# Benchmarks/compare.sh OLD NEW: two builds of the host with the benchmark feature (a release
# `kooperator-bench`, or a `kooperator` from before the feature left the product) measured against
# each other in one run, for a rule such as issue 20's "no figure worse than before by more than
# 10 %". The machine's speed drifts (other work on it, the checkpointer, autovacuum) by more than
# that, so the steps alternate as the audit rounds of `make bench` do: in each of
# BENCH_COMPARE_ROUNDS rounds every step runs against OLD then NEW (odd rounds) or NEW then OLD
# (even rounds), and each figure is the median over the rounds.
#
#   (b) GET /api/v1/bench/hello                          wrk -c BENCH_CONNECTIONS
#   (c) GET /api/v1/bench/accounts/<random id>           wrk -c BENCH_CONNECTIONS
#   (d) search people by name                            wrk -c BENCH_LATENCY_CONNECTIONS
#   (e) look a person up by identity number              wrk -c BENCH_LATENCY_CONNECTIONS
#       (POST …/people/lookup, or GET …/people?identityNumber= on a host from before issue 19.12)
#   (n) GET /api/v1/registry/organisations/<id>, one cooperative (Benchmarks/cooperative.sh),
#       wrk -c BENCH_LATENCY_CONNECTIONS and wrk -c BENCH_CONNECTIONS
#   (l) the start page and the first page of the 10 000-organisation list, signed in,
#       wrk -c BENCH_LATENCY_CONNECTIONS
#
# Both hosts run at once on 127.0.0.1 (ports 8091 and 8092), each on its own database of one
# PostgreSQL cluster that this script starts (initdb in a folder under /var/tmp, Unix socket only,
# trust; as the postgres user when run as root) and removes afterwards; each host migrates its own
# database and serves as the cluster's superuser, so both connect the same way. Both databases are
# seeded alike: BENCH_PEOPLE people through the API (`bench seed-people`), one cooperative through
# the API, BENCH_PAGE_ROWS organisations (Benchmarks/seed-pages.sql), then VACUUM (ANALYZE).
#
# The figures (medians, the ratio NEW / OLD of the medians and the median of the rounds' ratios)
# go to stdout and Benchmarks/results/compare.txt. A figure more than 10 % worse by the median of
# the rounds' ratios (req/s lower, p50 or p99 higher) is marked WORSE; the script exits 1 if a
# step answered anything but 2xx. Each step is bounded in time.
#
# Settings (environment): BENCH_COMPARE_ROUNDS (default 5), BENCH_SECONDS (each run, default 5),
# BENCH_WARMUP (before each run, default 1), BENCH_CONNECTIONS (32), BENCH_LATENCY_CONNECTIONS (1),
# BENCH_PEOPLE (100000), BENCH_PAGE_ROWS (10000), BENCH_POOL_SIZE (the hosts' pool size),
# BENCH_COMPARE_STEPS (some of the steps, by name, e.g. "cooperative-latency cooperative-throughput").
set -euo pipefail

if [ $# != 2 ] || [ ! -x "$1" ] || [ ! -x "$2" ]; then
    echo "usage: $0 OLD-BINARY NEW-BINARY (each a host with the benchmark feature)" >&2
    exit 2
fi
OLD=$(realpath -s "$1")
NEW=$(realpath -s "$2")
cd "$(dirname "$0")/.."

ROUNDS=${BENCH_COMPARE_ROUNDS:-5}
SECONDS_PER_STEP=${BENCH_SECONDS:-5}
WARMUP=${BENCH_WARMUP:-1}
CONNECTIONS=${BENCH_CONNECTIONS:-32}
LATENCY_CONNECTIONS=${BENCH_LATENCY_CONNECTIONS:-1}
PEOPLE=${BENCH_PEOPLE:-100000}
PAGE_ROWS=${BENCH_PAGE_ROWS:-10000}
PG_PORT=54349
RESULTS=Benchmarks/results
REPORT=$RESULTS/compare.txt
READY_TIMEOUT=120
WORSE_PERCENT=10

if [ -n "${BENCH_POOL_SIZE:-}" ]; then export KOOPERATOR_DATABASE_POOL_SIZE=$BENCH_POOL_SIZE; fi

for tool in curl wrk psql pg_config awk realpath; do
    command -v "$tool" >/dev/null || { echo "compare: $tool is missing (make deps installs it)" >&2; exit 1; }
done

mkdir -p "$RESULTS"
WORK=$(mktemp -d)
REPORT_TMP=$WORK/report.txt
say() { echo "$*" | tee -a "$REPORT_TMP"; }
note() { echo "compare: $*" >&2; }

source Benchmarks/wrk.sh  # to_ms, mark, wrk_rps, wrk_percentile, wrk_errors, run_wrk, median
source .ci/host-process.sh # stop_host
source Benchmarks/pages.sh # pages_sign_in
source Benchmarks/cooperative.sh # cooperative_seed

declare -A BIN PORT PID TOKEN NUMBERS LOOKUP COOKIE COOP
BIN[old]=$OLD
BIN[new]=$NEW
PORT[old]=8091
PORT[new]=8092

# --- the cluster and the hosts -----------------------------------------------------------------

source Benchmarks/two-hosts.sh # CLUSTER, write_config, start_host, the cleanup on exit

# use LABEL: points BINARY, CONFIG, HTTP and the wrk scripts' variables at that host.
use() {
    BINARY=${BIN[$1]}
    CONFIG=$WORK/$1/config.yaml
    HTTP=http://127.0.0.1:${PORT[$1]}
    BENCH_TOKEN=${TOKEN[$1]:-}
    BENCH_NUMBERS=${NUMBERS[$1]:-}
    BENCH_LOOKUP=${LOOKUP[$1]:-}
    export BENCH_TOKEN BENCH_NUMBERS BENCH_LOOKUP
}

# check LABEL STEP PATH [curl options]: the host answers 200 before its load.
check() {
    local label=$1 step=$2 path=$3 status
    shift 3
    status=$(curl -s -o "$WORK/$label/$step.body" -w '%{http_code}' "$@" "$HTTP$path")
    if [ "$status" != 200 ]; then
        note "$label: GET $path answered $status: $(head -c 300 "$WORK/$label/$step.body")"
        exit 1
    fi
}

start_and_seed() {
    local label=$1 status number
    use "$label"
    start_host "$label" "$BINARY"
    note "$label: seeding $PEOPLE people, one cooperative and $PAGE_ROWS organisations"
    "$BINARY" users add bench-officer --role officer --config "$CONFIG" >/dev/null
    TOKEN[$label]=$("$BINARY" tokens issue bench-officer --config "$CONFIG" | tail -n 1)
    NUMBERS[$label]=$WORK/$label/numbers.txt
    "$BINARY" bench seed-people --count "$PEOPLE" --numbers-file "${NUMBERS[$label]}" --config "$CONFIG" >/dev/null
    use "$label"
    cooperative_seed
    COOP[$label]=$COOPERATIVE_ID
    psql -X -q -At -d "kooperator_$label" -v organisations="$PAGE_ROWS" -f Benchmarks/seed-pages.sql >/dev/null
    psql -X -q -d "kooperator_$label" -c "VACUUM (ANALYZE)"
    COOKIE[$label]=$(pages_sign_in)
    # The lookup: in the body (POST) since issue 19.12, in the query before.
    number=$(head -n 1 "${NUMBERS[$label]}")
    status=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $BENCH_TOKEN" -H 'Content-Type: application/json' \
        --data "{\"identityNumber\": \"$number\"}" "$HTTP/api/v1/registry/people/lookup")
    if [ "$status" = 200 ]; then
        LOOKUP[$label]=body
    else
        LOOKUP[$label]=query
        check "$label" lookup "/api/v1/registry/people?identityNumber=$number" -H "Authorization: Bearer $BENCH_TOKEN"
    fi
}

LIST_PATH="/registry/organisations?q=bench+f%C3%B6rening"
STEPS=${BENCH_COMPARE_STEPS:-hello account search lookup cooperative-latency cooperative-throughput start-page list-page}

# step LABEL STEP NAME: one wrk run of STEP against the host LABEL, its output in WORK/NAME.txt.
step() {
    local label=$1 name=$3
    use "$label"
    case $2 in
        hello) run_wrk "$name" /api/v1/bench/hello ;;
        account) run_wrk "$name" /api/v1/bench/accounts/1 -s Benchmarks/random-account.lua ;;
        search) WRK_CONNECTIONS=$LATENCY_CONNECTIONS run_wrk "$name" /api/v1/registry/people -s Benchmarks/search-people.lua ;;
        lookup) WRK_CONNECTIONS=$LATENCY_CONNECTIONS run_wrk "$name" /api/v1/registry/people/lookup -s Benchmarks/lookup-person.lua ;;
        cooperative-latency)
            WRK_CONNECTIONS=$LATENCY_CONNECTIONS run_wrk "$name" "/api/v1/registry/organisations/${COOP[$label]}" \
                -H "Authorization: Bearer $BENCH_TOKEN"
            ;;
        cooperative-throughput) run_wrk "$name" "/api/v1/registry/organisations/${COOP[$label]}" -H "Authorization: Bearer $BENCH_TOKEN" ;;
        start-page) WRK_CONNECTIONS=$LATENCY_CONNECTIONS run_wrk "$name" / -H "Cookie: kooperator_session=${COOKIE[$label]}" ;;
        list-page) WRK_CONNECTIONS=$LATENCY_CONNECTIONS run_wrk "$name" "$LIST_PATH" -H "Cookie: kooperator_session=${COOKIE[$label]}" ;;
    esac
}

cpu_ticks() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8, $2 + $3 + $4 + $5 + $6 + $7 + $8 }' /proc/stat; }
read -r busy0 total0 < <(cpu_ticks)
sleep 1
read -r busy1 total1 < <(cpu_ticks)
BUSY_BEFORE=$(((busy1 - busy0) * 100 / (total1 - total0 > 0 ? total1 - total0 : 1)))

for label in old new; do
    start_and_seed "$label"
    use "$label"
    check "$label" hello /api/v1/bench/hello
    check "$label" search "/api/v1/registry/people?q=lindqvist&limit=1" -H "Authorization: Bearer $BENCH_TOKEN"
    check "$label" cooperative "/api/v1/registry/organisations/${COOP[$label]}" -H "Authorization: Bearer $BENCH_TOKEN"
    check "$label" start-page / -H "Cookie: kooperator_session=${COOKIE[$label]}"
    check "$label" list-page "$LIST_PATH" -H "Cookie: kooperator_session=${COOKIE[$label]}"
done

# --- the rounds ----------------------------------------------------------------------------------

note "$ROUNDS rounds of ${SECONDS_PER_STEP} s runs (after ${WARMUP} s warm-ups), old and new alternating"
for round in $(seq 1 "$ROUNDS"); do
    for name in $STEPS; do
        for label in $(if [ $((round % 2)) = 1 ]; then echo old new; else echo new old; fi); do
            step "$label" "$name" "$label-$name-$round"
            # Each run's figures as it ends, so a reader sees how far the rounds scatter.
            note "round $round: $name, $label: $(wrk_rps "$WORK/$label-$name-$round.txt") req/s, p50 $(wrk_percentile "$WORK/$label-$name-$round.txt" 50) ms"
        done
    done
done

# --- the report ----------------------------------------------------------------------------------

# figure FILE KIND: req/s, p50 or p99 of one wrk run, on a line of its own.
figure() {
    case $2 in
        rps) wrk_rps "$1" ;;
        p50) wrk_percentile "$1" 50 ;;
        p99) wrk_percentile "$1" 99 ;;
    esac
    echo
}

ERRORS=0
WORSE=0
say "kooperator compare, $(date -u '+%Y-%m-%d %H:%M:%S UTC'): $ROUNDS alternating rounds of ${SECONDS_PER_STEP} s per step and host"
say "old: $OLD"
say "new: $NEW"
say "machine: $(nproc) cores, CPU busy before the run: ${BUSY_BEFORE}%; postgres $(psql -X -At -d postgres -c 'SHOW server_version'), one cluster, a database each"
say "$PEOPLE people, $PAGE_ROWS organisations; wrk -c$CONNECTIONS for hello, account and cooperative-throughput, else -c$LATENCY_CONNECTIONS;"
say "lookup: old ${LOOKUP[old]}, new ${LOOKUP[new]} (body: POST …/people/lookup; query: GET …/people?identityNumber=)"
say "ratio: new / old of the medians; paired: the median of the rounds' new / old, and where the middle half of those lie;"
say "WORSE: paired more than ${WORSE_PERCENT} % worse"
say ""
say "$(printf '%-24s %-4s %10s %10s %8s %8s %13s' step what old new ratio paired "middle half")"
for name in $STEPS; do
    for label in old new; do
        for round in $(seq 1 "$ROUNDS"); do
            ERRORS=$((ERRORS + $(wrk_errors "$WORK/$label-$name-$round.txt")))
        done
    done
    for kind in rps p50 p99; do
        old_median=$(for round in $(seq 1 "$ROUNDS"); do figure "$WORK/old-$name-$round.txt" $kind; done | median)
        new_median=$(for round in $(seq 1 "$ROUNDS"); do figure "$WORK/new-$name-$round.txt" $kind; done | median)
        ratios=$(for round in $(seq 1 "$ROUNDS"); do
            awk -v o="$(figure "$WORK/old-$name-$round.txt" $kind)" -v n="$(figure "$WORK/new-$name-$round.txt" $kind)" \
                'BEGIN { printf "%.4f\n", (o > 0 ? n / o : 0) }'
        done)
        paired=$(echo "$ratios" | median)
        spread=$(echo "$ratios" | middle_half | awk '{ printf "%.3f-%.3f", $1, $3 }')
        ratio=$(awk -v o="$old_median" -v n="$new_median" 'BEGIN { printf "%.3f", (o > 0 ? n / o : 0) }')
        verdict=""
        if [ $kind = rps ]; then
            if awk -v p="$paired" -v w="$WORSE_PERCENT" 'BEGIN { exit !(p < 1 - w / 100) }'; then verdict=WORSE; fi
        elif awk -v p="$paired" -v w="$WORSE_PERCENT" 'BEGIN { exit !(p > 1 + w / 100) }'; then verdict=WORSE; fi
        if [ -n "$verdict" ]; then WORSE=$((WORSE + 1)); fi
        say "$(printf '%-24s %-4s %10s %10s %8s %8.3f %13s %s' "$name" "$kind" "$old_median" "$new_median" "$ratio" "$paired" "$spread" "$verdict")"
    done
done
say ""
say "figures more than ${WORSE_PERCENT} % worse: $WORSE; answers other than 2xx: $ERRORS"
cp "$REPORT_TMP" "$REPORT"
note "written to $REPORT"
if [ "$ERRORS" != 0 ]; then exit 1; fi
