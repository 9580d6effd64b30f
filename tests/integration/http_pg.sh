#!/usr/bin/env bash
# http_pg.sh GSI TEST.py [ARGS...] — runs one HTTP integration test against PostgreSQL.
#
# Starts a PostgreSQL server with pg_server.sh (initdb + pg_ctl in a temporary directory, a
# loopback port, trust auth; as the postgres user when run as root) with an empty database,
# runs `/usr/bin/python3 TEST.py GSI postgresql://... ARGS...`, and removes the server and its
# directory at the end. The test's own "checks: N passed, M failed" line is
# what it prints; a server that cannot start is one failed check.
set -u
GSI=$(readlink -f "$1")
TEST=$(readlink -f "$2")
shift 2

. "$(dirname "$(readlink -f "$0")")/pg_server.sh"
TMP=$(mktemp -d /tmp/gsi-http-pg.XXXXXX)
chmod 755 "$TMP"
cleanup() {
    pg_server_stop
    rm -rf "$TMP"
}
trap cleanup EXIT

if ! pg_server_start "$TMP"; then
    echo "checks: 0 passed, 1 failed"
    exit 1
fi
echo "http_pg: PostgreSQL on 127.0.0.1:$PG_PORT"
/usr/bin/python3 "$TEST" "$GSI" "$PG_URL" "$@"
