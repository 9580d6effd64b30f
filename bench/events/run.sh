#!/usr/bin/env bash
# The event engine benchmark: one query, `summarize --by country,day` with all measures, over a
# corpus of at least 1 GiB of GDELT 2.0 exports, in GSI, in DuckDB (all cores) and in pandas,
# one after another in one run. It checks that the three outputs agree, then prints each tool's
# wall time, peak resident memory and GSI's speed-up over it, with `wc -l` on the same file as
# the floor: no tool that reads every byte of the file can be much faster than that.
#
#   bench/events/run.sh [BUILD]
#
# BUILD is the Meson build folder whose src/cli/gsi is measured (default build-release, set up
# as a release build and built when the binary is missing).
#
# Environment (all optional):
#   GSI=PATH                  the binary under test, instead of BUILD/src/cli/gsi
#   CROSSWALK="data/ref/countries.csv data/ref/fips_aliases.csv"
#                             FIPS -> ISO3 crosswalk files for the peers (columns fips, iso3),
#                             the same tables GSI compiles in; the first file with a code wins
#   BENCH_MIB=1024            corpus size, see make_corpus.sh
#   REPEAT=1                  runs per tool; the table shows the fastest time and the largest
#                             peak memory
#   THREADS=$(nproc)          DuckDB's threads
#
# Needs scripts/deps.sh bench (GNU time, pandas, Node and bench/node_modules). Outputs and a
# machine-readable results.csv go to bench/out/events/. Exits 1 when the tools disagree, when
# one of them fails, or when GSI could not be measured (the peers still run and are compared).
set -euo pipefail
cd "$(dirname "$0")/../.."

build=${1:-build-release}
gsi=${GSI:-$build/src/cli/gsi}
crosswalk=${CROSSWALK:-data/ref/countries.csv data/ref/fips_aliases.csv}
repeat=${REPEAT:-1}
threads=${THREADS:-$(nproc)}
out=bench/out/events
mkdir -p "$out"

die() { echo "bench/events: $*" >&2; exit 1; }
[ -x /usr/bin/time ] || die "GNU time is missing (/usr/bin/time): run scripts/deps.sh bench"
[ -d bench/node_modules/@duckdb/node-api ] || die "bench/node_modules is missing: run scripts/deps.sh bench"
case $repeat in '' | *[!0-9]* | 0) die "REPEAT must be a positive whole number" ;; esac

# One copy of the crosswalk for both peers, so that an edit during the run cannot split them.
xw_args=()
i=0
for f in $crosswalk; do
    [ -f "$f" ] || die "crosswalk $f is missing (set CROSSWALK=\"FILE...\")"
    cp "$f" "$out/crosswalk-$i.csv"
    xw_args+=(--crosswalk "$out/crosswalk-$i.csv")
    i=$((i + 1))
done
[ $i -gt 0 ] || die "CROSSWALK names no file"

corpus=$(bench/events/make_corpus.sh)
bytes=$(stat -c %s "$corpus")

# The engine, if it can be had: build the release binary when it is missing, and leave GSI out
# of the run (with a note) while `gsi events summarize` does not exist yet.
have_gsi=1
if [ ! -x "$gsi" ] && [ -z "${GSI:-}" ] && command -v meson >/dev/null; then
    echo "bench/events: building $gsi" >&2
    if [ -f "$build/build.ninja" ] || meson setup "$build" --buildtype=release >/dev/null; then
        ninja -C "$build" >/dev/null || echo "bench/events: building $gsi failed" >&2
    fi
fi
if [ ! -x "$gsi" ] || ! "$gsi" events summarize --help >/dev/null 2>&1; then
    echo "bench/events: $gsi events summarize is not available; measuring the peers only" >&2
    have_gsi=0
fi

# Every tool reads the file from the page cache, none from the disk.
cat "$corpus" >/dev/null

# measure NAME OUTFILE CMD...: runs CMD REPEAT times with its standard output in OUTFILE and
# appends "NAME seconds peak_KiB cpu_seconds" to $out/times.txt. The wall time is taken here
# with nanosecond resolution; GNU time gives the peak resident set size of CMD (the largest of
# its process and any child it waited for) and its user + system CPU time, which says how much
# of the wall time was work on a machine shared with other jobs.
measure() {
    local name=$1 dest=$2
    shift 2
    local best="" cpu="" peak=0 i t0 t1 secs rss c
    for ((i = 0; i < repeat; i++)); do
        t0=$(date +%s%N)
        if ! /usr/bin/time -f '%M %U %S' -o "$out/$name.time" "$@" >"$dest" 2>"$out/$name.err"; then
            cat "$out/$name.err" >&2
            die "$name failed: $*"
        fi
        t1=$(date +%s%N)
        secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", (b - a) / 1e9 }')
        read -r rss c < <(tail -n 1 "$out/$name.time" | awk '{ printf "%s %.2f\n", $1, $2 + $3 }')
        if [ -z "$best" ] || awk -v a="$secs" -v b="$best" 'BEGIN { exit !(a < b) }'; then
            best=$secs
            cpu=$c
        fi
        [ "$rss" -gt "$peak" ] && peak=$rss
        echo "bench/events: $name run $((i + 1)): $secs s wall, $c s CPU, $rss KiB" >&2
    done
    echo "$name $best $peak $cpu" >>"$out/times.txt"
}

: >"$out/times.txt"
echo "bench/events: corpus $corpus ($bytes bytes), $(nproc) cores, REPEAT=$repeat" >&2
measure wc_l "$out/wc_l.txt" wc -l "$corpus"
if [ $have_gsi = 1 ]; then
    measure gsi "$out/gsi.csv" "$gsi" events summarize "$corpus" --by country,day --format csv
fi
measure duckdb "$out/duckdb.stdout" node bench/events/duckdb_query.mjs "${xw_args[@]}" \
    --threads "$threads" --out "$out/duckdb.csv" "$corpus"
measure pandas "$out/pandas.stdout" /usr/bin/python3 bench/events/pandas_query.py \
    "${xw_args[@]}" --out "$out/pandas.csv" "$corpus"

agree=0
outputs=()
[ $have_gsi = 1 ] && outputs+=("gsi=$out/gsi.csv")
outputs+=("duckdb=$out/duckdb.csv" "pandas=$out/pandas.csv")
/usr/bin/python3 bench/events/compare.py "${outputs[@]}" || agree=1

# The table. Speed-up is the tool's time over GSI's: how many times faster GSI is.
awk -v bytes="$bytes" -v corpus="$corpus" -v lines="$(cut -d' ' -f1 "$out/wc_l.txt")" '
    { name[NR] = $1; secs[NR] = $2; kib[NR] = $3; cpu[NR] = $4; if ($1 == "gsi") g = $2 }
    END {
        label["wc_l"] = "wc -l (floor)"; label["gsi"] = "GSI"
        label["duckdb"] = "DuckDB"; label["pandas"] = "pandas"
        printf "\nsummarize --by country,day over %s (%.0f MiB, %d events)\n\n",
               corpus, bytes / 1048576, lines
        printf "%-14s %9s %9s %10s %9s %12s\n", "tool", "seconds", "CPU s", "peak MiB", "MiB/s",
               "GSI speed-up"
        for (i = 1; i <= NR; i++) {
            up = (g > 0 && name[i] != "gsi" && name[i] != "wc_l") ? sprintf("%.1fx", secs[i] / g) : "-"
            if (name[i] == "wc_l") w = secs[i]
            printf "%-14s %9.3f %9.2f %10.1f %9.0f %12s\n", label[name[i]], secs[i], cpu[i],
                   kib[i] / 1024,
                   (secs[i] > 0 ? bytes / 1048576 / secs[i] : 0), up
        }
        if (g > 0 && w > 0) printf "\nGSI takes %.2fx the wc -l floor.\n", g / w
        # The targets of the event engine (issue 2, "Fast").
        for (i = 1; i <= NR; i++) {
            if (g <= 0) break
            if (name[i] == "duckdb") t = t sprintf("%s %.1fx DuckDB (target 4x)", t ? "," : "", secs[i] / g) \
                (secs[i] / g >= 4 ? " met" : " NOT met")
            if (name[i] == "pandas") t = t sprintf("%s %.1fx pandas (target 15x)", t ? "," : "", secs[i] / g) \
                (secs[i] / g >= 15 ? " met" : " NOT met")
            if (name[i] == "gsi") t = t sprintf("%s %.1f MiB peak (target < 64)", t ? "," : "", kib[i] / 1024) \
                (kib[i] < 64 * 1024 ? " met" : " NOT met")
        }
        if (t) print "Targets:" t "."
    }' "$out/times.txt"

{
    echo "tool,seconds,cpu_seconds,peak_mib,bytes"
    awk -v bytes="$bytes" '{ printf "%s,%s,%s,%.1f,%s\n", $1, $2, $4, $3 / 1024, bytes }' "$out/times.txt"
} >"$out/results.csv"

if [ $agree -ne 0 ]; then
    die "the outputs disagree (see above); they are in $out/"
fi
[ $have_gsi = 1 ] || die "GSI was not measured: $gsi events summarize is not available"
