# Sourced by Benchmarks/run.sh and Tests/Browser/run.sh: stopping the kooperator host they
# started ($HOST_PID) and its embedded cluster ($BINARY with $CONFIG). The caller defines note().

HOST_PID=""

# SIGTERM, then wait (graceful shutdown also stops the embedded cluster); SIGKILL after 20 s.
stop_host() {
    [ -n "$HOST_PID" ] || return 0
    if kill -0 "$HOST_PID" 2>/dev/null; then
        kill -TERM "$HOST_PID" 2>/dev/null || true
        local waited=0
        while kill -0 "$HOST_PID" 2>/dev/null && [ $waited -lt 200 ]; do
            sleep 0.1
            waited=$((waited + 1))
        done
        if kill -0 "$HOST_PID" 2>/dev/null; then
            note "host $HOST_PID ignored SIGTERM for 20 s; killing it"
            kill -KILL "$HOST_PID" 2>/dev/null || true
        fi
    fi
    wait "$HOST_PID" 2>/dev/null || true
    HOST_PID=""
}

# The cluster outlives the host only if the host died without its graceful shutdown.
stop_cluster() {
    if [ -x "$BINARY" ]; then "$BINARY" db stop --config "$CONFIG" >/dev/null 2>&1 || true; fi
}

# Where the cluster really lives: the host moves it under /var/tmp when the postgres user
# cannot reach the configured directory (a checkout in a closed home directory).
cluster_directory() {
    "$BINARY" db status --config "$CONFIG" | sed -n 's/^embedded PostgreSQL in \(.*\): .*$/\1/p'
}
