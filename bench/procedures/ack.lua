-- wrk script: concern.acknowledge by USA, POST /v1/concerns/{id}/acknowledge, each request a
-- different concern: ids from GSI_BENCH_FIRST to GSI_BENCH_LAST (the concerns the lodge run
-- made), split among wrk's threads. A request past the last id acknowledges one twice (409),
-- which wrk counts as non-2xx.
local first = tonumber(os.getenv("GSI_BENCH_FIRST"))
local last = tonumber(os.getenv("GSI_BENCH_LAST"))
local step = tonumber(os.getenv("GSI_BENCH_WRK_THREADS"))
local counter = 0

function setup(thread)
    thread:set("id", counter)
    counter = counter + 1
end

function init(args)
    next_id = first + id
end

function request()
    local path = "/v1/concerns/" .. next_id .. "/acknowledge"
    if next_id + step <= last then
        next_id = next_id + step
    end
    return wrk.format("POST", path, {
        ["Content-Type"] = "application/json",
        ["Authorization"] = "Bearer " .. os.getenv("GSI_BENCH_TOKEN_USA")
    }, "{}")
end
