# Sourced by Benchmarks/run.sh and Benchmarks/compare.sh while the host runs (issue 20): one
# cooperative read through the registry's generated OpenAPI handler (operation getOrganisation of
# Sources/Registry/openapi.yaml, swift-openapi-generator's code behind the host's permission check):
#   (n) GET /api/v1/registry/organisations/<id>   one cooperative, registered first through the API
#       (POST /api/v1/registry/organisations with an organisation number, the ASF criteria and
#       contact details), with the bench officer's bearer token; p50/p99 with
#       BENCH_LATENCY_CONNECTIONS connections (what one caseworker waits), then the throughput
#       with BENCH_CONNECTIONS connections.
# Before the load the POST must answer 201 and the GET 200 with the cooperative, or the bench stops;
# any other answer during the load fails the step. No latency target: the figures are compared with
# a build from before the change (Benchmarks/compare.sh).

COOPERATIVE_LINES=()
COOPERATIVE_ERRORS=0
COOPERATIVE_ID=""

# cooperative_seed: registers the cooperative through the API and sets COOPERATIVE_ID.
cooperative_seed() {
    local status
    status=$(curl -s -o "$WORK/cooperative-created.json" -w '%{http_code}' -H "Authorization: Bearer $BENCH_TOKEN" \
        -H 'Content-Type: application/json' --data-binary @- "$HTTP/api/v1/registry/organisations" <<'JSON'
{"name": "Bench kooperativ ekonomisk förening", "organisationNumber": "769615-4322",
 "legalForm": "economicAssociation", "kind": "cooperative", "state": "active",
 "asf": {"integratesPeopleFarFromWork": true, "participationThroughOwnership": true, "profitsMainlyReinvested": true,
         "hasPublicOwner": false, "hasPubliclyEmployedSupervisor": false, "highestMonthlyWage": 31000, "lowestMonthlyWage": 24000},
 "contact": {"email": "kontakt@bench-kooperativ.example", "phone": "+46 8 123 45 67", "address": "Storgatan 1, 111 22 Stockholm"}}
JSON
    )
    COOPERATIVE_ID=$(grep -Eo '"id" ?: ?[0-9]+' "$WORK/cooperative-created.json" | head -n 1 | grep -Eo '[0-9]+$' || true)
    if [ "$status" != 201 ] || [ -z "$COOPERATIVE_ID" ]; then
        note "POST /api/v1/registry/organisations answered $status: $(head -c 300 "$WORK/cooperative-created.json")"
        exit 1
    fi
}

cooperative_bench() {
    local path status
    [ -n "$COOPERATIVE_ID" ] || cooperative_seed
    path="/api/v1/registry/organisations/$COOPERATIVE_ID"
    status=$(curl -s -o "$WORK/cooperative.json" -w '%{http_code}' -H "Authorization: Bearer $BENCH_TOKEN" "$HTTP$path")
    if [ "$status" != 200 ] || ! grep -Eq '"kind" ?: ?"cooperative"' "$WORK/cooperative.json"; then
        note "GET $path answered $status: $(head -c 300 "$WORK/cooperative.json")"
        exit 1
    fi
    note "(n) wrk -c$LATENCY_CONNECTIONS GET $path (one cooperative)"
    WRK_CONNECTIONS=$LATENCY_CONNECTIONS run_wrk cooperative-latency "$path" -H "Authorization: Bearer $BENCH_TOKEN"
    note "(n) wrk -c$CONNECTIONS GET $path"
    run_wrk cooperative-throughput "$path" -H "Authorization: Bearer $BENCH_TOKEN"
    local name connections
    for name in latency throughput; do
        if [ $name = latency ]; then connections=$LATENCY_CONNECTIONS; else connections=$CONNECTIONS; fi
        COOPERATIVE_ERRORS=$((COOPERATIVE_ERRORS + $(wrk_errors "$WORK/cooperative-$name.txt")))
        COOPERATIVE_LINES+=("$(printf '(n) %-44s %7s req/s   p50 %6.2f ms   p99 %6.2f ms' \
            "GET /api/v1/registry/organisations/:id -c$connections" "$(wrk_rps "$WORK/cooperative-$name.txt")" \
            "$(wrk_percentile "$WORK/cooperative-$name.txt" 50)" "$(wrk_percentile "$WORK/cooperative-$name.txt" 99)")")
    done
}

cooperative_report() {
    say ""
    say "registry: one cooperative read through its generated OpenAPI handler (getOrganisation), bearer token"
    local line
    for line in "${COOPERATIVE_LINES[@]}"; do say "$line"; done
    say "$(printf '%-48s %7s   %s' "(n) answers other than 200 during the load" "$COOPERATIVE_ERRORS" \
        "$(mark "$COOPERATIVE_ERRORS == 0")")"
}
