-- wrk script for `make bench`: GET /api/v1/registry/people?q=<a name> with a random given name
-- and family name fragment, as a caseworker types them. BENCH_TOKEN is the bearer token.
math.randomseed(os.time())
local token = os.getenv("BENCH_TOKEN")
local queries = {
    "åsa öberg", "lindqvist", "hassan", "ekström", "sjöström", "nordström", "nowak", "maria anders", "erik johansson",
    "karlsson", "lars nils", "olsson", "pia persson", "svensson", "gustafsson", "pettersson", "björk", "bergman", "holm",
    "wikström", "samuelsson", "isaksson", "fransson", "bergqvist", "yilmaz", "angstrom", "hakansson", "ake akesson",
}

local function encode(text)
    return (text:gsub("[^%w]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

request = function()
    local q = queries[math.random(1, #queries)]
    return wrk.format("GET", "/api/v1/registry/people?limit=20&q=" .. encode(q), { ["Authorization"] = "Bearer " .. token })
end
