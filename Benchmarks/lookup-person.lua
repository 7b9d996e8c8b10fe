-- wrk script for `make bench`: POST /api/v1/registry/people/lookup {"identityNumber": "<n>"} with a random
-- number from BENCH_NUMBERS (one per line, written by `kooperator bench seed-people`).
math.randomseed(os.time())
local token = os.getenv("BENCH_TOKEN")
local numbers = {}
for line in io.lines(os.getenv("BENCH_NUMBERS")) do numbers[#numbers + 1] = line end

request = function()
    local n = numbers[math.random(1, #numbers)]
    return wrk.format(
        "POST",
        "/api/v1/registry/people/lookup",
        { ["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json" },
        '{"identityNumber": "' .. n .. '"}'
    )
end
