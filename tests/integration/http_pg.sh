#!/usr/bin/env bash
# http_pg.sh GSI TEST.py [ARGS...] — runs one HTTP integration test against PostgreSQL.
#
# Starts a PostgreSQL server the way store_test.sh does (initdb + pg_ctl in a temporary
# directory, a loopback port, trust auth; as the postgres user when run as root), creates an
# empty database, runs `/usr/bin/python3 TEST.py GSI postgresql://... ARGS...`, and removes the
# server and its directory at the end. The test's own "checks: N passed, M failed" line is
# what it prints; a server that cannot start is one failed check.
set -u
GSI=$(readlink -f "$1")
TEST=$(readlink -f "$2")
shift 2

TMP=$(mktemp -d /tmp/gsi-http-pg.XXXXXX)
chmod 755 "$TMP"
PGDATA_DIR=
PG_RUN=(env)
PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
cleanup() {
    if [ -n "$PGDATA_DIR" ]; then
        "${PG_RUN[@]}" "$PGBIN/pg_ctl" -D "$PGDATA_DIR" -m immediate -w stop >/dev/null 2>&1
    fi
    rm -rf "$TMP"
}
trap cleanup EXIT
fail_setup() {
    echo "http_pg: $*" >&2
    echo "checks: 0 passed, 1 failed"
    exit 1
}

[ -n "$PGBIN" ] && [ -x "$PGBIN/initdb" ] || fail_setup "PostgreSQL server binaries not found"
mkdir -p "$TMP/pg"
if [ "$(id -u)" -eq 0 ]; then
    PG_RUN=(runuser -u postgres --)
    chown postgres "$TMP/pg"
fi
"${PG_RUN[@]}" "$PGBIN/initdb" -D "$TMP/pg/data" -A trust -U postgres >"$TMP/initdb.log" 2>&1 ||
    { cat "$TMP/initdb.log" >&2; fail_setup "initdb failed"; }
PGDATA_DIR=$TMP/pg/data
started=
for _ in 1 2 3 4 5; do
    PORT=$((20000 + RANDOM % 30000))
    if "${PG_RUN[@]}" "$PGBIN/pg_ctl" -D "$PGDATA_DIR" -l "$TMP/pg/log" -w -t 60 \
        -o "-p $PORT -k $TMP/pg -c listen_addresses=127.0.0.1 -c max_connections=200" \
        start >/dev/null 2>&1; then
        started=1
        break
    fi
done
[ -n "$started" ] || { cat "$TMP/pg/log" >&2; fail_setup "pg_ctl start failed"; }
"${PG_RUN[@]}" "$PGBIN/createdb" -h 127.0.0.1 -p "$PORT" -U postgres gsi ||
    fail_setup "createdb failed"
echo "http_pg: PostgreSQL on 127.0.0.1:$PORT"
/usr/bin/python3 "$TEST" "$GSI" "postgresql://postgres@127.0.0.1:$PORT/gsi" "$@"
