-- wrk script: notification.missile_launch, POST /v1/notifications from CHN to USA, IND and
-- BRA, with a launch point and an impact polygon (the window opens in 3 days: run.sh sets it).
wrk.method = "POST"
wrk.body = '{"type":"missile_launch","to":["USA","IND","BRA"],' ..
           '"window_start":"' .. os.getenv("GSI_BENCH_START") .. '",' ..
           '"window_end":"' .. os.getenv("GSI_BENCH_END") .. '",' ..
           '"launch_area":{"type":"Point","coordinates":[63.3,45.9]},' ..
           '"impact_area":{"type":"Polygon","coordinates":[[[170,10],[171,10],[171,11],[170,11],[170,10]]]}}'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("GSI_BENCH_TOKEN")
