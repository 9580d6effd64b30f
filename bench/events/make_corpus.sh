#!/usr/bin/env bash
# Builds the event benchmark corpus: one GDELT 2.0 export file of at least BENCH_MIB MiB
# (default 1024) made by repeating the shipped exports tests/data/gdelt/*.export.CSV whole,
# in name order, as many times as needed. Whole repetitions keep every row intact and make the
# expected counts an exact multiple of the shipped ones.
#
#   bench/events/make_corpus.sh            prints the corpus path on standard output
#   BENCH_MIB=64 bench/events/make_corpus.sh
#
# The corpus is reused when it already exists with exactly the size this run would write, so
# repeated `make bench` runs do not rewrite a gigabyte each time.
# GDELT_SRC=DIR reads the exports from another folder (default tests/data/gdelt).
set -euo pipefail
cd "$(dirname "$0")/../.."

src_dir=${GDELT_SRC:-tests/data/gdelt}
out_dir=bench/corpus
mib=${BENCH_MIB:-1024}

case $mib in
    '' | *[!0-9]* | ???????*) echo "make_corpus: BENCH_MIB must be a whole number of MiB below 1000000, got '$mib'" >&2; exit 2 ;;
esac
mib=$((10#$mib))
[ "$mib" -ge 1 ] || { echo "make_corpus: BENCH_MIB must be at least 1" >&2; exit 2; }

shopt -s nullglob
inputs=("$src_dir"/*.export.CSV)
shopt -u nullglob
if [ ${#inputs[@]} -eq 0 ]; then
    echo "make_corpus: no GDELT exports in $src_dir/*.export.CSV" >&2
    exit 1
fi

set_bytes=$(cat "${inputs[@]}" | wc -c)
target=$((mib * 1024 * 1024))
reps=$(((target + set_bytes - 1) / set_bytes))
want=$((reps * set_bytes))
out="$out_dir/gdelt-${mib}mib.export.CSV"

have=$(stat -c %s "$out" 2>/dev/null || echo 0)
if [ "$have" -ne "$want" ]; then
    mkdir -p "$out_dir"
    echo "make_corpus: writing $out ($reps x ${#inputs[@]} files, $want bytes)" >&2
    tmp="$out.tmp.$$"
    trap 'rm -f "$tmp"' EXIT
    for ((i = 0; i < reps; i++)); do
        cat "${inputs[@]}"
    done >"$tmp"
    mv "$tmp" "$out"
    trap - EXIT
else
    echo "make_corpus: reusing $out ($want bytes)" >&2
fi
echo "$out"
