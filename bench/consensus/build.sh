#!/bin/sh
# Compiles the consensus benchmark, optimised, straight from the sources (no Meson build dir
# needed): bench/consensus/build.sh OUT_BINARY
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
out=${1:-/tmp/gsi-bench-consensus}
${CC:-cc} -std=c11 -O3 -march=native -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -pthread \
    -I"$root/src" -I"$root/bench/consensus" \
    "$root"/bench/consensus/bench.c "$root"/bench/consensus/dump.c "$root"/bench/consensus/synth.c \
    "$root"/src/consensus/*.c \
    "$root"/src/core/err.c "$root"/src/core/rng.c "$root"/src/core/csv.c "$root"/src/core/text.c \
    "$root"/src/core/buf.c \
    -o "$out" -lm
