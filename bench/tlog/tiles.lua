-- wrk script: GET the tile paths listed in $TLOG_PATHS (one per line), in turn, under $TLOG_PREFIX.
local paths = {}
for line in io.lines(os.getenv("TLOG_PATHS")) do
    paths[#paths + 1] = line
end
local prefix = os.getenv("TLOG_PREFIX")
local i = 0
request = function()
    i = i % #paths + 1
    return wrk.format("GET", prefix .. paths[i])
end
