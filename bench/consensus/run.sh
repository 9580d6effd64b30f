#!/bin/sh
# `make bench` for the consensus engine: full computation at Polis's largest real size
# (33,000 participants × 783 statements, 2 million votes) and at 1,000,000 × 10,000 with 50
# million votes, warm-started recomputes ("increment" lines) and the fast incremental path
# (consensus_update, "update" lines) after 1,000 new votes, and the same computation in numpy +
# scipy + scikit-learn (bench/consensus/peer.py) on the identical matrix.
# Prints times, peak memory and the peer/GSI ratio. Targets: 0.5 s, 10 s and 4 GiB, 50 ms.
#   bench/consensus/run.sh [--quick]    (--quick: the 33,000 case only)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/gsi-bench-consensus.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
"$here/build.sh" "$tmp/bench"
py=/usr/bin/python3
have_peer=yes
$py -c 'import numpy, scipy, sklearn' 2>/dev/null || have_peer=no

run_case() { # name n m votes
    name=$1 n=$2 m=$3 votes=$4
    echo "== consensus: $name ($n participants x $m statements, $votes votes; load: $(cut -d' ' -f1-3 /proc/loadavg))"
    "$tmp/bench" "$n" "$m" "$votes" --dump "$tmp/$name" | tee "$tmp/$name.gsi"
    if [ "$have_peer" = yes ]; then
        # the peer needs about 100 bytes a vote; run it only where that fits in free memory
        need_kib=$(( votes / 10 ))
        free_kib=$(awk '/MemAvailable/ {print $2}' /proc/meminfo)
        if [ "$need_kib" -lt "$free_kib" ]; then
            $py "$here/peer.py" "$tmp/$name" "$n" "$m" | tee "$tmp/$name.peer"
            awk -v name="$name" '
                FNR == 1 && FILENAME ~ /gsi$/ { for (i = 1; i <= NF; i++) if ($i == "compute") g = $(i + 1) }
                FNR == 1 && FILENAME ~ /peer$/ { for (i = 1; i <= NF; i++) if ($i == "compute") p = $(i + 1) }
                END { if (g > 0) printf "ratio %s: peer %.3f s / GSI %.3f s = %.1fx\n", name, p, g, p / g }
            ' "$tmp/$name.gsi" "$tmp/$name.peer"
        else
            echo "peer: skipped, needs ~$((need_kib / 1024)) MiB, $((free_kib / 1024)) MiB free"
        fi
    else
        echo "peer: skipped (python3 with numpy, scipy and scikit-learn not found; scripts/deps.sh bench)"
    fi
    rm -f "$tmp/$name.coo" "$tmp/$name.groups"
}

run_case polis-largest 33000 783 2000000
if [ "${1:-}" != --quick ]; then
    run_case global 1000000 10000 50000000
fi
