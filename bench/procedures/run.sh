#!/usr/bin/env bash
# bench/procedures/run.sh [BUILD_DIR] — acts of the procedures under wrk on loopback, beside
# the spine's own write in the same run (make bench runs it through bench/run.sh).
#
# Four durable writes, each answered 201 only after the group commit that carries it reached
# the disk (SQLite WAL, synchronous=FULL), at 64 connections over keep-alive:
#   1. the spine: POST /v1/parties/CHN/records (a note: one record, one journal entry) — the
#      figure bench/http reports;
#   2. concern.lodge: POST /v1/concerns (payload checked against its table, the party looked
#      up, one record and entry, the case, its party row and its act row);
#   3. concern.acknowledge: POST /v1/concerns/{id}/acknowledge on the concerns of run 2 (the
#      case and the party's state read inside the transaction, then updated);
#   4. notification.missile_launch: POST /v1/notifications to three parties, with GeoJSON
#      launch point and impact polygon and the 24-hour rule.
# For each: requests/s, p99 latency, non-2xx answers, acts journalled per second (journal
# entries added / the run's duration), and the ratio to the spine's acts per second (the mean
# of a spine run first and another last, which bracket the load the machine had meanwhile).
#
# Environment: GSI_BENCH_SECONDS (default 10), GSI_BENCH_CONNS (64), GSI_BENCH_THREADS (2).
set -euo pipefail
cd "$(dirname "$0")/../.."
BENCH=bench/procedures
. bench/lib.sh
bench_settings "${1:-build}"
export GSI_BENCH_WRK_THREADS=$WRK_THREADS # ack.lua spreads the concerns over wrk's threads
bench_need wrk

TMP=$(mktemp -d /tmp/gsi-bench-proc.XXXXXX)
SERVE_PID=
cleanup() {
    [ -n "$SERVE_PID" ] && kill "$SERVE_PID" 2>/dev/null && wait "$SERVE_PID" 2>/dev/null
    rm -rf "$TMP"
}
trap cleanup EXIT

DB=$TMP/gsi.db
"$GSI" init --db "$DB" >/dev/null
token() { "$GSI" delegate add --party "$1" --role delegate --name Bench --db "$DB" 2>/dev/null | sed -n 's/^token //p'; }
export GSI_BENCH_TOKEN; GSI_BENCH_TOKEN=$(token CHN)
export GSI_BENCH_TOKEN_USA; GSI_BENCH_TOKEN_USA=$(token USA)
[ -n "$GSI_BENCH_TOKEN" ] && [ -n "$GSI_BENCH_TOKEN_USA" ] || { echo "bench/procedures: no token" >&2; exit 1; }
export GSI_BENCH_START GSI_BENCH_END
GSI_BENCH_START=$(date -u -d '+3 days' +%Y-%m-%dT%H:%M:%SZ)
GSI_BENCH_END=$(date -u -d '+3 days 6 hours' +%Y-%m-%dT%H:%M:%SZ)

bench_serve serve --db "$DB"
BASE=http://127.0.0.1:$PORT

get() {  # get PATH KEY: one integer field of a JSON answer
    /usr/bin/python3 -c 'import json, sys, urllib.request
print(json.load(urllib.request.urlopen(sys.argv[1], timeout=10))[sys.argv[2]])' "$BASE$1" "$2"
}

# run NAME URL SCRIPT -> prints "rps p99 non2xx appends seconds"
run() {
    local before after t0 t1
    before=$(get /v1/health journal_size)
    t0=$(date +%s.%N)
    wrk -t"$GSI_BENCH_WRK_THREADS" -c"$CONNS" -d"${SECS}s" --latency -s "$3" "$2" >"$TMP/$1.txt" 2>&1
    t1=$(date +%s.%N)
    after=$(get /v1/health journal_size)
    awk -v a=$((after - before)) -v t0="$t0" -v t1="$t1" '
        /Requests\/sec:/ { rps = $2 }
        /^ +99%/ { v = $2; u = v; sub(/[0-9.]+/, "", u); sub(/[a-z]+$/, "", v)
                   p99 = (u == "us") ? v / 1000 : (u == "s") ? v * 1000 : v }
        /Non-2xx or 3xx responses:/ { bad = $5 }
        END { printf "%.0f %.2f %d %d %.1f\n", rps, p99, bad + 0, a, t1 - t0 }' "$TMP/$1.txt"
}

echo "bench/procedures: wrk -t$GSI_BENCH_WRK_THREADS -c$CONNS -d${SECS}s on loopback, $(nproc) CPUs, SQLite"
read -r s_rps s_p99 s_bad s_app s_t < <(run spine "$BASE/v1/parties/CHN/records" bench/http/post.lua)
read -r l_rps l_p99 l_bad l_app l_t < <(run lodge "$BASE/v1/concerns" bench/procedures/lodge.lua)
# The lodge run's concerns: record ids are given in order, so they are the ids after the spine
# run's records (each record id is its case id); ask the API for the range.
export GSI_BENCH_FIRST GSI_BENCH_LAST
GSI_BENCH_FIRST=$(/usr/bin/python3 -c 'import json, sys, urllib.request
print(json.load(urllib.request.urlopen(sys.argv[1] + "/v1/concerns?limit=1"))["concerns"][0]["id"])' "$BASE")
GSI_BENCH_LAST=$((GSI_BENCH_FIRST + l_app - 1))
read -r a_rps a_p99 a_bad a_app a_t < <(run ack "$BASE" bench/procedures/ack.lua)
read -r n_rps n_p99 n_bad n_app n_t < <(run notify "$BASE/v1/notifications" bench/procedures/notify.lua)
# The spine once more, last: the machine's load moves between runs, so its figure brackets them.
read -r z_rps z_p99 z_bad z_app z_t < <(run spine2 "$BASE/v1/parties/CHN/records" bench/http/post.lua)

# The ratio's denominator: the mean of the two spine runs' acts per second.
s_aps=$(awk -v a="$s_app" -v t="$s_t" -v b="$z_app" -v u="$z_t" 'BEGIN { printf "%.0f", (a / t + b / u) / 2 }')
row() {  # row WHAT RPS P99 BAD APPENDS SECONDS
    awk -v w="$1" -v r="$2" -v p="$3" -v b="$4" -v a="$5" -v t="$6" -v s="$s_aps" 'BEGIN {
        aps = a / t; printf "%-50s %10s %8s %8s %10.0f %8.2f\n", w, r, p, b, aps, (s > 0 ? aps / s : 0) }'
}
printf '%-50s %10s %8s %8s %10s %8s\n' "act (durable, journalled)" "requests/s" "p99 ms" "non-2xx" "acts/s" "÷ spine"
row "spine: POST note (bench/http's figure)" "$s_rps" "$s_p99" "$s_bad" "$s_app" "$s_t"
row "concern.lodge (to 1 party)" "$l_rps" "$l_p99" "$l_bad" "$l_app" "$l_t"
row "concern.acknowledge" "$a_rps" "$a_p99" "$a_bad" "$a_app" "$a_t"
row "notification.missile_launch (3 parties, GeoJSON)" "$n_rps" "$n_p99" "$n_bad" "$n_app" "$n_t"
row "spine again, last" "$z_rps" "$z_p99" "$z_bad" "$z_app" "$z_t"
echo "(acknowledge: $((GSI_BENCH_LAST - GSI_BENCH_FIRST + 1)) concerns to acknowledge; requests past them are 409s, counted as non-2xx and not journalled)"
bench_stop_verify "$DB"
