#!/usr/bin/env bash
# `make browser-test` (and the end of `make test`): Kooperator's journeys in a real browser.
#
# Installs what is missing (Debian's chromium and chromium-driver; the pinned Python packages of
# Tests/Browser/requirements.txt in a venv, .build/browser-venv), starts the host on a free port
# with an embedded cluster of its own and the demo story (serve --migrate --demo), reads the demo
# user's sign-in from what the host prints ("demo sign-in: user NAME password PW"), runs
# Tests/Browser/journeys.py, then schemathesis against the host's /openapi.json (every operation,
# Tests/Browser/schemathesis.toml; BROWSER_SKIP_CONTRACT=1 skips it), and stops the host (SIGTERM,
# then wait) on any exit.
#
# Results: Tests/Browser/results/ (a PNG of every page, the printed decision letters as PDFs,
# report.txt and report.json with the axe results, host.log with everything the host printed). Exit status: that of journeys.py, or 1
# when the set-up fails.
#
# Settings (environment):
#   BINARY                 the host (default .build/debug/kooperator; `swift build --product
#                          kooperator` or `make test` builds it; this script never builds)
#   BROWSER_READY_TIMEOUT  seconds to wait for /health on the first start (default 180)
#   BROWSER_ONLY           journeys to run, comma-separated (journeys.py --only)
#   BROWSER_BASE_URL       run against a host that is already up instead of starting one; needs
#                          BROWSER_USER and BROWSER_PASSWORD (e.g. `make run` prints them)
#   BROWSER_ADMIN_PASSWORD demo-admin's password there, for the administrator's journey (skipped without)
#   BROWSER_MUNICIPALITY   the municipality that host's decision letters name (its letters.municipality;
#                          default Kommunen, the shipped config's)
set -euo pipefail

cd "$(dirname "$0")/../.."

BINARY=${BINARY:-.build/debug/kooperator}
READY_TIMEOUT=${BROWSER_READY_TIMEOUT:-180}
HERE=Tests/Browser
RESULTS=$HERE/results
HOST_LOG=$RESULTS/host.log
VENV=.build/browser-venv
CLUSTER=.kooperator/browser-postgres # the config's database.embedded.directory; see cluster_directory
APT_PACKAGES=(chromium chromium-driver)

note() { echo "browser-test: $*" >&2; }

# --- 1. what the journeys need ----------------------------------------------------------------

SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO=sudo; fi
missing=()
for package in "${APT_PACKAGES[@]}"; do
    dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done
# Debian's own python3 makes venvs only with python3-venv (ensurepip).
if ! python3 -c 'import ensurepip' >/dev/null 2>&1; then missing+=(python3-venv); fi
if [ ${#missing[@]} -gt 0 ]; then
    note "installing: ${missing[*]}"
    started=$(date +%s)
    $SUDO apt-get update -qq
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
    note "installed in $(($(date +%s) - started)) s"
fi

# Every package is pinned in requirements.txt, its dependencies too, so --no-deps installs
# exactly that set. --ignore-requires-python is for axe-selenium-python 3.0.0 alone: it says
# Python >= 3.12 but runs on 3.11 (verified), and it is the release that bundles axe-core 4.10.2
# (2.1.6, the last for 3.11, bundles axe-core 3.1.1 from 2018). Its declared pytest dependency
# is only for its own tests.
STAMP=$VENV/requirements.installed
if ! cmp -s "$HERE/requirements.txt" "$STAMP" ||
    ! "$VENV/bin/python" -c 'import selenium, axe_selenium_python, requests, schemathesis' >/dev/null 2>&1; then
    note "making $VENV from $HERE/requirements.txt"
    rm -rf "$VENV"
    python3 -m venv "$VENV"
    "$VENV/bin/python" -m pip install -q --disable-pip-version-check --no-deps --ignore-requires-python \
        -r "$HERE/requirements.txt"
    "$VENV/bin/python" -c 'import selenium, axe_selenium_python, requests, schemathesis'
    cp "$HERE/requirements.txt" "$STAMP"
fi

rm -rf "$RESULTS"
mkdir -p "$RESULTS"

run_journeys() { # BASE_URL USER PASSWORD ADMIN_PASSWORD [COORDINATOR COORDINATOR_PASSWORD]
    local only=() coordinator=()
    if [ -n "${BROWSER_ONLY:-}" ]; then only=(--only "$BROWSER_ONLY"); fi
    if [ -n "${5:-}" ]; then coordinator=(--coordinator-user "$5" --coordinator-password "$6"); fi
    "$VENV/bin/python" "$HERE/journeys.py" --base-url "$1" --user "$2" --password "$3" \
        --admin-password "${4:-}" --results "$RESULTS" --municipality "$MUNICIPALITY" "${only[@]}" "${coordinator[@]}"
}

# The municipality the decision letters name: the letters journey finds it in each printed letter.
MUNICIPALITY=${BROWSER_MUNICIPALITY:-Kommunen}
if [ -n "${BROWSER_BASE_URL:-}" ]; then
    run_journeys "$BROWSER_BASE_URL" "${BROWSER_USER:?BROWSER_USER is needed with BROWSER_BASE_URL}" \
        "${BROWSER_PASSWORD:?BROWSER_PASSWORD is needed with BROWSER_BASE_URL}" "${BROWSER_ADMIN_PASSWORD:-}" \
        "${BROWSER_COORDINATOR_USER:-}" "${BROWSER_COORDINATOR_PASSWORD:-}"
    exit
fi

# --- 2. the host ---------------------------------------------------------------------------------

[ -x "$BINARY" ] || { note "$BINARY not found: build it first (swift build --product kooperator)"; exit 1; }

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
HTTP_PORT=$(free_port)
HTTP=http://127.0.0.1:$HTTP_PORT

WORK=$(mktemp -d)
CONFIG=$WORK/browser.yaml
MUNICIPALITY="Göteborgs Stad" # letters.municipality below
# Every feature the shipped config/kooperator.yaml has a section for (each feature adds its own),
# switched on with its default settings, so a new feature's pages and API are in the run
# without a line here.
FEATURES=$(awk '/^features:/ { on = 1; next } on && /^[^ #]/ { on = 0 }
    on && /^  [a-z][A-Za-z0-9_]*:/ { sub(/:.*/, "", $1); printf "  %s:\n    enabled: true\n", $1 }' config/kooperator.yaml)
[ -n "$FEATURES" ] || { note "config/kooperator.yaml names no feature"; exit 1; }
# As Benchmarks/bench.yaml: an embedded cluster of its own, so the run never touches the
# development or test database; like the product's default, on its Unix socket only (no port, no
# TCP), with the passwords in its folder; the shipped features; a new identity key for the new cluster.
cat >"$CONFIG" <<EOF
database:
  url: ""
  embedded:
    directory: $CLUSTER

http:
  host: 127.0.0.1
  port: $HTTP_PORT

logging:
  level: info

metrics:
  address: "127.0.0.1:0"

security:
  identityKeyFile: $WORK/identity.key
  # Sign-in works the same at any cost; the product's 17 would only make the journeys slower.
  passwordHashCost: 12

# The decision letters' head: a name of its own (with a letter outside ASCII) and a series, so the
# letters journey reads them back from the printed PDFs.
letters:
  municipality: "$MUNICIPALITY"
  authority: Social resursnämnden
  caseNumbers:
    series: SRN

features:
$FEATURES
EOF
# The environment overrides the file; none of these may point the run elsewhere.
unset KOOPERATOR_DATABASE_URL KOOPERATOR_HTTP_HOST KOOPERATOR_HTTP_PORT KOOPERATOR_IDENTITY_KEY

source .ci/host-process.sh  # stop_host, stop_cluster, cluster_directory




remove_cluster() {
    case "$CLUSTER_DIR" in
    */?*browser-postgres*) rm -rf "$CLUSTER_DIR" ;;
    *) note "not removing unexpected cluster directory '$CLUSTER_DIR'" ;;
    esac
}

CLUSTER_DIR=""
cleanup() {
    local status=$?
    trap - EXIT INT TERM
    stop_host
    if [ -n "$CLUSTER_DIR" ]; then
        stop_cluster
        remove_cluster
    fi
    rm -rf "$WORK"
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

"$BINARY" config check --config "$CONFIG" >/dev/null || { note "the generated config is refused:"; cat "$CONFIG" >&2; exit 1; }
CLUSTER_DIR=$(cluster_directory)
[ -n "$CLUSTER_DIR" ] || { note "kooperator db status named no cluster directory"; exit 1; }
stop_cluster # a cluster left by a run that was killed
remove_cluster

note "starting $BINARY on $HTTP (cluster $CLUSTER_DIR, socket only); log in $HOST_LOG"
started=$(date +%s)
# stdbuf: a line printed to a pipe or file is written at once, not when a buffer fills.
stdbuf -oL -eL "$BINARY" serve --migrate --demo --config "$CONFIG" >"$HOST_LOG" 2>&1 &
HOST_PID=$!

deadline=$((started + READY_TIMEOUT))
until curl -sf -o /dev/null --max-time 2 "$HTTP/health"; do
    if ! kill -0 "$HOST_PID" 2>/dev/null; then
        note "the host exited before /health answered 200; last lines of $HOST_LOG:"
        tail -n 30 "$HOST_LOG" >&2
        HOST_PID=""
        exit 1
    fi
    if [ "$(date +%s)" -ge "$deadline" ]; then
        note "/health did not answer 200 within $READY_TIMEOUT s; last lines of $HOST_LOG:"
        tail -n 30 "$HOST_LOG" >&2
        exit 1
    fi
    sleep 0.2
done
note "host ready in $(($(date +%s) - started)) s"

# The demo story is loaded before the host serves, so its sign-in line is in the log by now
# (allow a moment for a late flush).
SIGN_IN_PATTERN='demo sign-in: user ([^[:space:]]+) password ([^[:space:]]+)'
sign_in=""
for _ in $(seq 50); do
    sign_in=$(sed -nE "s/.*$SIGN_IN_PATTERN.*/\1 \2/p" "$HOST_LOG" | head -n 1)
    [ -z "$sign_in" ] || break
    sleep 0.1
done
if [ -z "$sign_in" ]; then
    note "the host printed no line matching '$SIGN_IN_PATTERN'; first lines of $HOST_LOG:"
    head -n 30 "$HOST_LOG" >&2
    exit 1
fi
read -r DEMO_USER DEMO_PASSWORD <<<"$sign_in"
# The administrator's journey signs in as demo-admin with a password made for this run.
ADMIN_PASSWORD=$("$BINARY" users password demo-admin --generate --config "$CONFIG" | tail -n 1)
# The ESF coordinator's sign-in, for the journeys that record participants (esf-forms).
read -r COORDINATOR_USER COORDINATOR_PASSWORD <<<"$(sed -nE "s/.*demo sign-in: user (demo-coordinator) password ([^[:space:]]+).*/\1 \2/p" "$HOST_LOG" | head -n 1)" || true

# --- 3. the journeys ---------------------------------------------------------------------------

status=0
run_journeys "$HTTP" "$DEMO_USER" "$DEMO_PASSWORD" "$ADMIN_PASSWORD" "${COORDINATOR_USER:-}" "${COORDINATOR_PASSWORD:-}" || status=$?
if ! kill -0 "$HOST_PID" 2>/dev/null; then
    note "the host exited during the journeys; last lines of $HOST_LOG:"
    tail -n 30 "$HOST_LOG" >&2
    HOST_PID=""
    status=1
fi

# --- 4. the API against its documents: schemathesis ------------------------------------------
# Every operation of /openapi.json, as the admin (every permission but the ESF secrecy ones), with
# a bounded number of generated requests each; the checks and their settings are in
# Tests/Browser/schemathesis.toml. A finding fails the run; the report is in $RESULTS.

if [ $status -eq 0 ] && [ -z "${BROWSER_SKIP_CONTRACT:-}" ]; then
    TOKEN=$("$BINARY" tokens issue demo-admin --expires-in-days 1 --label contract-test --config "$CONFIG" | tail -n 1)
    note "schemathesis against $HTTP/openapi.json"
    started=$(date +%s)
    # Revoking a token by a generated id, disabling a user by a generated name, or changing its role
    # (the stateful phase finds demo-admin in a list and made it an officer: every later admin
    # operation 403) could take the run's own token or user away half-way; AdminPageTests covers
    # the three operations.
    "$VENV/bin/schemathesis" --config-file "$HERE/schemathesis.toml" run "$HTTP/openapi.json" --url "$HTTP" \
        --exclude-name "DELETE /api/v1/tokens/{id}" --exclude-name "POST /api/v1/users/{name}/disable" \
        --exclude-name "PATCH /api/v1/users/{name}" \
        -H "Authorization: Bearer $TOKEN" --report junit --report-dir "$RESULTS" \
        >"$RESULTS/schemathesis.txt" 2>&1 || status=$?
    note "schemathesis: exit $status in $(($(date +%s) - started)) s; $(grep -E '^(Failures|Test cases|=+ .* in )' -A0 "$RESULTS/schemathesis.txt" | tr '\n' ' ')"
    if [ $status -ne 0 ]; then tail -n 120 "$RESULTS/schemathesis.txt" >&2; fi
fi
stop_host
exit $status
