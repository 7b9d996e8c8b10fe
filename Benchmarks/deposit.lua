-- wrk script for `make bench`: POST /api/v1/bench/accounts/<id>/deposit?audit=<BENCH_AUDIT> with
-- a random id, to compare write throughput with and without the audit row.
math.randomseed(os.time())
local audit = os.getenv("BENCH_AUDIT") or "1"

request = function()
    return wrk.format("POST", "/api/v1/bench/accounts/" .. math.random(1, 100000) .. "/deposit?audit=" .. audit)
end
