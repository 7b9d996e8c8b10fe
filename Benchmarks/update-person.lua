-- wrk script for `make bench`: POST /api/v1/bench/people/<id>/update?audit=<BENCH_AUDIT> with a
-- random seeded person (1 ... BENCH_PEOPLE), to compare the registry's person update with and
-- without its audit row.
math.randomseed(os.time())
local audit = os.getenv("BENCH_AUDIT") or "1"
local people = tonumber(os.getenv("BENCH_PEOPLE") or "100000")

request = function()
    return wrk.format("POST", "/api/v1/bench/people/" .. math.random(1, people) .. "/update?audit=" .. audit)
end
