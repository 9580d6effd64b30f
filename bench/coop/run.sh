#!/bin/sh
# `make bench` for the cooperation engine: the max-min fair allocation of training places
# (docs/internals/cooperation.md), against the same allocation by LP progressive filling in
# scipy (bench/coop/peer.py) on the identical instance, where the peer finishes in time.
#   training  5,000 places (250 offers x 20) among 193 parties x 20 domains x 10 languages
#             (one request per party, domain and language: 38,600 requests)
#   million   1,000,000 requests of 193 parties for 100,000 places in 5,000 offers
#             (peer skipped: its LP would not fit this machine's time)
#   small     400 places, 30 parties x 5 domains x 3 languages
# Prints for each the fastest of 5 runs (wall and CPU time) and, with the peer, the ratio;
# the sorted share vectors of both must agree (same "vector" checksum). No time is asserted.
#   bench/coop/run.sh [--quick]    (--quick: training and small only)
# Then bench/coop/acts.py: 200 cooperation acts from 32 HTTP clients with 500 open requests.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/gsi-bench-coop.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
"$here/build.sh" "$tmp/bench"
py=/usr/bin/python3
have_peer=yes
$py -c 'import numpy, scipy' 2>/dev/null || have_peer=no

run_case() { # name peer(yes|no) bench-args...
    name=$1 peer=$2
    shift 2
    echo "== coop: $name (load: $(cut -d' ' -f1-3 /proc/loadavg))"
    "$tmp/bench" "$@" --dump "$tmp/$name.inst" --repeat 5 | tee "$tmp/$name.gsi"
    if [ "$peer" = yes ] && [ "$have_peer" = yes ]; then
        timeout 900 $py "$here/peer.py" "$tmp/$name.inst" | tee "$tmp/$name.peer" || {
            echo "peer: did not finish in 900 s"; return 0; }
        awk -v name="$name" '
            FILENAME ~ /gsi$/ { for (i = 1; i <= NF; i++) { if ($i == "allocate") g = $(i + 1);
                                if ($i == "cpu") gc = $(i + 1); if ($i == "vector") gv = $(i + 1) } }
            FILENAME ~ /peer$/ { for (i = 1; i <= NF; i++) { if ($i == "peer") p = $(i + 1);
                                 if ($i == "cpu") pc = $(i + 1); if ($i == "vector") pv = $(i + 1) } }
            END { printf "ratio %s: peer %.3f s / GSI %.4f s = %.0fx wall, %.0fx cpu; vectors %s\n",
                         name, p, g, p / g, pc / gc, (gv == pv ? "agree" : "DIFFER") }
        ' "$tmp/$name.gsi" "$tmp/$name.peer"
    elif [ "$peer" = yes ]; then
        echo "peer: skipped (needs /usr/bin/python3 with numpy and scipy; scripts/deps.sh)"
    fi
    rm -f "$tmp/$name.inst"
}

run_case small yes 30 5 3 40 10 0
run_case training yes 193 20 10 250 20 0
if [ "${1:-}" != --quick ]; then
    run_case million no 193 20 10 5000 20 1000000
fi
# Cooperation acts arriving together over HTTP, each followed by the allocation re-run
# (bench/coop/acts.py; needs the gsi binary: $GSI, as bench/run.sh sets it, or build/).
gsi=${GSI:-$here/../../build/src/cli/gsi}
if [ -x "$gsi" ]; then
    echo "== coop: acts over HTTP (load: $(cut -d' ' -f1-3 /proc/loadavg))"
    $py "$here/acts.py" "$gsi"
else
    echo "coop acts: skipped (build gsi first: no $gsi)"
fi
