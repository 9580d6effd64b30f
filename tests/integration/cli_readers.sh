#!/bin/bash
# cli_readers.sh GSI — every CLI reader on inputs that never end or never begin: /dev/zero
# (endless bytes, no line end) and a FIFO that no one writes to. Each must stop on its own
# with a clear error (exit 65 for bad data, 1 for an input it refuses) rather than run or
# block forever; `timeout` is only the test's guard (exit 124 means it hung). Also: a file
# whose every row is rejected makes `events summarize` exit 65, not 0 with an empty table.
# Prints "checks: N passed, M failed".
set -u
GSI=${1:?usage: cli_readers.sh GSI}
tmp=$(mktemp -d /tmp/gsi-readers.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
pass=0
fail=0
fifo="$tmp/fifo"
mkfifo "$fifo"

# expect WANT_STATUS WHAT ARGS...: runs gsi ARGS under a 120 s guard.
expect() {
    local want=$1 what=$2
    shift 2
    timeout 120 "$GSI" "$@" >"$tmp/out" 2>"$tmp/err" </dev/null
    local got=$?
    if [ "$got" = "$want" ] && [ -s "$tmp/err" ]; then
        pass=$((pass + 1))
    else
        fail=$((fail + 1))
        echo "FAIL: $what: exit $got, want $want ($(head -c 300 "$tmp/err"))"
    fi
}

for src in /dev/zero "$fifo"; do
    expect 65 "consensus --votes $src" consensus --votes "$src"
    expect 65 "consensus --matrix $src" consensus --matrix "$src"
    expect 65 "warn forecast --actuals $src" warn forecast --actuals "$src" --year 2020 \
        --out "$tmp/f.csv"
    expect 65 "warn brief --actuals $src" warn brief --actuals "$src"
    expect 65 "warn evaluate --forecast $src" warn evaluate --actuals "$src" --forecast "$src"
    # Not a regular file: refused at once (a pipe is read with - and --input-format).
    expect 1 "events summarize $src" events summarize "$src"
done
# --comments is read after --votes, which must be good for it to be reached.
printf 'timestamp,datetime,comment-id,voter-id,vote\n1,x,1,1,1\n' >"$tmp/votes.csv"
expect 65 "consensus --comments /dev/zero" consensus --votes "$tmp/votes.csv" --comments /dev/zero
expect 65 "consensus --comments FIFO" consensus --votes "$tmp/votes.csv" --comments "$fifo"

# 50 rows, every one malformed (month_id 'xN'): exit 65 and say so.
{
    echo "month_id,country_id,ged_sb"
    for i in $(seq 1 50); do echo "x$i,abc,zz"; done
} >"$tmp/bad.csv"
expect 65 "events summarize, all rows rejected" events summarize "$tmp/bad.csv"
if grep -q "all 50 rows were rejected" "$tmp/err"; then pass=$((pass + 1)); else
    fail=$((fail + 1)); echo "FAIL: the message does not say all 50 rows were rejected"; fi
# One good row among bad ones is still a result (exit 0); month 457 is 2018-01 and
# ViEWS country 1 is Guyana (views_country_table.csv).
{
    echo "month_id,country_id,ged_sb"
    echo "457,1,3"
    echo "x,abc,zz"
} >"$tmp/some.csv"
expect 0 "events summarize, one good row" events summarize "$tmp/some.csv"
if grep -q "^GUY" "$tmp/out"; then pass=$((pass + 1)); else
    fail=$((fail + 1)); echo "FAIL: the good row is not in the summary"; fi

echo "checks: $pass passed, $fail failed"
[ "$fail" = 0 ]
