-- wrk script for `make bench`: GET /api/v1/registry/people?identityNumber=<n> with a random
-- number from BENCH_NUMBERS (one per line, written by `kooperator bench seed-people`).
math.randomseed(os.time())
local token = os.getenv("BENCH_TOKEN")
local numbers = {}
for line in io.lines(os.getenv("BENCH_NUMBERS")) do numbers[#numbers + 1] = line end

request = function()
    local n = numbers[math.random(1, #numbers)]
    return wrk.format("GET", "/api/v1/registry/people?identityNumber=" .. n, { ["Authorization"] = "Bearer " .. token })
end
