#!/bin/sh
# Compiles the allocation benchmark, optimised, straight from the sources (no Meson build dir
# needed): bench/coop/build.sh OUT_BINARY
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
out=${1:-/tmp/gsi-bench-coop}
${CC:-cc} -std=c11 -O3 -march=native -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE \
    -I"$root/src" "$root"/bench/coop/bench.c \
    "$root"/src/coop/alloc.c "$root"/src/coop/classes.c "$root"/src/coop/net.c \
    "$root"/src/coop/match.c "$root"/src/core/err.c "$root"/src/core/rng.c "$root"/src/core/buf.c \
    -o "$out" -lm
