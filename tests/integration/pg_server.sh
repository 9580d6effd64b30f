# pg_server.sh — a throwaway PostgreSQL server for the integration tests (source it).
#
#     . tests/integration/pg_server.sh
#     pg_server_start "$TMP" || exit 1   # sets PG_PORT and PG_URL (database "gsi")
#     ...
#     pg_server_stop                     # in the caller's EXIT trap, before rm -rf "$TMP"
#
# initdb and pg_ctl (the newest /usr/lib/postgresql/*/bin) make a cluster in DIR/pg with trust
# authentication, listening on 127.0.0.1 only, on a random port from 20000-49999 (five tries),
# with its socket in DIR/pg; as the postgres user through runuser when run as root (PostgreSQL
# refuses to run as root), so DIR must be reachable by that user (chmod 755). The caller owns
# DIR and removes it; pg_server_stop stops the server at once (-m immediate: nothing in it is
# kept). A failure says why on stderr and returns 1.

PG_SERVER_BIN=
PG_SERVER_DATA=
PG_SERVER_RUN=(env)
PG_PORT=
PG_URL=

pg_server_start() {
    local dir=$1 started= _
    PG_SERVER_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
    if [ -z "$PG_SERVER_BIN" ] || [ ! -x "$PG_SERVER_BIN/initdb" ]; then
        echo "pg_server: PostgreSQL server binaries not found under /usr/lib/postgresql" >&2
        return 1
    fi
    mkdir -p "$dir/pg" || return 1
    if [ "$(id -u)" -eq 0 ]; then
        PG_SERVER_RUN=(runuser -u postgres --)
        chown postgres "$dir/pg" || return 1
    else
        PG_SERVER_RUN=(env)
    fi
    if ! "${PG_SERVER_RUN[@]}" "$PG_SERVER_BIN/initdb" -D "$dir/pg/data" -A trust -U postgres \
        >"$dir/initdb.log" 2>&1; then
        cat "$dir/initdb.log" >&2
        echo "pg_server: initdb failed" >&2
        return 1
    fi
    PG_SERVER_DATA=$dir/pg/data
    for _ in 1 2 3 4 5; do
        PG_PORT=$((20000 + RANDOM % 30000))
        if "${PG_SERVER_RUN[@]}" "$PG_SERVER_BIN/pg_ctl" -D "$PG_SERVER_DATA" -l "$dir/pg/log" \
            -w -t 60 -o "-p $PG_PORT -k $dir/pg -c listen_addresses=127.0.0.1 -c max_connections=200" \
            start >/dev/null 2>&1; then
            started=1
            break
        fi
    done
    if [ -z "$started" ]; then
        cat "$dir/pg/log" >&2
        echo "pg_server: pg_ctl start failed" >&2
        PG_SERVER_DATA=
        return 1
    fi
    if ! "${PG_SERVER_RUN[@]}" "$PG_SERVER_BIN/createdb" -h 127.0.0.1 -p "$PG_PORT" -U postgres gsi; then
        echo "pg_server: createdb failed" >&2
        pg_server_stop
        return 1
    fi
    PG_URL="postgresql://postgres@127.0.0.1:$PG_PORT/gsi"
    return 0
}

pg_server_stop() {
    if [ -n "$PG_SERVER_DATA" ]; then
        "${PG_SERVER_RUN[@]}" "$PG_SERVER_BIN/pg_ctl" -D "$PG_SERVER_DATA" -m immediate -w stop \
            >/dev/null 2>&1
        PG_SERVER_DATA=
    fi
}
