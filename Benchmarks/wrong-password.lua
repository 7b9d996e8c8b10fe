-- wrk script for `make bench` (m): POST /login with a wrong password, as a password guesser would,
-- with the sign-in form's token and cookie (BENCH_SIGNIN_CSRF, taken from one GET /login; the host
-- accepts any token it signed) and user name BENCH_SIGNIN_USER. Counts the answers by status
-- (422 wrong password, 429 locked or throttled, 503 too many hashes waiting) and prints them.
math.randomseed(os.time())
local token = os.getenv("BENCH_SIGNIN_CSRF")
local user = os.getenv("BENCH_SIGNIN_USER") or "bench-officer"
local threads = {}

local function encode(text)
    return (text:gsub("[^%w%-%._~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

setup = function(thread)
    table.insert(threads, thread)
end

init = function()
    counts = { [422] = 0, [429] = 0, [503] = 0, other = 0 }
end

request = function()
    local body = "_csrf=" .. encode(token) .. "&username=" .. encode(user) .. "&password=wrong-" .. math.random(1, 1000000000) .. "&next=%2F"
    return wrk.format("POST", "/login", {
        ["Content-Type"] = "application/x-www-form-urlencoded",
        ["Cookie"] = "kooperator_signin=" .. token,
    }, body)
end

response = function(status)
    if counts[status] then counts[status] = counts[status] + 1 else counts.other = counts.other + 1 end
end

done = function()
    local total = { [422] = 0, [429] = 0, [503] = 0, other = 0 }
    for _, thread in ipairs(threads) do
        local c = thread:get("counts")
        for key, value in pairs(c) do total[key] = total[key] + value end
    end
    io.write(string.format("statuses: 422=%d 429=%d 503=%d other=%d\n", total[422], total[429], total[503], total.other))
end
