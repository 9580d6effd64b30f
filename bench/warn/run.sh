#!/usr/bin/env bash
# The early-warning benchmark and the rolling-origin evaluation.
#
# 1. Time: the whole three-year backtest (2020, 2021, 2022; the four ViEWS challenge
#    benchmarks and the gsi model; 1,000 draws per country-month; 5 x 3 x 2,292
#    country-months) on the shipped actuals, wall-clock, 2 threads pinned to 2 cores when
#    taskset is available. Target: under a minute on 2 cores.
# 2. The rolling-origin table: the gsi model against each benchmark in every window the
#    shipped data allow (2020-2022, 191 countries) and in the 30 windows 1993-2022 of the
#    11-country 1990-2022 history, pooled, with the 90% interval of the CRPS ratio from 1,000
#    paired bootstrap draws of countries; then each model's CRPS per situation (onset,
#    surge, steady, de-escalation) with the ablations, and the short-history test (the
#    11-country windows 2020-2022 with the history cut to 2018-01).
# 3. `gsi warn run` (actuals -> forecast -> store -> brief) on a fresh SQLite database.
#
#   bench/warn/run.sh [BUILD_DIR]      (default: build; `make bench` passes its build folder)
#
# Environment: GSI=path/to/gsi overrides the binary; REPEAT=3 runs the timing three times
# and reports the fastest.
set -euo pipefail
cd "$(dirname "$0")/../.."

build=${1:-build}
gsi=${GSI:-$build/src/cli/gsi}
repeat=${REPEAT:-3}
actuals=data/views/cm_actuals_2018_2022.csv
long=data/views/cm_11countries_1990_2022.csv
ablate=zero,conflictology,last_poisson,boot_240,gsi,gsi_capped,gsi_errors,gsi_own

die() { echo "bench/warn: $*" >&2; exit 1; }
[ -x "$gsi" ] || die "no gsi binary at $gsi: build first (make build)"
[ -f "$actuals" ] && [ -f "$long" ] || die "missing $actuals or $long"
case $repeat in '' | *[!0-9]* | 0) die "REPEAT must be a positive whole number" ;; esac

pin=()
if command -v taskset >/dev/null 2>&1 && [ "$(nproc)" -ge 2 ]; then
    pin=(taskset -c 0,1)
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
out=$tmp/out
best=""
for _ in $(seq "$repeat"); do
    t0=$(date +%s.%N)
    "${pin[@]}" "$gsi" warn backtest --actuals "$actuals" --years 2020,2021,2022 --models all \
        --seed 1 --threads 2 >"$out"
    t1=$(date +%s.%N)
    t=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')
    if [ -z "$best" ] || awk -v t="$t" -v b="$best" 'BEGIN { exit !(t < b) }'; then
        best=$t
    fi
done
cat "$out"
echo "warn backtest: $best s (3 years x 5 models, fastest of $repeat; target < 60 s on 2 cores)"

echo
echo "Rolling origin, 191 countries, windows 2020-2022 (ratio = gsi / benchmark CRPS):"
"$gsi" warn backtest --actuals "$actuals" --years 2020,2021,2022 --threads 2 --bootstrap 1000
echo
echo "Rolling origin, 11 countries 1990-2022, windows 1993-2022:"
years=$(seq -s, 1993 2022)
"$gsi" warn backtest --actuals "$long" --years "$years" --threads 2 --bootstrap 1000
echo
echo "Mean CRPS per situation, 191 countries, 2020-2022 (with the ablations):"
"$gsi" warn backtest --actuals "$actuals" --years 2020,2021,2022 --threads 2 --models "$ablate" \
    --by-situation
echo
echo "Mean CRPS per situation, 11 countries, 1993-2022:"
"$gsi" warn backtest --actuals "$long" --years "$years" --threads 2 --models "$ablate" \
    --by-situation
echo
echo "Short history: 11 countries, windows 2020-2022, history from 1990 vs from 2018-01:"
awk -F, 'NR == 1 || $1 >= 457' "$long" >"$tmp/short.csv"
"$gsi" warn backtest --actuals "$long" --years 2020,2021,2022 --threads 2 --bootstrap 1000 |
    grep -E '^(window|pooled)'
"$gsi" warn backtest --actuals "$tmp/short.csv" --years 2020,2021,2022 --threads 2 \
    --bootstrap 1000 | grep -E '^(window|pooled)'

echo
"$gsi" init --db "$tmp/gsi.db" >/dev/null
t0=$(date +%s.%N)
"$gsi" warn run --db "$tmp/gsi.db" --actuals "$actuals" --top 5 >/dev/null 2>"$tmp/run.err"
t1=$(date +%s.%N)
cat "$tmp/run.err"
awk -v a="$t0" -v b="$t1" 'BEGIN { printf "warn run: %.2f s wall-clock (actuals -> forecast -> store -> brief)\n", b - a }'
