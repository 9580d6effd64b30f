#!/usr/bin/env bash
# bench/tlog/run.sh [BUILD_DIR] — the journal as tlog-tiles and its witnesses
# (make bench runs it through bench/run.sh).
#
# 1. Tile reads per second: wrk GETs the full level-0 tiles and entry bundles of a journal of
#    GSI_BENCH_ENTRIES entries (100,000) in turn, from `gsi serve` (/log/tile/..., read from
#    the database) and from nginx serving the `gsi journal export-tiles` copy (the ceiling:
#    static files, sendfile).
# 2. Checkpoints per second a witness cosigns (witness_bench.py): one log's checkpoints
#    submitted in order to another server's POST /add-checkpoint, each verified, committed
#    and cosigned; beside the signature work alone in Python.
#
# Environment: GSI_BENCH_SECONDS (10), GSI_BENCH_CONNS (64), GSI_BENCH_THREADS (2),
# GSI_BENCH_ENTRIES (100000), GSI_BENCH_CHECKPOINTS (2000).
set -euo pipefail
cd "$(dirname "$0")/../.."
BENCH=bench/tlog
. bench/lib.sh
bench_settings "${1:-build}"
WRITER=$(readlink -f "$(dirname "$GSI")/../../tests/integration/store_writer")
ENTRIES=${GSI_BENCH_ENTRIES:-100000}
NCP=${GSI_BENCH_CHECKPOINTS:-2000}
bench_need wrk nginx
[ -x "$WRITER" ] || { echo "bench/tlog: build first: no $WRITER" >&2; exit 1; }

TMP=$(mktemp -d /tmp/gsi-bench-tlog.XXXXXX)
chmod 755 "$TMP"
PIDS=()
cleanup() {
    for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null && wait "$p" 2>/dev/null; done
    rm -rf "$TMP"
}
trap cleanup EXIT

serve() {  # serve NAME ARGS... -> sets PORT; the server's pid joins PIDS
    bench_serve "$@"
    PIDS+=("$SERVE_PID")
}

rps() { awk '/Requests\/sec:/ { printf "%.0f", $2 }' "$1"; }

# --- a journal of ENTRIES entries, exported ---
DB=$TMP/log.db
"$GSI" init --db "$DB" --origin bench.example/log >/dev/null
"$WRITER" burst --db "$DB" --threads 16 --count $(((ENTRIES + 15) / 16)) --quiet 2>/dev/null
"$GSI" journal checkpoint --db "$DB" >/dev/null
t0=$(date +%s.%N)
"$GSI" journal export-tiles "$TMP/mirror" --db "$DB" >/dev/null
t1=$(date +%s.%N)
serve log --db "$DB" --checkpoint-every 0
LOG_PORT=$PORT
VKEY=$(/usr/bin/python3 -c 'import json,sys,urllib.request; print(json.load(urllib.request.urlopen(sys.argv[1]))["vkey"])' "http://127.0.0.1:$LOG_PORT/v1/journal/key")
t2=$(date +%s.%N)
"$GSI" journal verify --tiles "http://127.0.0.1:$LOG_PORT/log" --vkey "$VKEY" >/dev/null
t3=$(date +%s.%N)

# The full tiles and bundles, in turn.
(cd "$TMP/mirror" && find tile -type f ! -path '*.p/*' | sort) >"$TMP/paths"

NPORT=$(bench_free_port)
mkdir -p "$TMP/nginx"
NGINX_USER=""
[ "$(id -u)" -eq 0 ] && NGINX_USER="user root;"
cat >"$TMP/nginx/nginx.conf" <<CONF
$NGINX_USER
worker_processes auto;
pid $TMP/nginx/nginx.pid;
error_log $TMP/nginx/error.log warn;
events { worker_connections 1024; }
http {
    access_log off;
    sendfile on;
    keepalive_requests 1000000;
    default_type application/octet-stream;
    client_body_temp_path $TMP/nginx; proxy_temp_path $TMP/nginx; fastcgi_temp_path $TMP/nginx;
    uwsgi_temp_path $TMP/nginx; scgi_temp_path $TMP/nginx;
    server {
        listen 127.0.0.1:$NPORT;
        location /log/ { alias $TMP/mirror/; add_header Cache-Control "public, max-age=31536000, immutable"; }
    }
}
CONF
nginx -c "$TMP/nginx/nginx.conf" -p "$TMP/nginx" -g 'daemon off;' 2>"$TMP/nginx/start.log" &
PIDS+=($!)
for _ in $(seq 50); do
    /usr/bin/python3 -c 'import sys,urllib.request; urllib.request.urlopen(sys.argv[1], timeout=1)' \
        "http://127.0.0.1:$NPORT/log/checkpoint" 2>/dev/null && break
    sleep 0.1
done

export TLOG_PATHS=$TMP/paths TLOG_PREFIX=/log/
echo "bench/tlog: $(wc -l <"$TMP/paths") full tiles and bundles of a $ENTRIES-entry journal; wrk -t$WRK_THREADS -c$CONNS -d${SECS}s; $(nproc) CPUs"
wrk -t"$WRK_THREADS" -c"$CONNS" -d"${SECS}s" -s bench/tlog/tiles.lua "http://127.0.0.1:$NPORT" >"$TMP/nginx.txt" 2>&1
wrk -t"$WRK_THREADS" -c"$CONNS" -d"${SECS}s" -s bench/tlog/tiles.lua "http://127.0.0.1:$LOG_PORT" >"$TMP/gsi.txt" 2>&1
n_rps=$(rps "$TMP/nginx.txt")
g_rps=$(rps "$TMP/gsi.txt")

# --- a witness following that log ---
"$GSI" init --db "$TMP/w.db" --origin bench.example/witness-log >/dev/null
"$GSI" witness keygen --name bench.example/witness --out "$TMP/w.key" >/dev/null
echo "log $VKEY" >"$TMP/w.logs"
serve witness --db "$TMP/w.db" --witness-key "$TMP/w.key" --witness-logs "$TMP/w.logs" --checkpoint-every 0
W_PORT=$PORT
wline=$(/usr/bin/python3 bench/tlog/witness_bench.py "http://127.0.0.1:$LOG_PORT" \
        "http://127.0.0.1:$W_PORT" "$DB" "$NCP")

printf '\n%-44s %14s %14s %8s\n' "work" "GSI" "peer" "ratio"
printf '%-44s %12s/s %12s/s %8s\n' "tile reads (full tiles and bundles)" "$g_rps" "$n_rps" \
    "$(awk -v a="$g_rps" -v b="$n_rps" 'BEGIN { printf "%.2f", a / b }')"
echo "  (peer: nginx serving the export-tiles copy)"
echo "$wline"
awk -v a="$t0" -v b="$t1" -v c="$t2" -v d="$t3" -v n="$ENTRIES" 'BEGIN {
    printf "export-tiles %d entries: %.2f s; verify --tiles over http: %.2f s\n", n, b - a, d - c }'
