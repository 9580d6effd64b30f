#!/bin/bash
# rollback_test.sh GSI — a database rolled back to an old copy with its checkpoint file
# deleted: `gsi serve` refuses to start and says so, `gsi journal verify` reports it, and
# only `gsi journal confirm` (the operator's answer) lets the server start again.
# Prints "checks: N passed, M failed".
set -u
GSI=$(cd "$(dirname "${1:?usage: rollback_test.sh GSI}")" && pwd)/$(basename "$1")
. "$(dirname "$(readlink -f "$0")")/checks.sh"
tmp=$(mktemp -d /tmp/gsi-rollback.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 1

"$GSI" init --db g.db >/dev/null 2>&1
"$GSI" delegate add --db g.db --party CHN --name a >/dev/null 2>&1
"$GSI" journal checkpoint --db g.db >/dev/null
cp g.db old.db
"$GSI" delegate add --db g.db --party IND --name b >/dev/null 2>&1
"$GSI" journal checkpoint --db g.db >/dev/null
# The rollback: the old copy back, the file that would betray it gone.
mv old.db g.db
rm -f g.db-wal g.db-shm g.db.checkpoint

timeout 60 "$GSI" serve --db g.db --listen 127.0.0.1:0 >serve.out 2>serve.err
rc=$?
check "serve refuses a rolled-back database at once (exit $rc)" test $rc -ne 0 -a $rc -ne 124
check "serve says why" grep -q "ROLLBACK CHECK FAILED" serve.err
check "serve says what to do" grep -q "gsi journal confirm" serve.err
check "serve never listened" test ! -s serve.out
timeout 60 "$GSI" journal verify --db g.db >verify.out 2>&1
rc=$?
check "verify fails (exit $rc)" test $rc -eq 1
check "verify reports the missing file" grep -q "checkpoint file g.db.checkpoint is missing" \
    verify.out
timeout 60 "$GSI" journal confirm --db g.db >confirm.out 2>confirm.err
rc=$?
check "confirm succeeds (exit $rc)" test $rc -eq 0
check "confirm prints the checkpoint it wrote" grep -q "^gsi.local/log$" confirm.out
check "the file is back" test -s g.db.checkpoint
timeout 60 "$GSI" journal verify --db g.db >verify2.out 2>&1
rc=$?
check "verify passes after confirm (exit $rc)" test $rc -eq 0
"$GSI" serve --db g.db --listen 127.0.0.1:0 >serve2.out 2>serve2.err &
pid=$!
for _ in $(seq 1 100); do
    grep -q "listening on" serve2.out 2>/dev/null && break
    sleep 0.1
done
check "serve starts after confirm" grep -q "listening on" serve2.out
kill -TERM "$pid" 2>/dev/null
wait "$pid"
rc=$?
check "serve stops cleanly (exit $rc)" test $rc -eq 0

checks_finish
