# Sourced by Benchmarks/run.sh while the host runs, after the people are seeded (issue 22): what the
# audit row costs a write.
#   (f) POST /api/v1/bench/people/<id>/update with and without the audit row: the registry's own
#       person update (lock, checks, the UPDATE, the audit views with their keyed fingerprints, the
#       row sent with the COMMIT) on a random seeded person, a new telephone number each time;
#       overhead = 1 - audited/plain, the median of alternating rounds          target < 10 %
#   (f') POST /api/v1/bench/accounts/<id>/deposit with and without the audit row: the smallest
#       write (one integer), reported as a figure, not a target: the audit row is most of its work.
# The machine's speed drifts by more than the audit row costs (other tenants of the host, the
# checkpointer, autovacuum), so one long run of each would mostly measure the drift: short rounds
# alternate instead (plain then audited, audited then plain, ...), each pair gives one overhead,
# and the figure is the median pair. Uses PEOPLE, AUDIT_ROUNDS, AUDIT_ROUND_SECONDS and the
# settings of wrk.sh; any non-2xx answer fails the step.

TARGET_AUDIT_OVERHEAD=10
AUDIT_POSTMASTER=""

# audit_cpu_ticks: the CPU time (clock ticks, user and system) the host and every process of its
# PostgreSQL cluster have used so far. The pool's connections live through the whole step, so the
# difference over a round is what that round cost them; wrk's own time is not in it.
audit_cpu_ticks() {
    local pids
    pids="$HOST_PID $AUDIT_POSTMASTER $(ps -o pid= --ppid "$AUDIT_POSTMASTER" 2>/dev/null | tr '\n' ' ')"
    # shellcheck disable=SC2086
    (cd /proc && cat $(for pid in $pids; do echo "$pid/stat"; done) 2>/dev/null) |
        awk '{ sub(/^.*\) /, ""); ticks += $12 + $13 } END { print ticks + 0 }'
}

# audit_cpu_round NAME: the CPU microseconds per request of round NAME (its ticks and wrk's count).
audit_cpu_round() {
    awk -v t="$(cat "$WORK/$1.ticks")" -v hz="$(getconf CLK_TCK)" \
        '/ requests in / { printf "%.0f\n", t / hz * 1e6 / $1; exit }' "$WORK/$1.txt"
}

# audit_pairs NAME: "plain:audited" requests per second of each round of NAME-<audit>-<round>.
audit_pairs() {
    local round pairs=""
    for round in $(seq 1 "$AUDIT_ROUNDS"); do
        pairs="$pairs $(wrk_rps "$WORK/$1-0-$round.txt"):$(wrk_rps "$WORK/$1-1-$round.txt")"
    done
    echo "$pairs"
}

# audit_overheads PAIRS: each pair's overhead in per cent, one per line.
audit_overheads() {
    local pair
    for pair in $1; do awk -v p="${pair%:*}" -v a="${pair#*:}" 'BEGIN { printf "%.1f\n", (1 - a / p) * 100 }'; done
}

audit_bench() {
    local status round audit name ticks warmup=$WARMUP # before the first round only
    status=$(curl -s -o "$WORK/update.json" -w '%{http_code}' -X POST "$HTTP/api/v1/bench/people/1/update?audit=1")
    if [ "$status" != 200 ]; then
        note "POST /api/v1/bench/people/1/update answered $status: $(head -c 300 "$WORK/update.json")"
        exit 1
    fi
    AUDIT_POSTMASTER=$(head -n 1 "$(cluster_directory)/data/postmaster.pid" 2>/dev/null || true)
    if [ -z "$AUDIT_POSTMASTER" ]; then note "(f) the cluster's postmaster.pid was not found; the CPU figures are the host's alone"; fi
    note "(f) wrk -c$CONNECTIONS person updates and deposits without and with the audit row, $AUDIT_ROUNDS alternating rounds of ${AUDIT_ROUND_SECONDS} s each"
    for round in $(seq 1 "$AUDIT_ROUNDS"); do
        for audit in $(if [ $((round % 2)) = 1 ]; then echo 0 1; else echo 1 0; fi); do
            if [ "$warmup" -gt 0 ]; then
                BENCH_AUDIT=$audit BENCH_PEOPLE=$PEOPLE WRK_SECONDS=$warmup WRK_WARMUP=0 \
                    run_wrk warmup /api/v1/bench/people/1/update -s Benchmarks/update-person.lua
            fi
            warmup=0
            ticks=$(audit_cpu_ticks)
            WRK_SECONDS=$AUDIT_ROUND_SECONDS WRK_WARMUP=0 BENCH_AUDIT=$audit BENCH_PEOPLE=$PEOPLE \
                run_wrk "update-$audit-$round" /api/v1/bench/people/1/update -s Benchmarks/update-person.lua
            echo $(($(audit_cpu_ticks) - ticks)) >"$WORK/update-$audit-$round.ticks"
        done
        for audit in $(if [ $((round % 2)) = 1 ]; then echo 0 1; else echo 1 0; fi); do
            WRK_SECONDS=$AUDIT_ROUND_SECONDS WRK_WARMUP=0 BENCH_AUDIT=$audit \
                run_wrk "deposit-$audit-$round" /api/v1/bench/accounts/1/deposit -s Benchmarks/deposit.lua
        done
    done
    AUDIT_ERRORS=0
    for round in $(seq 1 "$AUDIT_ROUNDS"); do
        for name in update-0 update-1 deposit-0 deposit-1; do
            AUDIT_ERRORS=$((AUDIT_ERRORS + $(wrk_errors "$WORK/$name-$round.txt")))
        done
    done
    UPDATE_PAIRS=$(audit_pairs update)
    DEPOSIT_PAIRS=$(audit_pairs deposit)
    UPDATE_CPU_PAIRS=""
    for round in $(seq 1 "$AUDIT_ROUNDS"); do
        UPDATE_CPU_PAIRS="$UPDATE_CPU_PAIRS $(audit_cpu_round "update-0-$round"):$(audit_cpu_round "update-1-$round")"
    done
}

audit_report() {
    local update_overheads deposit_overheads update_overhead deposit_overhead cpu_overheads
    update_overheads=$(audit_overheads "$UPDATE_PAIRS")
    deposit_overheads=$(audit_overheads "$DEPOSIT_PAIRS")
    update_overhead=$(echo "$update_overheads" | median)
    deposit_overhead=$(echo "$deposit_overheads" | median)
    say ""
    say "audit overhead: $AUDIT_ROUNDS alternating rounds of ${AUDIT_ROUND_SECONDS} s, wrk -c$CONNECTIONS; the median pair"
    say "$(printf '%-44s %10s req/s   (median)' "(f) person updates without the audit row" \
        "$(for pair in $UPDATE_PAIRS; do echo "${pair%:*}"; done | median)")"
    say "$(printf '%-44s %10s req/s   (median, alternating with the above)' "(f) person updates with the audit row" \
        "$(for pair in $UPDATE_PAIRS; do echo "${pair#*:}"; done | median)")"
    say "$(printf '%-44s %10s' "(f) overhead of each pair (%)" "$(echo $update_overheads)")"
    say "$(printf '%-44s %10s' "(f) middle half of the pairs (%)" "$(echo "$update_overheads" | middle_half)")"
    say "$(printf '%-44s %10s req/s   (median)' "(f') deposits (one integer) without the row" \
        "$(for pair in $DEPOSIT_PAIRS; do echo "${pair%:*}"; done | median)")"
    say "$(printf '%-44s %10s req/s   (median)' "(f') deposits with the audit row" \
        "$(for pair in $DEPOSIT_PAIRS; do echo "${pair#*:}"; done | median)")"
    say "$(printf '%-44s %10s' "(f') overhead of each pair (%)" "$(echo $deposit_overheads)")"
    # CPU per request: the pair's audited / plain - 1 (time, so the other way round from req/s).
    cpu_overheads=$(for pair in $UPDATE_CPU_PAIRS; do
        awk -v p="${pair%:*}" -v a="${pair#*:}" 'BEGIN { if (p > 0) printf "%.1f\n", (a / p - 1) * 100 }'
    done)
    say "$(printf '%-44s %10s us   (median; host and PostgreSQL, from /proc)' "(f) CPU per person update without the row" \
        "$(for pair in $UPDATE_CPU_PAIRS; do echo "${pair%:*}"; done | median)")"
    say "$(printf '%-44s %10s us   (median)' "(f) CPU per person update with the row" \
        "$(for pair in $UPDATE_CPU_PAIRS; do echo "${pair#*:}"; done | median)")"
    say "$(printf '%-44s %10s' "(f) CPU overhead of each pair (%)" "$(echo $cpu_overheads)")"
    if [ "$AUDIT_ERRORS" != 0 ]; then say "    errors (non-2xx or socket) in (f): $AUDIT_ERRORS"; fi
    say "$(printf '%-44s %10s   target < %s %%    %s' "audit overhead on a person update (%)" "$update_overhead" \
        "$TARGET_AUDIT_OVERHEAD" "$(mark "$update_overhead < $TARGET_AUDIT_OVERHEAD && $AUDIT_ERRORS == 0")")   (median pair)"
    say "$(printf '%-44s %10s   (a figure, not a target)' "audit overhead on a one-integer write (%)" "$deposit_overhead")"
}
