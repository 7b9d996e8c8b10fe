# Sourced by Benchmarks/run.sh (issue 24): the fail-over figures of `make ha-test`
# (Tests/HA/run.sh) with the measured host: how long writes were unavailable during each fault of
# the pg_auto_failover formation and for one plain PostgreSQL stopped -m immediate. Targets:
# < 15 s for the planned switch-over, < 40 s when the primary is lost. The test's own promises
# (nothing acknowledged lost, nothing twice, no 500) fail the step; the times are figures here.

TARGET_HA_SWITCHOVER_S=15
TARGET_HA_PRIMARY_LOST_S=40
HA_STATUS=""

ha_bench() {
    note "(p) make ha-test with $BINARY (Tests/HA/run.sh; 2 to 5 minutes)"
    if KOOPERATOR=$BINARY bash Tests/HA/run.sh >"$WORK/ha.txt" 2>&1; then HA_STATUS=passed; else HA_STATUS="FAILED (see $WORK/ha.txt)"; fi
}

# The seconds writes were unavailable during fault `$1` (of the formation, or `plain`).
ha_unavailable() {
    awk -v fault="$1" '$0 ~ "fault " fault ": writes unavailable" { for (i = 1; i <= NF; i++) if ($i == "unavailable") { print $(i + 1); exit } }' "$WORK/ha.txt"
}

ha_report() {
    local switchover lost
    switchover=$(ha_unavailable switchover)
    lost=$(ha_unavailable primary-machine-lost)
    say ""
    say "fail-over (p): make ha-test, two hosts behind HAProxy on a pg_auto_failover formation, writes with Idempotency-Key; the test $HA_STATUS"
    say "$(printf '%-52s %7s s   target < %s s   %s' "planned switch-over, writes unavailable" "${switchover:-?}" "$TARGET_HA_SWITCHOVER_S" \
        "$(mark "${switchover:-999} < $TARGET_HA_SWITCHOVER_S")")"
    say "$(printf '%-52s %7s s   target < %s s   %s' "primary lost (standby promoted), unavailable" "${lost:-?}" "$TARGET_HA_PRIMARY_LOST_S" \
        "$(mark "${lost:-999} < $TARGET_HA_PRIMARY_LOST_S")")"
    say "$(printf '%-52s %7s s   (not a target)' "postmaster killed, unavailable" "$(ha_unavailable postmaster-killed)")"
    say "$(printf '%-52s %7s s   (not a target)' "one host killed, unavailable" "$(ha_unavailable host-killed)")"
    say "$(printf '%-52s %7s s   (not a target)' "plain PostgreSQL stopped -m immediate, unavailable" "$(ha_unavailable postgres-stopped-immediate)")"
}
