# bench/lib.sh — what the HTTP benchmarks (bench/http, bench/procedures, bench/tlog) share.
# shellcheck shell=bash
# Sourced, not run: `. bench/lib.sh` from the source root, after setting BENCH, the
# benchmark's name for messages ("bench/http"); then bench_settings sets GSI, and the caller
# TMP, the run's scratch folder (removed by its EXIT trap), before bench_serve.
# Each function that cannot go on says why on stderr and exits the script with status 1.

# bench_settings BUILD_DIR: GSI, the binary's absolute path ($GSI where set, as bench/run.sh
# exports it; else BUILD_DIR/src/cli/gsi), which must be built; and from the environment
# SECS (GSI_BENCH_SECONDS, default 10), CONNS (GSI_BENCH_CONNS, 64) and WRK_THREADS
# (GSI_BENCH_THREADS, 2), wrk's duration, connections and threads.
# shellcheck disable=SC2034 # the settings are the callers'
bench_settings() {
    GSI=$(readlink -m "${GSI:-$1/src/cli/gsi}")
    [ -x "$GSI" ] || { echo "$BENCH: build first: no $GSI" >&2; exit 1; }
    SECS=${GSI_BENCH_SECONDS:-10}
    CONNS=${GSI_BENCH_CONNS:-64}
    WRK_THREADS=${GSI_BENCH_THREADS:-2}
}

# bench_need TOOL...: each TOOL on PATH (/usr/sbin is added where one is missing).
bench_need() {
    local tool
    for tool in "$@"; do
        command -v "$tool" >/dev/null || PATH=$PATH:/usr/sbin
        command -v "$tool" >/dev/null || { echo "$BENCH: $tool is missing (scripts/deps.sh bench)" >&2; exit 1; }
    done
}

# bench_free_port: prints a loopback port free now (the kernel's choice).
bench_free_port() {
    /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# bench_serve NAME ARGS...: `$GSI serve --listen 127.0.0.1:0 --quiet ARGS...` in the
# background, its output in $TMP/NAME.out and $TMP/NAME.err. Sets SERVE_PID and PORT (read
# from the server's "listening on" line, waited for up to 10 s); the caller stops the server.
# A server that names no port is killed before the script exits.
bench_serve() {
    local name=$1
    shift
    "$GSI" serve --listen 127.0.0.1:0 --quiet "$@" >"$TMP/$name.out" 2>"$TMP/$name.err" &
    SERVE_PID=$!
    for _ in $(seq 100); do
        grep -q listening "$TMP/$name.out" 2>/dev/null && break
        sleep 0.1
    done
    PORT=$(sed -n 's/.*listening on http:\/\/127\.0\.0\.1:\([0-9]*\).*/\1/p' "$TMP/$name.out")
    if [ -z "$PORT" ]; then
        kill "$SERVE_PID" 2>/dev/null || true
        cat "$TMP/$name.err" >&2
        echo "$BENCH: gsi serve did not start" >&2
        exit 1
    fi
}

# bench_stop_verify DB: stops the server SERVE_PID (SIGTERM, then waits: it signs a last
# checkpoint), clears SERVE_PID, and runs `gsi journal verify` on DB: prints its last line,
# or FAILED with its output and exits 1.
bench_stop_verify() {
    kill "$SERVE_PID" && wait "$SERVE_PID" 2>/dev/null || true
    SERVE_PID=
    if "$GSI" journal verify --db "$1" >"$TMP/verify.txt" 2>&1; then
        echo "gsi journal verify after the run: ok ($(tail -1 "$TMP/verify.txt"))"
    else
        echo "gsi journal verify after the run: FAILED"; cat "$TMP/verify.txt"; exit 1
    fi
}
