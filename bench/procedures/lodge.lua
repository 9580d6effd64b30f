-- wrk script: concern.lodge, POST /v1/concerns from CHN to USA (one new case per request).
wrk.method = "POST"
wrk.body = '{"to":["USA"],"domain":"maritime","title":"Bench concern",' ..
           '"text":"A concern lodged by the benchmark, to be acknowledged."}'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("GSI_BENCH_TOKEN")
