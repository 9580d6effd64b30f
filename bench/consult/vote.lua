-- wrk script: public participants' votes, POST /v1/consultations/{id}/public/vote, each request
-- a random participant (tokens from the file GSI_BENCH_TOKENS, one a line), a random statement
-- (GSI_BENCH_STMTS, space-separated ids) and a random vote. Set up by load.py.
local tokens, stmts = {}, {}
local votes = { "agree", "disagree", "pass" }
local path = os.getenv("GSI_BENCH_PATH")

function init(args)
    for line in io.lines(os.getenv("GSI_BENCH_TOKENS")) do
        tokens[#tokens + 1] = line
    end
    for s in string.gmatch(os.getenv("GSI_BENCH_STMTS"), "%d+") do
        stmts[#stmts + 1] = s
    end
    math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16) % 100000)
end

function request()
    local body = string.format('{"token":"%s","statement":%s,"vote":"%s"}',
        tokens[math.random(#tokens)], stmts[math.random(#stmts)], votes[math.random(3)])
    return wrk.format("POST", path, { ["Content-Type"] = "application/json" }, body)
end
