#!/usr/bin/env bash
# Benchmarks/cpu-per-request.sh OLD NEW: the CPU time the host spends per request, for two builds
# of it (each a release host with the benchmark feature). Wall-clock figures (compare.sh) move with
# whatever else the machine does by more than the 10 % a change may cost; the host's own CPU time
# per request (perf's task-clock over every thread of the host process, while one client sends
# requests one after another on a kept-alive connection) moves far less, so a change in what one
# request costs the host shows as it is. (valgrind's instruction counts would be steadier still,
# but valgrind 3.19 cannot run the Swift runtime, and this virtual machine has no hardware
# counters for perf.)
#
# Both hosts run at once (ports 8093 and 8094) on their own databases of one PostgreSQL cluster
# that this script starts (as compare.sh does); each gets one cooperative registered through the
# API and a session signed in through /login. Then BENCH_CPU_ROUNDS rounds: in each, every step
# runs against OLD then NEW (odd rounds) or NEW then OLD (even rounds): BENCH_CPU_WARMUP requests,
# then BENCH_CPU_REQUESTS requests counted. The figure is the median over the rounds of the host's
# task-clock divided by the requests, in microseconds; libpq's work in the host is in it,
# PostgreSQL's (another process) is not.
#
#   hello          GET /api/v1/bench/hello (a hand-written route: the router and middleware alone)
#   cooperative    GET /api/v1/registry/organisations/<id> (a generated handler)
#   start-page     GET / signed in (every feature's "needs attention now")
#
# Output: a table to stdout and Benchmarks/results/cpu-per-request.txt, NEW / OLD per step (the
# median of the rounds' ratios), and WORSE beside a step more than 10 % above OLD; each host's
# answer to each step, head and body, in Benchmarks/results/cpu-answer-{old,new}-STEP.txt.
# Settings: BENCH_CPU_ROUNDS (default 5), BENCH_CPU_REQUESTS (2000), BENCH_CPU_WARMUP (200).
# BENCH_CPU_CONNECTIONS (default 1): with more, the counted load is wrk on that many connections
# for BENCH_SECONDS (default 5, after a second's warm-up) instead of curl's requests one after
# another, and each round's req/s is reported too, with the paired ratio of new / old: under load
# a request costs more than alone (more wake-ups per request), so a change can cost little on one
# connection and more on 32.
# BENCH_CPU_PROFILE=STEP also samples both hosts during STEP (perf record, cpu-clock) and writes
# each one's hottest functions to Benchmarks/results/cpu-profile-{old,new}.txt, beside the samples
# with their call stacks (cpu-profile-{old,new}.perf, for perf report --children or perf script).
set -euo pipefail

if [ $# != 2 ] || [ ! -x "$1" ] || [ ! -x "$2" ]; then
    echo "usage: $0 OLD-BINARY NEW-BINARY (each a release host with the benchmark feature)" >&2
    exit 2
fi
OLD=$(realpath -s "$1")
NEW=$(realpath -s "$2")
cd "$(dirname "$0")/.."

ROUNDS=${BENCH_CPU_ROUNDS:-5}
REQUESTS=${BENCH_CPU_REQUESTS:-2000}
WARMUP=${BENCH_CPU_WARMUP:-200}
CONNECTIONS=${BENCH_CPU_CONNECTIONS:-1}
LOAD_SECONDS=${BENCH_SECONDS:-5}
PG_PORT=54351
RESULTS=Benchmarks/results
REPORT=$RESULTS/cpu-per-request.txt
READY_TIMEOUT=120
WORSE_PERCENT=10
STEPS="hello cooperative start-page"

for tool in curl psql pg_config perf awk realpath $([ "$CONNECTIONS" -gt 1 ] && echo wrk); do
    command -v "$tool" >/dev/null || { echo "cpu-per-request: $tool is missing (perf: apt-get install linux-perf; the rest: make deps)" >&2; exit 1; }
done

mkdir -p "$RESULTS"
WORK=$(mktemp -d)
note() { echo "cpu-per-request: $*" >&2; }

source .ci/host-process.sh # stop_host
source Benchmarks/wrk.sh # median
source Benchmarks/pages.sh # pages_sign_in
source Benchmarks/cooperative.sh # cooperative_seed

declare -A BIN PORT PID TOKEN COOKIE COOP US RPS
PROFILE_ARGS=()
BIN[old]=$OLD
BIN[new]=$NEW
PORT[old]=8093
PORT[new]=8094

source Benchmarks/two-hosts.sh # CLUSTER, write_config, start_host, the cleanup on exit

# start LABEL: the host on its own database, seeded with one cooperative and a signed-in session.
start() {
    local label=$1
    BINARY=${BIN[$label]}
    HTTP=http://127.0.0.1:${PORT[$label]}
    CONFIG=$WORK/$label/config.yaml
    start_host "$label" "$BINARY"
    "$BINARY" users add bench-officer --role officer --config "$CONFIG" >/dev/null
    BENCH_TOKEN=$("$BINARY" tokens issue bench-officer --config "$CONFIG" | tail -n 1)
    TOKEN[$label]=$BENCH_TOKEN
    cooperative_seed
    COOP[$label]=$COOPERATIVE_ID
    COOKIE[$label]=$(pages_sign_in)
}

# load LABEL [perf command words]: the counted load on LABEL's host, under the given perf command:
# curl's BENCH_CPU_REQUESTS requests on one kept-alive connection, or wrk on BENCH_CPU_CONNECTIONS
# for BENCH_SECONDS (its report in WORK/wrk.txt). Uses PROFILE_ARGS and PROFILE_URL.
load() {
    local label=$1
    shift
    if [ "$CONNECTIONS" -gt 1 ]; then
        "$@" wrk -t2 -c"$CONNECTIONS" -d"${LOAD_SECONDS}s" "${PROFILE_ARGS[@]}" "$PROFILE_URL" >"$WORK/wrk.txt"
        if grep -q "Non-2xx" "$WORK/wrk.txt"; then note "$label: answers other than 2xx under load"; exit 1; fi
    else
        "$@" curl -s --fail "${PROFILE_ARGS[@]}" -K "$WORK/requests.cfg" || { note "$label: an answer was an error"; exit 1; }
    fi
}

# count LABEL STEP: the host's CPU microseconds per request of STEP, and req/s (RPS[LABEL]).
count() {
    local label=$1 step=$2 path args=() clock requests
    HTTP=http://127.0.0.1:${PORT[$label]}
    case $step in
        hello) path=/api/v1/bench/hello ;;
        cooperative) path=/api/v1/registry/organisations/${COOP[$label]} args=(-H "Authorization: Bearer ${TOKEN[$label]}") ;;
        start-page) path=/ args=(-H "Cookie: kooperator_session=${COOKIE[$label]}") ;;
    esac
    urls() { for _ in $(seq 1 "$1"); do printf 'url = "%s"\noutput = "/dev/null"\n' "$HTTP$path"; done; }
    PROFILE_ARGS=("${args[@]}")
    PROFILE_URL=$HTTP$path
    urls "$WARMUP" >"$WORK/warmup.cfg"
    urls "$REQUESTS" >"$WORK/requests.cfg"
    curl -s --fail "${args[@]}" -K "$WORK/warmup.cfg" || { note "$label: $step answered an error"; exit 1; }
    if [ "$CONNECTIONS" -gt 1 ]; then wrk -t2 -c"$CONNECTIONS" -d1s "${args[@]}" "$HTTP$path" >/dev/null; fi
    # One answer with its head, to compare what the two hosts send.
    curl -s -i "${args[@]}" "$HTTP$path" >"$RESULTS/cpu-answer-$label-$step.txt"
    local started=$EPOCHREALTIME
    load "$label" perf stat -x, -e task-clock,context-switches -p "${PID[$label]}" -o "$WORK/perf.txt" --
    if [ "$CONNECTIONS" -gt 1 ]; then
        requests=$(awk '/requests in/ { print $1 }' "$WORK/wrk.txt")
        RPS[$label]=$(awk '/^Requests\/sec:/ { printf "%.0f", $2 }' "$WORK/wrk.txt")
    else
        requests=$REQUESTS
        RPS[$label]=$(awk -v n="$REQUESTS" -v a="$started" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.0f", n / (b - a) }')
    fi
    clock=$(awk -F, '$3 == "task-clock" { print $1 }' "$WORK/perf.txt")
    note "$label: $step $(awk -F, -v n="$requests" '$3 == "context-switches" { printf "%.1f", $1 / n }' "$WORK/perf.txt") context switches per request"
    awk -v ms="$clock" -v n="$requests" 'BEGIN { printf "%.1f", ms * 1000 / n }'
}

# profile LABEL STEP: where the host spends its time during STEP, hottest functions first.
profile() {
    local label=$1 step=$2
    count "$label" "$step" >/dev/null # the request files and a warm host
    load "$label" perf record -q -F 1999 -e cpu-clock -g -p "${PID[$label]}" -o "$WORK/$label.perf" -- 2>/dev/null
    perf report -q -i "$WORK/$label.perf" --no-children --sort ${BENCH_CPU_PROFILE_SORT:-symbol} --stdio -g none --percent-limit 0.5 2>/dev/null \
        >"$RESULTS/cpu-profile-$label.txt"
    cp "$WORK/$label.perf" "$RESULTS/cpu-profile-$label.perf" # for perf report --children, by hand
    note "$label: profile of $step in $RESULTS/cpu-profile-$label.txt"
}

for label in old new; do start "$label"; done

for round in $(seq 1 "$ROUNDS"); do
    for step in $STEPS; do
        for label in $(if [ $((round % 2)) = 1 ]; then echo old new; else echo new old; fi); do
            # Not in a subshell: count sets RPS[label].
            count "$label" "$step" >"$WORK/us.txt"
            US[$label-$step-$round]=$(cat "$WORK/us.txt")
            RPS[$label-$step-$round]=${RPS[$label]}
            note "round $round: $step, $label: ${US[$label-$step-$round]} µs per request, ${RPS[$label]} req/s"
        done
    done
done

if [ -n "${BENCH_CPU_PROFILE:-}" ]; then
    for label in old new; do profile "$label" "$BENCH_CPU_PROFILE"; done
fi

{
    if [ "$CONNECTIONS" -gt 1 ]; then
        load_text="wrk on $CONNECTIONS connections for ${LOAD_SECONDS} s"
    else
        load_text="$REQUESTS requests after $WARMUP on one connection"
    fi
    echo "Host CPU time per request (perf task-clock, $load_text, median of $ROUNDS rounds), $(date -u +%Y-%m-%dT%H:%MZ)"
    echo "old: $OLD"
    echo "new: $NEW"
    printf '%-14s %12s %12s %8s %s\n' step "old µs" "new µs" new/old "req/s new/old (paired)"
    for step in $STEPS; do
        olds=() news=() ratios=()
        for round in $(seq 1 "$ROUNDS"); do
            olds+=("${US[old-$step-$round]}")
            news+=("${US[new-$step-$round]}")
            ratios+=("$(awk -v o="${US[old-$step-$round]}" -v n="${US[new-$step-$round]}" 'BEGIN { printf "%.3f", n / o }')")
        done
        rates=()
        for round in $(seq 1 "$ROUNDS"); do
            rates+=("$(awk -v o="${RPS[old-$step-$round]}" -v n="${RPS[new-$step-$round]}" 'BEGIN { printf "%.3f", n / o }')")
        done
        ratio=$(printf '%s\n' "${ratios[@]}" | median)
        mark=$(awk -v r="$ratio" -v w="$WORSE_PERCENT" 'BEGIN { if (r > 1 + w / 100) print "WORSE" }')
        printf '%-14s %12s %12s %8s %22s %s\n' "$step" "$(printf '%s\n' "${olds[@]}" | median)" "$(printf '%s\n' "${news[@]}" | median)" \
            "×$ratio" "$(printf '%s\n' "${rates[@]}" | median)" "$mark"
    done
} | tee "$REPORT"
