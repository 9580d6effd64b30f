#!/usr/bin/env bash
# compare_outputs.sh OLD_GSI NEW_GSI — the same commands through two builds of gsi, compared
# byte for byte: standard output, standard error and exit status. For a change that must not
# alter behaviour (a refactoring), OLD is built from the commit before it.
#
# Inputs: every conversation in tests/data/deliberation (votes.csv where there is one, else
# participants-votes.csv) in table, csv and json, with --replay and --compare on one; events
# summarize (several keys, all formats) and convert (csv, jsonl) over tests/data's GDELT, UCDP,
# ICEWS and ViEWS files; the warn subcommands on the shipped ViEWS actuals with few samples;
# the warn subcommands again, each in every format, on the shipped panels and the UCDP
# extracts, with the usage errors their options report; cooperation match and allocate on
# the JSON files of the tests; sign, agreement verify, consultation import, notify, witness,
# events load and journal export-tiles where they run the same on both builds, and their
# usage errors; the usage errors of serve's and journal's options and journal verify; the
# --help of every command and warn subcommand (listed apart: a help text may change on
# purpose).
# Prints one line per difference and ends with "compare: N identical, M differ (H help texts
# differ, U usage messages reworded)". Exit status 1 when any other output differs.
set -uo pipefail
cd "$(dirname "$0")/.."
old=${1:?usage: compare_outputs.sh OLD_GSI NEW_GSI}
new=${2:?usage: compare_outputs.sh OLD_GSI NEW_GSI}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
same=0 differ=0 helpdiff=0 usagediff=0

fresh() { # binary: with FRESH=1, a new database made by that binary in the current directory
    [ -z "${FRESH:-}" ] && return 0
    rm -rf gsi.db gsi.db.checkpoint gsi.db.key tiles
    "$1" init >/dev/null 2>&1
}

run() { # kind, args...: kind is "out", "help" or "usage" (a usage error: its exit status and
    # standard output must match; its message, worded by the options table, may differ and is
    # listed with both wordings)
    local kind=$1
    shift
    (cd "$tmp" && fresh "$old" && "$old" "$@" >o.out 2>o.err; echo $? >o.rc)
    (cd "$tmp" && fresh "$new" && "$new" "$@" >n.out 2>n.err; echo $? >n.rc)
    if cmp -s "$tmp/o.out" "$tmp/n.out" && cmp -s "$tmp/o.err" "$tmp/n.err" &&
        cmp -s "$tmp/o.rc" "$tmp/n.rc"; then
        same=$((same + 1))
    elif [ "$kind" = help ]; then
        helpdiff=$((helpdiff + 1))
    elif [ "$kind" = usage ] && cmp -s "$tmp/o.out" "$tmp/n.out" && cmp -s "$tmp/o.rc" "$tmp/n.rc"; then
        usagediff=$((usagediff + 1))
        echo "REWORDED (exit $(cat "$tmp/n.rc")): gsi $*"
        echo "    was: $(head -n 1 "$tmp/o.err")"
        echo "    now: $(head -n 1 "$tmp/n.err")"
    else
        differ=$((differ + 1))
        echo "DIFFER: gsi $*"
    fi
}

d=$PWD/tests/data
for conv in "$d"/deliberation/*/; do
    conv=${conv%/}
    if [ -f "$conv/votes.csv" ]; then input=(--votes "$conv/votes.csv"); else
        input=(--matrix "$conv/participants-votes.csv"); fi
    for fmt in table csv json; do
        run out consensus "${input[@]}" --comments "$conv/comments.csv" --format "$fmt"
    done
    run out consensus --matrix "$conv/participants-votes.csv" --format json --top 3
done
t=$d/deliberation/scoop-hivemind.taxes
run out consensus --votes "$t/votes.csv" --comments "$t/comments.csv" --replay 60 \
    --compare "$t/participants-votes.csv"
run out consensus --votes "$t/votes.csv" --replay 60 --compare "$t/participants-votes.csv" \
    --format json --seed 7 --threads 2
run out consensus --votes "$t/votes.csv" --top x
run out consensus --votes "$t/votes.csv" --matrix "$t/participants-votes.csv"
run out consensus --votes "$d/deliberation/nonexistent.csv"

gdelt=("$d"/gdelt/*.export.CSV)
for by in country actor1,actor2 dyad,quadclass month,root source; do
    for fmt in table csv json; do
        run out events summarize "${gdelt[@]}" --by "$by" --format "$fmt"
    done
done
for f in "$d"/ucdp/*.csv "$d"/icews/*.tab "$d"/views/cm_actuals_2018_2022.csv; do
    run out events summarize "$f" --by country,year --format json
    run out events convert "$f" --to jsonl
done
run out events summarize "${gdelt[@]}" --by day --from 2024-10-22 --to 2025-01-03 --format csv
run out events convert "${gdelt[@]}" --to csv
run out events convert "${gdelt[@]}" --to jsonl
run out events convert "${gdelt[@]}" --to jsonl --until 2024-12-31 --threads 2
run out events convert "$d/ucdp/ged231_ethiopia.csv" --to csv --strict
run out events summarize "${gdelt[0]}" --by nonsense
run out events convert "${gdelt[0]}" --to xml

a=$PWD/data/views/cm_actuals_2018_2022.csv
[ -f "$a" ] || a=$d/views/cm_actuals_2018_2022.csv
run out warn forecast --actuals "$a" --year 2022 --samples 50 --out -
run out warn forecast --actuals "$a" --year 2021 --model last_poisson --samples 20 --seed 3 --out -
(cd "$tmp" && "$old" warn forecast --actuals "$a" --year 2022 --samples 50 --out f.csv >/dev/null)
for fmt in table csv json; do
    run out warn evaluate --actuals "$a" --forecast f.csv --format "$fmt"
    run out warn brief --actuals "$a" --through 2021-12 --samples 50 --top 10 --format "$fmt"
done
run out warn backtest --actuals "$a" --years 2021 --models zero,last_poisson --samples 50 \
    --threads 2 --format json

# warn on the shipped panels and on UCDP GED extracts: every subcommand, every format, and the
# usage errors its options table reports.
for a in "$PWD"/data/views/*.csv; do
    for fmt in table csv json; do
        run out warn brief --actuals "$a" --samples 40 --top 5 --format "$fmt"
        run out warn brief --actuals "$a" --through 2020-06 --samples 40 --top 0 --seed 9 \
            --format "$fmt"
        run out warn backtest --actuals "$a" --years 2022 --models zero,conflictology \
            --samples 30 --threads 1 --format "$fmt"
        run out warn evaluate --actuals "$a" --years 2021,2022 --models zero,last_poisson \
            --samples 30 --bootstrap 20 --format "$fmt"
    done
    run out warn backtest --actuals "$a" --years 2021 --models zero,last_poisson --samples 30 \
        --by-situation --format csv
    run out warn forecast --actuals "$a" --year 2022 --model boot_240 --samples 10 --out -
    run out warn backtest --actuals "$a" --years 2021,2022 --models gsi,gsi_capped,gsi_errors,gsi_own \
        --samples 40 --threads 2 --format csv
    run out warn forecast --actuals "$a" --year 2022 --model gsi_capped --samples 30 --out -
done
fc=$d/views/bm_conflictology_cm_samples_2018_2022.csv
for fmt in table csv json; do
    run out warn evaluate --actuals "$a" --forecast "$fc" --format "$fmt"
done
for g in "$d"/ucdp/ged231_*.csv; do
    for fmt in table csv json; do
        run out warn actuals --ged "$g" --actuals "$a" --compare "$a" --format "$fmt"
    done
    run out warn actuals --ged "$g" --out -
    run out warn actuals --candidate "$g" --global --from 2018-01 --to 2019-12 --out -
done
run out warn actuals --ged "$d/ucdp/ged191_syria_2016_2019.csv" --ged "$d/ucdp/ged231_ethiopia.csv" \
    --out -
for bad in "forecast --samples x" "forecast --samples 0 --actuals $a" "forecast --year 1900" \
    "forecast --actuals $a" "backtest --threads 0" "backtest --actuals $a --years 19x" \
    "backtest --actuals $a --models nope" "brief --top -1" "brief --days" "brief --format xml" \
    "brief --actuals $a --through 2020-13" "brief" "evaluate --actuals $a" "actuals --out -" \
    "run --top 5" "forecast --seed -1" "backtest --bootstrap 100001" "evaluate --unknown" \
    "nonsense" ""; do
    # shellcheck disable=SC2086 # the words of $bad are the arguments
    run out warn $bad
done

# cooperation on the JSON files of the tests: both verbs, every layout, and the errors.
cj=$d/../fuzz/corpus/coop_json
for fmt in table csv json; do
    run out cooperation match --offers "$cj/offers" --requests "$cj/requests" --format "$fmt"
    run out cooperation match --offers "$cj/both" --requests "$cj/both" --top 0 --compatible \
        --format "$fmt"
    for by in party request; do
        run out cooperation allocate --offers "$cj/offers" --requests "$cj/requests" --by "$by" \
            --format "$fmt"
        run out cooperation allocate --offers "$cj/both" --requests "$cj/both" --by "$by" \
            --format "$fmt"
    done
done
for f in bad-domain duplicate negative not-array; do
    run out cooperation match --offers "$cj/$f" --requests "$cj/requests"
    run out cooperation allocate --offers "$cj/offers" --requests "$cj/$f"
done
run out cooperation match --offers "$cj/offers"
run out cooperation match --offers "$cj/offers" --requests "$cj/requests" --db x.db
run out cooperation match --offers "$cj/offers" --requests "$cj/requests" --top -1
run out cooperation allocate extra --offers "$cj/offers" --requests "$cj/requests"
run out cooperation share
run out cooperation

# sign, agreement, consultation, notify, witness, events load and journal tiles: what runs the
# same on both builds (one key made beforehand; a fresh database for each binary where the
# command writes one), and their usage errors.
ag=$d/../fuzz/corpus/agree
tail -c +2 "$ag/body" >"$tmp/body"
tail -c +2 "$ag/bundle_signed3" >"$tmp/bundle"
(cd "$tmp" && "$new" keygen --name 'un.example/del"1' --out k >/dev/null 2>&1)
(cd "$tmp" && "$new" witness keygen --name au.example/witness --out wk >/dev/null 2>&1)
for fmt in text json csv table; do
    run out sign --key k --format "$fmt" body
    run out agreement verify --format "$fmt" bundle
done
run usage sign --key k --format xml body
run usage agreement verify --format xml bundle
run out sign --key k body body
run out sign body
run out sign --key k "$ag/body"
run out sign --key nokey body
run out agreement verify --log-key gsi.local/log+00000000+AAAA bundle
run out agreement verify bundle bundle
run out agreement verify --format json body
run out agreement verify
run out agreement export
run out agreement export 0
run out agreement export 1 2
run out agreement nonsense
run out witness vkey --key wk
run out witness vkey --key k
run out witness vkey
run out witness keygen --name x
run out witness keygen --name x --out wk
run out witness sign
t=$d/deliberation/scoop-hivemind.taxes
for fmt in text json; do
    FRESH=1 run out consultation import --comments "$t/comments.csv" --votes "$t/votes.csv" \
        --question "taxes" --format "$fmt"
done
run usage consultation import --comments "$t/comments.csv" --votes "$t/votes.csv" --format xml
FRESH=1 run out consultation import --comments "$t/comments.csv"
FRESH=1 run out consultation import --comments "$t/votes.csv" --votes "$t/comments.csv"
run out consultation export
for fmt in table csv json; do
    FRESH=1 run out events load "$d/ucdp/ged231_ethiopia.csv" "$d/icews/"*.tab --format "$fmt"
done
FRESH=1 run out events load "${gdelt[0]}" --strict
run out events load
run usage events load --bogus x
FRESH=1 run out notify "$ag/body" --party UN
FRESH=1 run out notify "$cj/offers" --party UN --format json
run out notify a b
run out notify
FRESH=1 run out journal export-tiles tiles
FRESH=1 run out journal export-tiles tiles --full
run out journal export-tiles
run out journal export-tiles a b
run out journal verify --tiles tiles
run out journal verify --tiles nowhere --vkey x --format json
run usage journal verify --tiles nowhere --vkey x --bogus

# serve's and journal's options tables: the usage errors they report (serve never starts
# here), and journal verify on a fresh database.
for bad in "--threads 0" "--threads x" "--writers 257" "--max-conns 0" "--max-conns-per-ip x" \
    "--timeout 86401" "--head-timeout 0" "--min-body-rate -1" "--checkpoint-every 86401" \
    "--public-rate 0" "--quiet=1" "--bogus" "extra" "-" "--db" "--listen" \
    "--listen nonsense" "--listen 127.0.0.1:99999" "--threads=0 --listen [::1"; do
    # shellcheck disable=SC2086 # the words of $bad are the arguments
    run usage serve $bad
done
for bad in "" "nonsense" "verify --bogus" "verify extra" "verify --db" "checkpoint --key" \
    "confirm --checkpoint" "checkpoint --db=x extra"; do
    # shellcheck disable=SC2086 # the words of $bad are the arguments
    run usage journal $bad
done
FRESH=1 run out journal verify
FRESH=1 run out journal verify --db gsi.db

for c in events consensus warn init keygen delegate journal serve cooperation sign agreement \
    witness notify consultation; do
    run help "$c" --help
done
for c in forecast evaluate backtest brief run actuals; do
    run help warn "$c" --help
done
run help events load --help
run help journal export-tiles --help
run help journal verify --help
run help journal checkpoint --help
run help journal confirm --db x --help
run help journal verify --tiles x --help
run help consultation import --help
run help agreement verify --help
run help agreement export --help
run help witness keygen --help
run help witness vkey --help
echo "compare: $same identical, $differ differ ($helpdiff help texts differ, $usagediff usage" \
    "messages reworded)"
[ "$differ" -eq 0 ]
