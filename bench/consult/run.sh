#!/usr/bin/env bash
# bench/consult/run.sh [BUILD_DIR] — 10,000 public participants voting concurrently over HTTP
# into one consultation, on SQLite and on PostgreSQL (a private server from
# tests/integration/pg_server.sh): votes/s, p99 latency, and how stale the consensus view gets,
# beside the platform's plain journalled write (load.py says how each is measured).
# Environment: GSI_BENCH_PARTICIPANTS (10000), GSI_BENCH_SECONDS (10), GSI_BENCH_CONNS (128),
# GSI_BENCH_POLL_MS (50), GSI_BENCH_STORES ("sqlite postgresql").
set -euo pipefail
cd "$(dirname "$0")/../.."
BUILD=${1:-build}
GSI=$(readlink -f "${GSI:-$BUILD/src/cli/gsi}")
command -v wrk >/dev/null || { echo "bench/consult: wrk is missing (scripts/deps.sh bench)" >&2; exit 1; }
[ -x "$GSI" ] || { echo "bench/consult: build first: no $GSI" >&2; exit 1; }
for store in ${GSI_BENCH_STORES:-sqlite postgresql}; do
    if [ "$store" = sqlite ]; then
        /usr/bin/python3 bench/consult/load.py "$GSI"
    else
        tests/integration/http_pg.sh "$GSI" bench/consult/load.py
    fi
done
