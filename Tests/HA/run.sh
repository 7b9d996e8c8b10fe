#!/usr/bin/env bash
# `make ha-test`: several hosts on one highly available PostgreSQL, with faults injected under load
# (issue 24). On loopback, it builds:
#
#   load.py ──► HAProxy ──► kooperator A ─┐
#                       └─► kooperator B ─┴─► pg_auto_failover: node1 ⇄ node2 (synchronous), monitor
#
# then, while Tests/HA/load.py writes organisations and supervision sessions (an Idempotency-Key
# each, retried with it on 503, 502, 504 and a broken connection) and reads reports (the grant
# ledger from the standby, through database.readUrl) through
# HAProxy, it injects one fault after another: a planned switch-over (pg_autoctl perform
# switchover), SIGKILL of the primary's postmaster (its keeper starts it again; when the monitor
# saw it down first, the standby is promoted and the old primary follows it), the loss of the primary's machine (SIGKILL of its
# pg_autoctl with its PostgreSQL; the standby is promoted, then the node is started again and
# rejoins as standby), and SIGKILL of host B and its restart. Afterwards it checks that every
# acknowledged write is in the database once, that no answer was 500, that host A (never killed)
# and the restarted B kept their processes, and that each daily job ran once across the hosts, and
# prints the longest time writes were unavailable per fault. Last, the same without
# pg_auto_failover: host C on one plain PostgreSQL stopped with -m immediate and started again.
#
# Installs what it misses (Debian's postgresql-15-auto-failover, pg-auto-failover-cli, haproxy).
# PostgreSQL and pg_autoctl refuse root, so as root they run as the postgres user (runuser).
# Everything lives in a temporary folder that is removed, with every process started here, on any
# exit; the logs stay in Tests/HA/results/.
#
# Settings (environment):
#   KOOPERATOR       the host binary (default .build/debug/kooperator; this script never builds)
#   HA_WRITERS       writer threads of the load (default 4)
#   HA_SETTLE        seconds of load before and after each fault (default 4)
#
# Exit status: 0 when every promise held, 1 when one broke or the set-up failed. The
# unavailability figures are printed against their targets (< 15 s planned, < 40 s killed
# primary), not failed on.
set -euo pipefail

cd "$(dirname "$0")/../.."
ROOT=$PWD
KOOPERATOR=${KOOPERATOR:-.build/debug/kooperator}
case "$KOOPERATOR" in /*) ;; *) KOOPERATOR=$ROOT/$KOOPERATOR ;; esac
WRITERS=${HA_WRITERS:-4}
SETTLE=${HA_SETTLE:-4}
HERE=$ROOT/Tests/HA
RESULTS=$HERE/results
APT_PACKAGES=(postgresql-15-auto-failover pg-auto-failover-cli haproxy)
PGBIN=/usr/lib/postgresql/15/bin
STARTED=$(date +%s)

note() { echo "ha-test [$(($(date +%s) - STARTED)) s]: $*" >&2; }
fail() {
    note "$*"
    exit 1
}

# --- 1. what it needs --------------------------------------------------------------------------

SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO=sudo; fi
missing=()
for package in "${APT_PACKAGES[@]}"; do
    dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
    note "installing: ${missing[*]}"
    $SUDO apt-get update -qq
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi
[ -x "$KOOPERATOR" ] || fail "$KOOPERATOR not found: build it first (swift build --product kooperator)"
[ -x "$PGBIN/pg_ctl" ] || fail "PostgreSQL 15 is not in $PGBIN"

# As root, PostgreSQL and pg_autoctl run as postgres; otherwise as the caller.
if [ "$(id -u)" = 0 ]; then
    PGUSER_OS=postgres
    as_pg() { (cd / && runuser -u postgres -- "$@"); }
else
    PGUSER_OS=$(id -un)
    as_pg() { (cd / && "$@"); }
fi

rm -rf "$RESULTS"
mkdir -p "$RESULTS"
WORK=$(mktemp -d /tmp/kooperator-ha.XXXXXX)
chmod 755 "$WORK"
PGW=$WORK/pg # the formation's and the plain cluster's folders, owned by postgres
mkdir -p "$PGW/xdg/config" "$PGW/xdg/data" "$PGW/xdg/run"
chown -R "$PGUSER_OS" "$PGW"
chmod 700 "$PGW/xdg/run"

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
MONITOR_PORT=$(free_port)
NODE_PORT_1=$(free_port)
NODE_PORT_2=$(free_port)
PLAIN_PORT=$(free_port)
HOST_PORT_A=$(free_port)
HOST_PORT_B=$(free_port)
HOST_PORT_C=$(free_port)
BALANCER_PORT=$(free_port)

# pg_autoctl keeps its state under XDG folders (else in postgres's home). Its PostgreSQL servers
# have their sockets in the system's folder (PGHOST unset: a host name there would leave them
# without a socket, and the crash recovery pg_autoctl runs before pg_rewind listens on nothing else).
SOCKETS=/var/run/postgresql
if [ ! -d "$SOCKETS" ]; then # made by the postgresql package, gone with a tmpfs /run
    $SUDO mkdir -p "$SOCKETS"
    $SUDO chown "$PGUSER_OS" "$SOCKETS"
    $SUDO chmod 2775 "$SOCKETS"
fi
autoctl() {
    as_pg env XDG_CONFIG_HOME="$PGW/xdg/config" XDG_DATA_HOME="$PGW/xdg/data" XDG_RUNTIME_DIR="$PGW/xdg/run" \
        pg_autoctl "$@"
}
psql_at() { # PORT DATABASE SQL…: as the superuser, on the socket
    local port=$1 database=$2
    shift 2
    as_pg "$PGBIN/psql" -h "$SOCKETS" -p "$port" -d "$database" -v ON_ERROR_STOP=1 -qAtX "$@"
}

# --- 2. clean-up on any exit ---------------------------------------------------------------------

declare -A NODE_PID=()   # node name → pid (= process group) of its `pg_autoctl run`
declare -A HOST_PIDS=()  # host name → pid
BALANCER_PID=""
LOAD_PID=""
PLAIN_STARTED=""

stop_pid() { # PID: SIGTERM, wait up to 20 s, SIGKILL
    local pid=$1 waited=0
    kill -0 "$pid" 2>/dev/null || return 0
    kill -TERM "$pid" 2>/dev/null || true
    while kill -0 "$pid" 2>/dev/null && [ $waited -lt 200 ]; do
        sleep 0.1
        waited=$((waited + 1))
    done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
}

stop_group() { # PGID: the node's keeper and its PostgreSQL
    local group=$1 waited=0
    kill -TERM -- "-$group" 2>/dev/null || return 0
    while kill -0 -- "-$group" 2>/dev/null && [ $waited -lt 150 ]; do
        sleep 0.1
        waited=$((waited + 1))
    done
    kill -KILL -- "-$group" 2>/dev/null || true
    wait "$group" 2>/dev/null || true
}

cleanup() {
    local status=$?
    trap - EXIT INT TERM
    if [ -n "$LOAD_PID" ]; then stop_pid "$LOAD_PID"; fi
    for name in "${!HOST_PIDS[@]}"; do stop_pid "${HOST_PIDS[$name]}"; done
    if [ -n "$BALANCER_PID" ]; then stop_pid "$BALANCER_PID"; fi
    for name in "${!NODE_PID[@]}"; do stop_group "${NODE_PID[$name]}"; done
    if [ -n "$PLAIN_STARTED" ]; then as_pg "$PGBIN/pg_ctl" -D "$PGW/plain" -m immediate stop >/dev/null 2>&1 || true; fi
    # A PostgreSQL whose keeper died before it (it has its own process group only if started so).
    for pidfile in "$PGW"/*/postmaster.pid; do
        [ -f "$pidfile" ] || continue
        pid=$(head -n 1 "$pidfile")
        if [ -n "$pid" ] && [ "$(readlink "/proc/$pid/exe" 2>/dev/null)" = "$PGBIN/postgres" ]; then kill -KILL "$pid" 2>/dev/null || true; fi
    done
    for node in monitor node1 node2 plain; do
        if [ -d "$PGW/$node/log" ]; then cat "$PGW/$node"/log/* >"$RESULTS/$node-postgres.log" 2>/dev/null || true; fi
    done
    cp "$PGW/plain/server.log" "$RESULTS/plain-postgres.log" 2>/dev/null || true
    cp "$WORK"/*.yaml "$WORK"/*.cfg "$WORK"/*.json "$WORK"/*faults.txt "$RESULTS/" 2>/dev/null || true
    rm -rf "$WORK"
    note "done in $(($(date +%s) - STARTED)) s, exit $status; logs in $RESULTS"
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- 3. the formation: monitor, primary, synchronous standby -------------------------------------

start_node() { # NAME: `pg_autoctl run` in a process group of its own, so that it can be killed whole
    local name=$1
    if [ "$(id -u)" = 0 ]; then
        setsid runuser -u postgres -- env XDG_CONFIG_HOME="$PGW/xdg/config" XDG_DATA_HOME="$PGW/xdg/data" \
            XDG_RUNTIME_DIR="$PGW/xdg/run" pg_autoctl run --pgdata "$PGW/$name" \
            >>"$RESULTS/$name-autoctl.log" 2>&1 </dev/null &
    else
        setsid env XDG_CONFIG_HOME="$PGW/xdg/config" XDG_DATA_HOME="$PGW/xdg/data" XDG_RUNTIME_DIR="$PGW/xdg/run" \
            pg_autoctl run --pgdata "$PGW/$name" >>"$RESULTS/$name-autoctl.log" 2>&1 </dev/null &
    fi
    NODE_PID[$name]=$!
}

# The formation's states as "node1=primary node2=secondary" (reported states), from the monitor;
# "node2=primary>draining" while a node has yet to reach the state the monitor assigned it.
formation_states() {
    psql_at "$MONITOR_PORT" pg_auto_failover -c \
        "SELECT string_agg(nodename || '=' || reportedstate || CASE WHEN goalstate = reportedstate THEN '' ELSE '>' || goalstate END, ' ' ORDER BY nodename)
         FROM pgautofailover.node" 2>/dev/null || true
}
primary_node() {
    psql_at "$MONITOR_PORT" pg_auto_failover -c \
        "SELECT nodename FROM pgautofailover.node WHERE reportedstate IN ('primary', 'wait_primary', 'single') AND goalstate = reportedstate" 2>/dev/null || true
}
wait_for_states() { # SECONDS PATTERN…: until the states match one of the patterns (grep -E)
    local limit=$1 deadline states
    shift
    deadline=$(($(date +%s) + limit))
    while true; do
        states=$(formation_states)
        for pattern in "$@"; do
            if echo "$states" | grep -qE "$pattern"; then return 0; fi
        done
        [ "$(date +%s)" -lt "$deadline" ] || fail "the formation did not reach '$*' in $limit s: $states"
        sleep 0.5
    done
}
wait_for_states_quietly() { # SECONDS PATTERN: as wait_for_states, but returns 1 instead of failing
    local deadline=$(($(date +%s) + $1))
    until formation_states | grep -qE "$2"; do
        [ "$(date +%s)" -lt "$deadline" ] || return 1
        sleep 0.5
    done
}
HEALTHY='^(node1=primary node2=secondary|node1=secondary node2=primary)$'

note "formation on 127.0.0.1: monitor :$MONITOR_PORT, node1 :$NODE_PORT_1, node2 :$NODE_PORT_2"
autoctl create monitor --pgdata "$PGW/monitor" --pgport "$MONITOR_PORT" --hostname 127.0.0.1 \
    --auth trust --no-ssl --pgctl "$PGBIN/pg_ctl" >>"$RESULTS/monitor-autoctl.log" 2>&1 ||
    fail "pg_autoctl create monitor failed; see $RESULTS/monitor-autoctl.log"
start_node monitor
MONITOR_URL="postgres://autoctl_node@127.0.0.1:$MONITOR_PORT/pg_auto_failover?sslmode=disable"
for _ in $(seq 100); do
    psql_at "$MONITOR_PORT" pg_auto_failover -c 'SELECT 1' >/dev/null 2>&1 && break
    sleep 0.2
done
# Faster than the defaults (5 s checks, 20 s to call a node unhealthy, 30 s for a primary to
# demote), so that a lost primary is replaced within the target; the keepers' own
# network_partition_timeout (below) stays shorter than primary_demote_timeout, so an isolated
# primary has stopped writing before the standby is promoted.
psql_at "$MONITOR_PORT" pg_auto_failover \
    -c "ALTER SYSTEM SET pgautofailover.health_check_period = 2000" \
    -c "ALTER SYSTEM SET pgautofailover.health_check_timeout = 1000" \
    -c "ALTER SYSTEM SET pgautofailover.health_check_max_retries = 1" \
    -c "ALTER SYSTEM SET pgautofailover.health_check_retry_delay = 1000" \
    -c "ALTER SYSTEM SET pgautofailover.node_considered_unhealthy_timeout = 8000" \
    -c "ALTER SYSTEM SET pgautofailover.primary_demote_timeout = 12000" \
    -c "SELECT pg_reload_conf()" >/dev/null

create_node() { # NAME PORT
    autoctl create postgres --pgdata "$PGW/$1" --pgport "$2" --hostname 127.0.0.1 --name "$1" \
        --dbname kooperator --monitor "$MONITOR_URL" --auth trust --no-ssl --pgctl "$PGBIN/pg_ctl" \
        >>"$RESULTS/$1-autoctl.log" 2>&1 || fail "pg_autoctl create postgres $1 failed; see $RESULTS/$1-autoctl.log"
    autoctl config set --pgdata "$PGW/$1" timeout.network_partition_timeout 8 >/dev/null
    start_node "$1"
}
create_node node1 "$NODE_PORT_1"
wait_for_states 60 '^node1=single$'
create_node node2 "$NODE_PORT_2"
wait_for_states 90 "$HEALTHY"
autoctl show settings --pgdata "$PGW/monitor" >"$RESULTS/formation-settings.txt" 2>&1 || true
FORMATION_URI=$(autoctl show uri --pgdata "$PGW/monitor" --formation default 2>/dev/null)
note "formation ready: $(formation_states); $FORMATION_URI"

# The roles the README asks an administrator to make: one that owns and migrates, one that serves.
psql_at "$NODE_PORT_1" kooperator \
    -c "CREATE ROLE kooperator_owner LOGIN" -c "CREATE ROLE kooperator LOGIN" \
    -c "ALTER DATABASE kooperator OWNER TO kooperator_owner" -c "ALTER SCHEMA public OWNER TO kooperator_owner"
case "$FORMATION_URI" in
postgres://*) ;;
*) fail "pg_autoctl show uri printed no URL: '$FORMATION_URI'" ;;
esac
SERVING_URL=${FORMATION_URI/postgres:\/\//postgres:\/\/kooperator@}
OWNER_URL=${FORMATION_URI/postgres:\/\//postgres:\/\/kooperator_owner@}

# --- 4. two hosts on the formation, HAProxy in front -------------------------------------------

# Every host shares the identity key (the identity numbers' seal, the signatures of cursors and
# links derive from it) and the configuration; sessions, tokens and idempotency keys are in the
# database.
(umask 077 && head -c 32 /dev/urandom | base64 >"$WORK/identity.key")
FEATURES=$(awk '/^features:/ { on = 1; next } on && /^[^ #]/ { on = 0 }
    on && /^  [a-z][A-Za-z0-9_]*:/ { sub(/:.*/, "", $1); printf "  %s:\n    enabled: true\n", $1 }' config/kooperator.yaml)
write_config() { # FILE SERVING_URL OWNER_URL [READ_URL]
    cat >"$1" <<EOF
database:
  url: "$2"
  migrationUrl: "$3"
  readUrl: "${4:-}"
  poolSize: 4
  acquireTimeoutMs: 3000
  connectTimeoutSeconds: 2
http:
  host: 127.0.0.1
  port: 0
  trustedProxies: "127.0.0.1"
logging:
  level: info
metrics:
  address: "127.0.0.1:0"
security:
  identityKeyFile: $WORK/identity.key
  passwordHashCost: 10
features:
$FEATURES
EOF
}
CONFIG=$WORK/ha.yaml
# The lag-tolerant reports read the standby, the primary when no standby answers.
write_config "$CONFIG" "$SERVING_URL" "$OWNER_URL" "${SERVING_URL/target_session_attrs=read-write/target_session_attrs=prefer-standby}"
unset KOOPERATOR_DATABASE_URL KOOPERATOR_DATABASE_MIGRATION_URL KOOPERATOR_HTTP_HOST KOOPERATOR_HTTP_PORT KOOPERATOR_IDENTITY_KEY
"$KOOPERATOR" config check --config "$CONFIG" >/dev/null || fail "the generated config is refused: $(cat "$CONFIG")"

start_host() { # NAME PORT CONFIG [serve options…]
    local name=$1 port=$2 config=$3
    shift 3
    KOOPERATOR_HTTP_PORT=$port stdbuf -oL -eL "$KOOPERATOR" serve --config "$config" "$@" >>"$RESULTS/host-$name.log" 2>&1 &
    HOST_PIDS[$name]=$!
}
wait_for_health() { # NAME PORT SECONDS
    local deadline=$(($(date +%s) + $3))
    until curl -sf -o /dev/null --max-time 2 "http://127.0.0.1:$2/health"; do
        kill -0 "${HOST_PIDS[$1]}" 2>/dev/null || fail "host $1 exited; last lines: $(tail -n 20 "$RESULTS/host-$1.log")"
        [ "$(date +%s)" -lt "$deadline" ] || fail "host $1 did not answer /health in $3 s"
        sleep 0.2
    done
}

# Both at once with --migrate: the migrations run once, under their advisory lock.
start_host A "$HOST_PORT_A" "$CONFIG" --migrate
start_host B "$HOST_PORT_B" "$CONFIG" --migrate
wait_for_health A "$HOST_PORT_A" 180
wait_for_health B "$HOST_PORT_B" 180
note "hosts A (:$HOST_PORT_A, pid ${HOST_PIDS[A]}) and B (:$HOST_PORT_B, pid ${HOST_PIDS[B]}) up"
"$KOOPERATOR" demo load --config "$CONFIG" >"$RESULTS/demo-load.log" 2>&1 || fail "demo load failed; see $RESULTS/demo-load.log"
TOKEN=$("$KOOPERATOR" tokens issue demo-officer --expires-in-days 1 --label ha-test --config "$CONFIG" | tail -n 1)

# A host stays in rotation while /health says up or degraded (the database away: every host is, and
# each answers 503 with Retry-After itself); out when it does not answer or a feature is down. The
# body's keys are sorted, so the host's own status is its last.
cat >"$WORK/haproxy.cfg" <<EOF
global
    maxconn 512
defaults
    mode http
    timeout connect 1s
    timeout client 60s
    timeout server 30s
    retries 2
    option redispatch
frontend kooperator
    bind 127.0.0.1:$BALANCER_PORT
    default_backend hosts
backend hosts
    balance roundrobin
    option httpchk GET /health
    http-check expect rstring '"status":"(up|degraded)"}\$'
    default-server inter 1s fall 2 rise 1
    server A 127.0.0.1:$HOST_PORT_A check
    server B 127.0.0.1:$HOST_PORT_B check
EOF
haproxy -c -q -f "$WORK/haproxy.cfg" || fail "haproxy refuses its configuration"
haproxy -db -f "$WORK/haproxy.cfg" >"$RESULTS/haproxy.log" 2>&1 &
BALANCER_PID=$!
BALANCER=http://127.0.0.1:$BALANCER_PORT
for _ in $(seq 50); do
    curl -sf -o /dev/null --max-time 2 "$BALANCER/health" && break
    sleep 0.2
done
curl -sf -o /dev/null --max-time 2 "$BALANCER/health" || fail "HAProxy does not reach the hosts"
A_PID=${HOST_PIDS[A]}

# --- 5. load and faults ----------------------------------------------------------------------------

FAULTS=$WORK/faults.txt
: >"$FAULTS"
rm -f "$WORK/stop"
python3 "$HERE/load.py" run --url "$BALANCER" --token "$TOKEN" --events "$WORK/events.json" \
    --stop-file "$WORK/stop" --writers "$WRITERS" --max-seconds 420 >"$RESULTS/load.log" 2>&1 &
LOAD_PID=$!
sleep "$SETTLE"

fault() { # NAME COMMAND…: runs the fault (which returns once it is over) and records its times
    local name=$1 start
    shift
    start=$(date +%s.%N)
    note "fault $name: $(formation_states)"
    "$@"
    echo "$name $start $(date +%s.%N)" >>"$FAULTS"
    note "fault $name over in $(python3 -c "import time; print(round(time.time() - $start, 1))") s: $(formation_states)"
    sleep "$SETTLE"
}

switchover() {
    autoctl perform switchover --pgdata "$PGW/monitor" --formation default >>"$RESULTS/switchover.log" 2>&1 ||
        fail "pg_autoctl perform switchover failed; see $RESULTS/switchover.log"
    wait_for_states 60 "$HEALTHY"
}
kill_postmaster() {
    local primary pid other
    primary=$(primary_node)
    [ -n "$primary" ] || fail "no primary to kill: $(formation_states)"
    pid=$(head -n 1 "$PGW/$primary/postmaster.pid")
    note "SIGKILL to $primary's postmaster $pid"
    kill -KILL "$pid"
    # Its keeper starts it again and reports it; the monitor has the standby promoted and the old
    # primary follow (when the keeper is quicker than the monitor's next look, it stays primary).
    if [ "$primary" = node1 ]; then other=node2; else other=node1; fi
    if ! wait_for_states_quietly 20 "$other=(wait_primary|primary)( |$)"; then
        note "no fail-over: $primary's keeper had its PostgreSQL back first ($(formation_states))"
    fi
    wait_for_states 90 "$HEALTHY"
}
kill_primary_machine() {
    local primary other
    primary=$(primary_node)
    [ -n "$primary" ] || fail "no primary to kill: $(formation_states)"
    note "SIGKILL to $primary's pg_autoctl and PostgreSQL (process group ${NODE_PID[$primary]})"
    kill -KILL -- "-${NODE_PID[$primary]}"
    wait "${NODE_PID[$primary]}" 2>/dev/null || true
    if [ "$primary" = node1 ]; then other=node2; else other=node1; fi
    wait_for_states 90 "$other=(wait_primary|primary)( |$)"
    note "$other promoted: $(formation_states); starting $primary again"
    start_node "$primary"
    wait_for_states 120 "$HEALTHY"
}
kill_host_b() {
    note "SIGKILL to host B (pid ${HOST_PIDS[B]})"
    kill -KILL "${HOST_PIDS[B]}"
    wait "${HOST_PIDS[B]}" 2>/dev/null || true
    sleep 2
    start_host B "$HOST_PORT_B" "$CONFIG"
    wait_for_health B "$HOST_PORT_B" 120
    note "host B started again (pid ${HOST_PIDS[B]})"
}

fault switchover switchover
fault postmaster-killed kill_postmaster
fault primary-machine-lost kill_primary_machine
fault host-killed kill_host_b
touch "$WORK/stop"
wait "$LOAD_PID" || fail "the load generator failed; see $RESULTS/load.log"
LOAD_PID=""
cat "$RESULTS/load.log" >&2

# --- 6. what the database holds, and the hosts ---------------------------------------------------

rows() { # URL → markers of the load's writes, one a line
    as_pg "$PGBIN/psql" "$1" -v ON_ERROR_STOP=1 -qAtX \
        -c "SELECT name FROM registry.organisations WHERE name LIKE 'HA-load %'" \
        -c "SELECT notes FROM supervision.sessions WHERE notes LIKE 'HA-load %'"
}
rows "${FORMATION_URI/postgres:\/\//postgres:\/\/postgres@}" >"$WORK/rows.txt"
status=0
python3 "$HERE/load.py" check --events "$WORK/events.json" --rows "$WORK/rows.txt" --faults "$FAULTS" \
    --title "ha-test formation" || status=1

for name in A B; do
    if ! kill -0 "${HOST_PIDS[$name]}" 2>/dev/null; then
        note "BROKEN: host $name (pid ${HOST_PIDS[$name]}) is gone"
        status=1
    fi
done
if [ "${HOST_PIDS[A]}" != "$A_PID" ]; then status=1; fi
note "host A kept pid $A_PID through every fault; host B kept pid ${HOST_PIDS[B]} since its restart"
# Each daily job claims its day in its transaction: one "raised" line across all hosts' logs.
for job in "supervision reminders" "supervision reach upkeep" "esf reminders" "partnership reminders"; do
    count=$(cat "$RESULTS"/host-*.log | grep -c "$job raised" || true)
    note "daily job '$job': ran $count time(s) across hosts A, B and B restarted"
    if [ "$count" -gt 1 ]; then
        note "BROKEN: '$job' ran $count times on one day"
        status=1
    fi
done
pending=$(as_pg "$PGBIN/psql" "${FORMATION_URI/postgres:\/\//postgres:\/\/postgres@}" -qAtX \
    -c "SELECT count(*) FILTER (WHERE state = 'done') || ' done, ' || count(*) FILTER (WHERE state = 'pending') || ' pending, ' || count(*) FILTER (WHERE state = 'failed') || ' failed' FROM kernel.event_deliveries")
note "event deliveries: $pending"

# --- 7. without pg_auto_failover: one PostgreSQL stopped -m immediate --------------------------

stop_pid "${HOST_PIDS[A]}"
stop_pid "${HOST_PIDS[B]}"
unset 'HOST_PIDS[A]' 'HOST_PIDS[B]'
note "plain PostgreSQL on :$PLAIN_PORT and host C (:$HOST_PORT_C)"
as_pg "$PGBIN/initdb" -D "$PGW/plain" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$RESULTS/plain-initdb.log" 2>&1
PLAIN_STARTED=1
plain_ctl() { as_pg "$PGBIN/pg_ctl" -D "$PGW/plain" -l "$PGW/plain/server.log" -o "-p $PLAIN_PORT -k $SOCKETS -c listen_addresses=127.0.0.1" -w "$@" >/dev/null; }
plain_ctl start
psql_at "$PLAIN_PORT" postgres -c "CREATE ROLE kooperator_owner LOGIN" -c "CREATE ROLE kooperator LOGIN" \
    -c "CREATE DATABASE kooperator OWNER kooperator_owner"
psql_at "$PLAIN_PORT" kooperator -c "ALTER SCHEMA public OWNER TO kooperator_owner"
PLAIN_CONFIG=$WORK/plain.yaml
write_config "$PLAIN_CONFIG" "postgres://kooperator@127.0.0.1:$PLAIN_PORT/kooperator" \
    "postgres://kooperator_owner@127.0.0.1:$PLAIN_PORT/kooperator"
start_host C "$HOST_PORT_C" "$PLAIN_CONFIG" --migrate
wait_for_health C "$HOST_PORT_C" 180
C_PID=${HOST_PIDS[C]}
"$KOOPERATOR" users add ha-load --role officer --config "$PLAIN_CONFIG" >/dev/null
PLAIN_TOKEN=$("$KOOPERATOR" tokens issue ha-load --expires-in-days 1 --config "$PLAIN_CONFIG" | tail -n 1)
echo -n >"$WORK/plain-faults.txt"
rm -f "$WORK/stop"
python3 "$HERE/load.py" run --url "http://127.0.0.1:$HOST_PORT_C" --token "$PLAIN_TOKEN" --events "$WORK/plain-events.json" \
    --stop-file "$WORK/stop" --writers "$WRITERS" --max-seconds 120 --no-sessions >"$RESULTS/plain-load.log" 2>&1 &
LOAD_PID=$!
sleep "$SETTLE"
restart_plain() {
    as_pg "$PGBIN/pg_ctl" -D "$PGW/plain" -m immediate stop >/dev/null
    sleep 3
    plain_ctl start
    date +%s.%N >"$WORK/plain-back.txt"
    local deadline=$(($(date +%s) + 60))
    until curl -sf -o /dev/null --max-time 2 "http://127.0.0.1:$HOST_PORT_C/health"; do
        [ "$(date +%s)" -lt "$deadline" ] || fail "host C did not recover in 60 s after its PostgreSQL came back"
        sleep 0.2
    done
}
FAULTS=$WORK/plain-faults.txt
fault postgres-stopped-immediate restart_plain
touch "$WORK/stop"
wait "$LOAD_PID" || fail "the load generator failed; see $RESULTS/plain-load.log"
LOAD_PID=""
rows "postgres://postgres@127.0.0.1:$PLAIN_PORT/kooperator" >"$WORK/plain-rows.txt"
python3 "$HERE/load.py" check --events "$WORK/plain-events.json" --rows "$WORK/plain-rows.txt" \
    --faults "$WORK/plain-faults.txt" --back-at "$WORK/plain-back.txt" --title "ha-test plain" || status=1
if ! kill -0 "$C_PID" 2>/dev/null; then
    note "BROKEN: host C (pid $C_PID) is gone"
    status=1
else
    note "host C kept pid $C_PID through the restart of its PostgreSQL"
fi
note "targets (figures, not assertions): writes unavailable < 15 s for the planned switch-over, < 40 s for a killed primary"
if [ $status -eq 0 ]; then note "every promise held"; else note "a promise broke (above)"; fi
exit $status
