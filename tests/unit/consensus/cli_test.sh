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

# --compare: the adjusted Rand index against Polis's group-id equals the one computed here from
# the JSON groups with the textbook formula (Hubert & Arabie 1985), in python3 without numpy.
"$gsi" consensus --votes "$bx/votes.csv" --comments "$bx/comments.csv" --replay 60 \
    --compare "$bx/participants-votes.csv" --format json > "$tmp/c.json"
check "compare exit 0" test $? -eq 0
check "compare ARI equals the formula" /usr/bin/python3 -c '
import csv, json, sys
from math import comb
d = json.load(open(sys.argv[1]))
ours = {p["id"]: p["group"] for p in d["participants"]}
ref = {int(r["participant"]): int(r["group-id"])
       for r in csv.DictReader(open(sys.argv[2])) if r["group-id"] != ""}
pairs = [(ours[p], g) for p, g in ref.items() if ours.get(p) is not None]
n = len(pairs)
cell, a, b = {}, {}, {}
for x, y in pairs:
    cell[x, y] = cell.get((x, y), 0) + 1
    a[x] = a.get(x, 0) + 1
    b[y] = b.get(y, 0) + 1
sij = sum(comb(v, 2) for v in cell.values())
sa = sum(comb(v, 2) for v in a.values())
sb = sum(comb(v, 2) for v in b.values())
exp = sa * sb / comb(n, 2)
ari = (sij - exp) / ((sa + sb) / 2 - exp)
r = d["reference"]
assert r["grouped_both"] == n and r["groups"] == len(set(ref.values())), (r, n)
assert abs(r["adjusted_rand_index"] - ari) < 1e-12, (r, ari)
' "$tmp/c.json" "$bx/participants-votes.csv"
"$gsi" consensus --votes "$bx/votes.csv" --replay 60 --compare "$bx/participants-votes.csv" \
    > "$tmp/c.txt"
check "compare in the table" grep -q "adjusted Rand index 0\.[0-9][0-9][0-9] over the" "$tmp/c.txt"
"$gsi" consensus --votes "$bx/votes.csv" --compare "$bx/participants-votes.csv" --format csv \
    2> /dev/null
check "compare with csv is a usage error" test $? -eq 2
awk -F, 'BEGIN {OFS = ","} NR > 1 {$2 = ""} {print}' "$bx/participants-votes.csv" > "$tmp/nogroups.csv"
"$gsi" consensus --votes "$bx/votes.csv" --compare "$tmp/nogroups.csv" 2> "$tmp/err.txt"
check "compare without groups exit 65" test $? -eq 65
check "compare without groups names the file" grep -q "nogroups.csv: .*no participant to a group" "$tmp/err.txt"

echo "checks: $pass passed, $fail failed"
test "$fail" -eq 0
