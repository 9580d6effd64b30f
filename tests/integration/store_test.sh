#!/usr/bin/env bash
# store_test.sh GSI STORE_WRITER sqlite|postgresql — the store and journal integration suite.
#
# Runs the same checks against SQLite or a PostgreSQL server started by pg_server.sh (initdb +
# pg_ctl in a temporary directory, loopback port, trust auth; as the postgres user when run as
# root) and removed at the end. Prints "checks: N passed, M failed"; exits 1 if any failed.
set -u
GSI=$(readlink -f "$1")
WRITER=$(readlink -f "$2")
BACKEND=$3
. "$(dirname "$(readlink -f "$0")")/checks.sh"
. "$(dirname "$(readlink -f "$0")")/pg_server.sh"
TMP=$(mktemp -d /tmp/gsi-store-test.XXXXXX)
chmod 755 "$TMP"
WORK=$TMP/work
mkdir -p "$WORK"
cd "$WORK" || exit 1
cleanup() {
    pg_server_stop
    rm -rf "$TMP"
}
trap cleanup EXIT

if [ "$BACKEND" = postgresql ]; then
    if ! pg_server_start "$TMP"; then
        echo "checks: 0 passed, 1 failed"
        exit 1
    fi
    DB=$PG_URL
    sql() { psql -X -q -At -v ON_ERROR_STOP=1 "$DB" -c "$1"; }
    echo "store_test: PostgreSQL on 127.0.0.1:$PG_PORT"
else
    DB=$WORK/gsi.db
    sql() { sqlite3 "$DB" "$1"; }
fi

G() { "$GSI" "$@" --db "$DB"; }

# --- a database that is not there is not created by opening it ---
if [ "$BACKEND" = sqlite ]; then
    out=$("$GSI" serve --listen 127.0.0.1:0 --db "$WORK/missing.db" 2>&1)
    rc=$?
    check "serve on a missing database fails" test $rc -ne 0
    check "serve leaves no file behind" test ! -e "$WORK/missing.db"
    check "the message says to run gsi init --db PATH" grep -qF "run gsi init --db $WORK/missing.db" <<<"$out"
    out=$("$GSI" journal verify --db "$WORK/missing.db" 2>&1)
    check "other commands leave no file behind either" test ! -e "$WORK/missing.db"
fi

# --- init ---
out=$(G init 2>&1)
echo "$out"
# 193 member states + 2 observers + 7 UN bodies + 14 organisations (data/parties/organisations.csv)
check "init seeds 216 parties" grep -q "216 parties" <<<"$out"
check "193 UN member states" test "$(sql "SELECT COUNT(*) FROM parties WHERE kind = 'state'")" = 193
check "2 observer states" test "$(sql "SELECT COUNT(*) FROM parties WHERE kind = 'observer'")" = 2
# AU lists its 54 UN member states; OSCE has 57 participating States (osce.org)
check "AU has 54 member states" test "$(sql "SELECT COUNT(*) FROM party_members WHERE org = 'AU'")" = 54
check "OSCE has 57 participating states" test "$(sql "SELECT COUNT(*) FROM party_members WHERE org = 'OSCE'")" = 57
size1=$(sql "SELECT size FROM journal_head")
out=$(G init 2>&1)
check "init again changes nothing" test "$(sql "SELECT size FROM journal_head")" = "$size1"
check "--help works" "$GSI" init --help >/dev/null

# --- deferred statements and many-row inserts in the store itself ---
out=$("$WRITER" batch --db "$DB" 2>&1)
echo "$out"
check "deferred statements and store_insert_many behave on $BACKEND" grep -q "^batch: ok" <<<"$out"

# --- keys and delegates ---
"$GSI" keygen --name wang@mfa.example --out "$WORK/wang" >"$WORK/wang.out" 2>/dev/null
check "keygen writes a private key readable only by its owner" test "$(stat -c %a "$WORK/wang")" = 600
check "keygen prints the verifier key" grep -q '^wang@mfa.example+[0-9a-f]\{8\}+' "$WORK/wang.out"
"$GSI" keygen --name wang@mfa.example --out "$WORK/wang" >/dev/null 2>&1
check "keygen refuses to overwrite a key" test $? -ne 0
out=$(G delegate add --party CHN --role delegate --name "Wang Yi" --pubkey-file "$WORK/wang.pub" 2>/dev/null)
token=$(awk '$1 == "token" {print $2}' <<<"$out")
did=$(awk '$1 == "delegate" {print $2}' <<<"$out")
check "delegate add prints a token" grep -q '^gsi_[A-Za-z0-9_-]\{43\}$' <<<"$token"
# The stored hash is SHA-256 of the token (checked with sha256sum, not with the program).
want=$(printf %s "$token" | sha256sum | cut -d' ' -f1)
check "only the token's SHA-256 is stored" test "$(sql "SELECT token_hash FROM delegates WHERE id = $did")" = "$want"
check "the token itself is not in the database" test "$(sql "SELECT COUNT(*) FROM delegates WHERE token_hash = '$token'")" = 0
G delegate add --party ZZZ --role delegate --name X >/dev/null 2>&1
check "an unknown party is refused" test $? -eq 1
G delegate add --party CHN --role king --name X >/dev/null 2>&1
check "an unknown role is a usage error" test $? -eq 2
out2=$(G delegate add --party IND --role observer --name "Observer" 2>/dev/null)
did2=$(awk '$1 == "delegate" {print $2}' <<<"$out2")
G delegate revoke "$did2" >/dev/null
check "revoke marks the delegate" test -n "$(sql "SELECT revoked FROM delegates WHERE id = $did2")"
G delegate revoke "$did2" >/dev/null 2>&1
check "revoking twice is refused" test $? -ne 0

# --- journal ---
out=$(G journal verify)
check "journal verify passes" grep -q "journal: verified" <<<"$out"
note=$(G journal checkpoint)
jsize=$(sql "SELECT COUNT(*) FROM journal")
check "checkpoint's size line is the journal's size" test "$(sed -n 2p <<<"$note")" = "$jsize"
check "checkpoint is signed by the log" grep -q "^— gsi.local/log " <<<"$note"

# --- kill -9 in a burst of writes ---
"$WRITER" burst --db "$DB" --threads 16 --count 100000 >"$WORK/acks" 2>"$WORK/burst.err" &
wpid=$!
sleep 2
kill -9 "$wpid"
wait "$wpid" 2>/dev/null
nacks=$(grep -c '^ack ' "$WORK/acks")
echo "store_test: $nacks writes acknowledged before kill -9"
check "writes were acknowledged before the kill" test "$nacks" -gt 100
out=$("$WRITER" check --db "$DB" "$WORK/acks")
echo "$out"
check "no acknowledged write is lost after kill -9" test $? -eq 0
out=$(G journal verify)
check "journal verify passes after kill -9" grep -q "journal: verified" <<<"$out"

# --- scale-out: two writer processes on one database ---
before=$(sql "SELECT size FROM journal_head")
"$WRITER" burst --db "$DB" --threads 8 --count 50 >"$WORK/a1" 2>"$WORK/e1" &
p1=$!
"$WRITER" burst --db "$DB" --threads 8 --count 50 >"$WORK/a2" 2>"$WORK/e2" &
p2=$!
wait "$p1"; r1=$?
wait "$p2"; r2=$?
cat "$WORK/e1" "$WORK/e2"
check "two writer processes both succeed" test "$r1" -eq 0 -a "$r2" -eq 0
after=$(sql "SELECT size FROM journal_head")
check "the journal grew by exactly 800 entries" test $((after - before)) -eq 800
check "indices are unique across the two processes" test "$(cat "$WORK/a1" "$WORK/a2" | awk '{print $3}' | sort -u | wc -l)" -eq 800
out=$(G journal verify)
check "one consistent log after concurrent writers" grep -q "journal: verified" <<<"$out"

# --- record ids: given by the write path, yet the database's own default still fits ---
# (an older gsi inserting without an id must not collide with the ids given out)
maxid=$(sql "SELECT MAX(id) FROM records")
newid=$(sql "INSERT INTO records (type, party, delegate, created, confidential, audience, payload, journal_index) VALUES ('t.t', 'CHN', 0, 'x', 0, '', '{}', 0) RETURNING id" | head -1)
check "a default record id comes after the given ones ($newid > $maxid)" test -n "$newid" -a "${newid:-0}" -gt "$maxid"
sql "DELETE FROM records WHERE id = ${newid:-0}" >/dev/null

# --- tampering is found and named ---
rid=$(sql "SELECT MIN(id) FROM records WHERE type = 'test.write'")
sql "UPDATE records SET payload = REPLACE(payload, 'thread', 'thread ') WHERE id = $rid" >/dev/null
out=$(G journal verify)
rc=$?
check "a changed byte in a record fails verify" test $rc -ne 0
check "the changed record is named" grep -q "record $rid (entry" <<<"$out"
sql "UPDATE records SET payload = REPLACE(payload, 'threadX', 'thread') WHERE id = $rid" >/dev/null
sql "UPDATE records SET payload = REPLACE(payload, 'thread ', 'thread') WHERE id = $rid" >/dev/null
out=$(G journal verify)
check "restoring the byte makes verify pass" grep -q "journal: verified" <<<"$out"
sql "UPDATE parties SET name = 'Chinaa' WHERE id = 'CHN'" >/dev/null
out=$(G journal verify)
check "a changed party is named" grep -q "party CHN" <<<"$out"
sql "UPDATE parties SET name = 'China' WHERE id = 'CHN'" >/dev/null
rid2=$(sql "SELECT MAX(id) FROM records")
sql "DELETE FROM records WHERE id = $rid2" >/dev/null
out=$(G journal verify)
check "a deleted record is named" grep -q "record/$rid2 (entry" <<<"$out"

# --- a database behind its checkpoint file is refused ---
G journal checkpoint >/dev/null
top=$(sql "SELECT size FROM journal_head")
sql "DELETE FROM journal WHERE idx = $((top - 1)); DELETE FROM journal_nodes WHERE idx >= $((top - 1)) AND level = 0; UPDATE journal_head SET size = $((top - 1)); DELETE FROM checkpoints WHERE size = $top" >/dev/null
out=$(G journal verify 2>&1)
check "opening a database behind its checkpoint is refused" grep -q "behind its last signed checkpoint" <<<"$out"
G delegate list >/dev/null 2>&1
check "every command refuses it" test $? -ne 0

checks_finish
