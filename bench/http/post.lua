-- wrk script: a durable write, POST /v1/parties/CHN/records with a small note.
-- The token comes from the environment (GSI_BENCH_TOKEN), set by run.sh.
wrk.method = "POST"
wrk.body = '{"type":"note.bench","payload":{"text":"bench"}}'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("GSI_BENCH_TOKEN")
