-- wrk script for `make bench`: POST /api/v1/registry/people/lookup {"identityNumber": "<n>"} with a random
-- number from BENCH_NUMBERS (one per line, written by `kooperator bench seed-people`).
-- BENCH_LOOKUP=query sends GET /api/v1/registry/people?identityNumber=<n> instead, the lookup of a host
-- from before identity numbers left URLs (issue 19.12), for Benchmarks/compare.sh.
math.randomseed(os.time())
local token = os.getenv("BENCH_TOKEN")
local in_query = os.getenv("BENCH_LOOKUP") == "query"
local numbers = {}
for line in io.lines(os.getenv("BENCH_NUMBERS")) do numbers[#numbers + 1] = line end

request = function()
    local n = numbers[math.random(1, #numbers)]
    if in_query then
        return wrk.format("GET", "/api/v1/registry/people?identityNumber=" .. n, { ["Authorization"] = "Bearer " .. token })
    end
    return wrk.format(
        "POST",
        "/api/v1/registry/people/lookup",
        { ["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json" },
        '{"identityNumber": "' .. n .. '"}'
    )
end
