# Sourced by Benchmarks/compare.sh and Benchmarks/cpu-per-request.sh: two builds of the host
# (labels old and new) served at once on 127.0.0.1, each on its own database of one PostgreSQL
# cluster that this file starts (initdb in a folder under /var/tmp, Unix socket only, trust; as the
# postgres user when run as root) and removes on exit. Each host migrates its own database and
# serves as the cluster's superuser, so both connect the same way.
#
# The caller sets WORK (a temporary folder), PG_PORT, READY_TIMEOUT and PORT[old], PORT[new]
# (an associative array), declares the associative array PID, and defines note().

PGBIN=$(pg_config --bindir)
CLUSTER=$(mktemp -d /var/tmp/kooperator-two-hosts.XXXXXX) # the postgres user must reach it
as_cluster_owner() {
    if [ "$(id -u)" = 0 ]; then (cd / && runuser -u postgres -- "$@"); else "$@"; fi
}
if [ "$(id -u)" = 0 ]; then chown postgres "$CLUSTER"; fi
export PGHOST=$CLUSTER PGPORT=$PG_PORT PGUSER=postgres
# The newer host's /metrics listener on any free port (an older host ignores the variable).
export KOOPERATOR_METRICS_ADDRESS=127.0.0.1:0

two_hosts_cleanup() {
    local status=$? label
    trap - EXIT INT TERM
    for label in old new; do
        HOST_PID=${PID[$label]:-}
        stop_host
    done
    if [ -f "$CLUSTER/data/postmaster.pid" ]; then as_cluster_owner "$PGBIN/pg_ctl" -D "$CLUSTER/data" -m fast stop >/dev/null || true; fi
    rm -rf "$CLUSTER" "$WORK"
    exit $status
}
trap two_hosts_cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

for label in old new; do
    if curl -s -o /dev/null --max-time 1 "http://127.0.0.1:${PORT[$label]}/health"; then
        note "something already answers on 127.0.0.1:${PORT[$label]}; stop it first"
        exit 1
    fi
done

note "a PostgreSQL cluster in $CLUSTER (socket only, port $PG_PORT)"
as_cluster_owner "$PGBIN/initdb" -D "$CLUSTER/data" -U postgres -A trust >"$WORK/initdb.txt" 2>&1 || { cat "$WORK/initdb.txt" >&2; exit 1; }
as_cluster_owner "$PGBIN/pg_ctl" -D "$CLUSTER/data" -l "$CLUSTER/postgres.log" -w \
    -o "-c listen_addresses='' -k $CLUSTER -p $PG_PORT -c max_connections=100" start >/dev/null

# write_config LABEL: the settings both versions know, with the label's database and port.
write_config() {
    local label=$1
    mkdir -p "$WORK/$label"
    cat >"$WORK/$label/config.yaml" <<YAML
database:
  url: "host=$CLUSTER port=$PG_PORT dbname=kooperator_$label user=postgres"
http:
  host: 127.0.0.1
  port: ${PORT[$label]}
logging:
  level: warning
security:
  identityKeyFile: $WORK/$label/identity.key
features:
  bench:
    enabled: true
  supervision:
    enabled: true
  education:
    enabled: true
  esf:
    enabled: true
  partnerships:
    enabled: true
YAML
}

# start_host LABEL BINARY: the host on a new database of its own, migrated, answering /health;
# its process id in PID[LABEL], its log in WORK/LABEL/host.log.
start_host() {
    local label=$1 binary=$2 deadline http=http://127.0.0.1:${PORT[$1]}
    write_config "$label"
    psql -X -q -v ON_ERROR_STOP=1 -d postgres -c "CREATE DATABASE kooperator_$label"
    "$binary" serve --migrate --config "$WORK/$label/config.yaml" >>"$WORK/$label/host.log" 2>&1 &
    PID[$label]=$!
    deadline=$(($(date +%s) + READY_TIMEOUT))
    until curl -sf -o /dev/null --max-time 1 "$http/health"; do
        if ! kill -0 "${PID[$label]}" 2>/dev/null || [ "$(date +%s)" -ge "$deadline" ]; then
            note "the $label host did not answer /health; last lines of its log:"
            tail -n 20 "$WORK/$label/host.log" >&2
            exit 1
        fi
        sleep 0.1
    done
}
