#!/usr/bin/env bash
# bench/http/run.sh [BUILD_DIR] — the HTTP API under wrk on loopback, beside nginx.
# (make bench runs it through bench/run.sh.)
#
# Measures, at 64 connections over keep-alive:
#   1. nginx serving a static file as large as the GET response below (the ceiling);
#   2. a small authenticated GET (GET /v1/me: token check + one JSON object);
#   3. a durable write (POST /v1/parties/CHN/records): answered 201 only after the group
#      commit that carries it, with its journal entry, reached the disk (SQLite WAL,
#      synchronous=FULL);
# and journal appends per second (entries added during the write run / its duration).
# Published anchors for appends: Trillian 400-500/s, Tessera's POSIX file backend ~2,900/s.
#
# Environment: GSI_BENCH_SECONDS (default 10), GSI_BENCH_CONNS (64), GSI_BENCH_THREADS (wrk
# threads, 2), GSI_SERVE_THREADS (gsi serve --threads; default: its own).
set -euo pipefail
cd "$(dirname "$0")/../.."
BENCH=bench/http
. bench/lib.sh
bench_settings "${1:-build}"
bench_need wrk nginx

TMP=$(mktemp -d /tmp/gsi-bench-http.XXXXXX)
chmod 755 "$TMP"
SERVE_PID=
NGINX_PID=
cleanup() {
    [ -n "$SERVE_PID" ] && kill "$SERVE_PID" 2>/dev/null && wait "$SERVE_PID" 2>/dev/null
    [ -n "$NGINX_PID" ] && kill "$NGINX_PID" 2>/dev/null && wait "$NGINX_PID" 2>/dev/null
    rm -rf "$TMP"
}
trap cleanup EXIT

# GET URL [TOKEN] -> the body (python3's urllib: no other client needed)
fetch() {
    /usr/bin/python3 - "$@" <<'PY'
import sys, urllib.request
req = urllib.request.Request(sys.argv[1])
if len(sys.argv) > 2:
    req.add_header("Authorization", "Bearer " + sys.argv[2])
try:
    sys.stdout.write(urllib.request.urlopen(req, timeout=5).read().decode())
except Exception:
    sys.exit(1)
PY
}

# wrk's --latency report -> "RPS P99_MS NON2XX"
summarize() {
    awk '
        /Requests\/sec:/ { rps = $2 }
        /^ +99%/ { v = $2; u = v; sub(/[0-9.]+/, "", u); sub(/[a-z]+$/, "", v)
                   ms = (u == "us") ? v / 1000 : (u == "s") ? v * 1000 : v; p99 = ms }
        /Non-2xx or 3xx responses:/ { bad = $5 }
        /Socket errors:/ { err = $0 }
        END { printf "%.0f %.2f %d\n", rps, p99, bad + 0 }' "$1"
}

# --- the database and a delegate's token ---
DB=$TMP/gsi.db
"$GSI" init --db "$DB" >/dev/null
TOKEN=$("$GSI" delegate add --party CHN --role delegate --name "Bench" --db "$DB" 2>/dev/null |
        sed -n 's/^token //p')
[ -n "$TOKEN" ] || { echo "bench/http: no token from gsi delegate add" >&2; exit 1; }
export GSI_BENCH_TOKEN=$TOKEN

SERVE_ARGS=(--db "$DB")
[ -n "${GSI_SERVE_THREADS:-}" ] && SERVE_ARGS+=(--threads "$GSI_SERVE_THREADS")
bench_serve serve "${SERVE_ARGS[@]}"
BASE=http://127.0.0.1:$PORT
GET_PATH=/v1/me
GET_BYTES=$(fetch "$BASE$GET_PATH" "$TOKEN" | wc -c)

# --- nginx with its own config, serving a file of the same size ---
NPORT=$(bench_free_port)
mkdir -p "$TMP/nginx/www" "$TMP/nginx/logs"
head -c "$GET_BYTES" /dev/zero | tr '\0' 'x' >"$TMP/nginx/www/me.json"
chmod -R a+rX "$TMP/nginx"
NGINX_USER=""
[ "$(id -u)" -eq 0 ] && NGINX_USER="user root;"
cat >"$TMP/nginx/nginx.conf" <<CONF
$NGINX_USER
worker_processes auto;
pid $TMP/nginx/nginx.pid;
error_log $TMP/nginx/logs/error.log warn;
events { worker_connections 1024; }
http {
    access_log off;
    sendfile on;
    tcp_nopush on;
    keepalive_requests 1000000;
    default_type application/json;
    client_body_temp_path $TMP/nginx/tmp;
    proxy_temp_path $TMP/nginx/tmp;
    fastcgi_temp_path $TMP/nginx/tmp;
    uwsgi_temp_path $TMP/nginx/tmp;
    scgi_temp_path $TMP/nginx/tmp;
    server {
        listen 127.0.0.1:$NPORT;
        root $TMP/nginx/www;
        location = /v1/me { try_files /me.json =404; }
    }
}
CONF
nginx -c "$TMP/nginx/nginx.conf" -p "$TMP/nginx" -g 'daemon off;' 2>"$TMP/nginx/logs/start.log" &
NGINX_PID=$!
for _ in $(seq 50); do
    fetch "http://127.0.0.1:$NPORT/v1/me" >/dev/null && break
    sleep 0.1
done

run_wrk() {  # run_wrk OUTFILE URL [wrk args...]
    local out=$1 url=$2
    shift 2
    wrk -t"$WRK_THREADS" -c"$CONNS" -d"${SECS}s" --latency "$@" "$url" >"$out" 2>&1
}

size() { fetch "$BASE/v1/health" | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["journal_size"])'; }

echo "bench/http: wrk -t$WRK_THREADS -c$CONNS -d${SECS}s on loopback, $(nproc) CPUs; response body $GET_BYTES bytes"
run_wrk "$TMP/nginx.txt" "http://127.0.0.1:$NPORT$GET_PATH" -H "Authorization: Bearer $TOKEN"
run_wrk "$TMP/get.txt" "$BASE$GET_PATH" -H "Authorization: Bearer $TOKEN"
before=$(size)
t0=$(date +%s.%N)
run_wrk "$TMP/post.txt" "$BASE/v1/parties/CHN/records" -s bench/http/post.lua
t1=$(date +%s.%N)
after=$(size)

read -r n_rps n_p99 n_bad < <(summarize "$TMP/nginx.txt")
read -r g_rps g_p99 g_bad < <(summarize "$TMP/get.txt")
read -r w_rps w_p99 w_bad < <(summarize "$TMP/post.txt")
appends=$((after - before))
aps=$(awk -v a="$appends" -v t0="$t0" -v t1="$t1" 'BEGIN { printf "%.0f", a / (t1 - t0) }')

printf '%-40s %12s %10s %8s\n' "what" "requests/s" "p99 ms" "non-2xx"
printf '%-40s %12s %10s %8s\n' "nginx static file (${GET_BYTES} B)" "$n_rps" "$n_p99" "$n_bad"
printf '%-40s %12s %10s %8s\n' "gsi GET $GET_PATH (authenticated)" "$g_rps" "$g_p99" "$g_bad"
printf '%-40s %12s %10s %8s\n' "gsi POST note (durable, journalled)" "$w_rps" "$w_p99" "$w_bad"
echo "journal appends: $appends in $(awk -v t0="$t0" -v t1="$t1" 'BEGIN{printf "%.1f", t1-t0}') s = $aps per second (anchors: Trillian 400-500/s, Tessera POSIX ~2,900/s)"
awk -v g="$g_rps" -v n="$n_rps" -v w="$w_rps" -v gp="$g_p99" -v wp="$w_p99" 'BEGIN {
    printf "targets: reads >= 1/2 nginx: %s (%.2f); writes >= 5000/s: %s; p99 < 10 ms: GET %s, POST %s\n",
        (g >= n / 2 ? "met" : "NOT met"), (n > 0 ? g / n : 0), (w >= 5000 ? "met" : "NOT met"),
        (gp < 10 ? "met" : "NOT met"), (wp < 10 ? "met" : "NOT met") }'
bench_stop_verify "$DB"
