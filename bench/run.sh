#!/usr/bin/env bash
# make bench: every engine's benchmark against its peer, one after another.
#   bench/run.sh [BUILD_DIR]          all of them
#   BENCH_ONLY="events warn" bench/run.sh   a subset
# Each part prints its own table of times, peak memory and ratios; no part asserts a time.
set -uo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
export GSI="$PWD/$build/src/cli/gsi"
parts=${BENCH_ONLY:-events warn consensus http tlog procedures coop consult}
status=0
for part in $parts; do
    echo
    echo "================ bench: $part ================"
    if ! "bench/$part/run.sh"; then
        echo "bench: $part failed" >&2
        status=1
    fi
done
exit $status
