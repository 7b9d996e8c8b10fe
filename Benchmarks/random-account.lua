-- wrk script for `make bench`: GET /api/v1/bench/accounts/<id> with a random id in 1...100000.
math.randomseed(os.time())

request = function()
    return wrk.format("GET", "/api/v1/bench/accounts/" .. math.random(1, 100000))
end
