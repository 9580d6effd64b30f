#!/usr/bin/env bash
# pg_server_test.sh — checks pg_server.sh itself: the server listens on loopback only, runs as
# the postgres user when started by root, takes connections at PG_URL, and is gone after
# pg_server_stop. Prints "checks: N passed, M failed".
set -u
. "$(dirname "$(readlink -f "$0")")/checks.sh"
. "$(dirname "$(readlink -f "$0")")/pg_server.sh"
TMP=$(mktemp -d /tmp/gsi-pg-server-test.XXXXXX)
chmod 755 "$TMP"
trap 'pg_server_stop; rm -rf "$TMP"' EXIT
if ! pg_server_start "$TMP"; then
    echo "checks: 0 passed, 1 failed"
    exit 1
fi
q() { psql -X -q -At "$PG_URL" -c "$1"; }
check "the server answers at PG_URL" test "$(q 'SELECT 1')" = 1
check "it listens on 127.0.0.1 only" test "$(q 'SHOW listen_addresses')" = 127.0.0.1
check "fsync is on (the durability checks need it)" test "$(q 'SHOW fsync')" = on
pid=$(head -1 "$TMP/pg/data/postmaster.pid")
if [ "$(id -u)" -eq 0 ]; then
    check "started by root, it runs as postgres" test "$(ps -o user= -p "$pid")" = postgres
fi
pg_server_stop
check "pg_server_stop stops it (no pid file)" test ! -e "$TMP/pg/data/postmaster.pid"
check "nothing answers at PG_URL any more" test -z "$(q 'SELECT 1' 2>/dev/null)"
state=$(ps -o stat= -p "$pid" 2>/dev/null)
check "the postmaster process is gone" test -z "$state" -o "${state:0:1}" = Z
check "PG_SERVER_DATA is cleared (a second stop does nothing)" test -z "$PG_SERVER_DATA"
checks_finish
