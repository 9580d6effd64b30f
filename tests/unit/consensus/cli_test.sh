#!/bin/sh
# gsi consensus end to end: output formats, the JSON fields the issue asks for (checked with
# python3's json module), exit status 65 naming the line for bad input, and byte-identical
# output whatever the thread count.
#   cli_test.sh GSI_BINARY TESTS_DATA_DIR
gsi=$1
data=$2
conv=$data/deliberation/scoop-hivemind.taxes
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0
fail=0
check() { # description, command...
    d=$1
    shift
    if "$@"; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: $d"; fi
}

"$gsi" consensus --votes "$conv/votes.csv" --comments "$conv/comments.csv" --format json \
    > "$tmp/t1.json"
check "json exit 0" test $? -eq 0
check "json fields" /usr/bin/python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert all(k in d for k in ("participants", "groups", "common_ground", "differences"))
p = d["participants"]
assert len(p) == 334 and all(set(("id", "group", "x", "y")) <= set(q) for q in p)
assert any(q["group"] is None for q in p) and any(q["group"] == 0 for q in p)
assert len(d["groups"]) == 2 and sum(g["size"] for g in d["groups"]) == 293
cg = [s["consensus"] for s in d["common_ground"]]
assert cg == sorted(cg, reverse=True) and len(cg) == 10
' "$tmp/t1.json"
"$gsi" consensus --votes "$conv/votes.csv" --comments "$conv/comments.csv" --format json \
    --threads 1 > "$tmp/t2.json"
check "same output with 1 thread" cmp -s "$tmp/t1.json" "$tmp/t2.json"
"$gsi" consensus --matrix "$conv/participants-votes.csv" --comments "$conv/comments.csv" \
    --format csv > "$tmp/t.csv"
check "csv rows" test "$(/usr/bin/python3 -c 'import csv,sys; print(len(list(csv.reader(open(sys.argv[1])))))' "$tmp/t.csv")" -eq 149
"$gsi" consensus --votes "$conv/votes.csv" > "$tmp/t.txt"
check "table" grep -q "^Common ground" "$tmp/t.txt"

printf 'timestamp,comment-id,voter-id,vote\n1,0,0,1\n2,0,1,2\n' > "$tmp/bad.csv"
"$gsi" consensus --votes "$tmp/bad.csv" 2> "$tmp/err.txt"
check "bad vote exit 65" test $? -eq 65
check "bad vote names line 3" grep -q "bad.csv:3:" "$tmp/err.txt"
head -c 5000 "$conv/votes.csv" > "$tmp/trunc.csv"
"$gsi" consensus --votes "$tmp/trunc.csv" 2> "$tmp/err.txt"
check "truncated exit 65" test $? -eq 65
check "truncated names the line" grep -q "trunc.csv:99: .*truncated" "$tmp/err.txt"
"$gsi" consensus --votes "$conv/votes.csv" --comments "$data/deliberation/brexit-consensus/comments.csv" \
    2> "$tmp/err.txt"
check "unknown id exit 65" test $? -eq 65
check "unknown id message" grep -q "unknown comment-id" "$tmp/err.txt"
"$gsi" consensus 2> /dev/null
check "usage exit 2" test $? -eq 2

# --replay: brexit-consensus replayed in 60 s windows finds as many groups as Polis assigned
# (the distinct non-empty group-id values of its participants-votes.csv, counted with awk).
bx="$data/deliberation/brexit-consensus"
polis_k=$(awk -F, 'NR > 1 && $2 != "" {g[$2] = 1} END {print length(g)}' "$bx/participants-votes.csv")
"$gsi" consensus --votes "$bx/votes.csv" --comments "$bx/comments.csv" --replay 60 > "$tmp/r.txt"
check "replay finds Polis's group count" grep -q ", $polis_k groups\$" "$tmp/r.txt"
"$gsi" consensus --matrix "$bx/participants-votes.csv" --replay 60 2> /dev/null
check "replay without votes is a usage error" test $? -eq 2

echo "checks: $pass passed, $fail failed"
test "$fail" -eq 0
