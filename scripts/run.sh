#!/usr/bin/env bash
# make run: the situation room on the shipped data. The first run creates ./gsi.db (the
# parties, the forecast of the next 12 months stored from the ViEWS/UCDP actuals, the GDELT
# sample's event counts per country and day, a real Polis conversation as an open
# consultation), prints
# the early-warning brief, and serves the dashboard and the API; later runs reuse the
# database and are serving at once (the brief stays in the dashboard's Hotspots view;
# `gsi warn run --db gsi.db ...` refreshes it).
set -euo pipefail
cd "$(dirname "$0")/.."
gsi="${1:-build}/src/cli/gsi"
listen=${GSI_LISTEN:-127.0.0.1:8080}
db=${GSI_DB:-gsi.db}

if [ ! -f "$db" ]; then
    echo "== Creating ./$db with the parties"
    "$gsi" init --db "$db"
    echo
    echo "== Early warning: the forecast of the next 12 months, stored, and its hotspots"
    "$gsi" warn run --db "$db" --actuals data/views/cm_actuals_2018_2022.csv --top 10
    echo
    echo "== The GDELT sample: events per country and day, for each country's trend"
    "$gsi" events load --db "$db" data/gdelt/*.export.CSV >/dev/null
    echo "gsi events load: $(ls data/gdelt/*.export.CSV | wc -l) GDELT exports stored"
    echo
    echo "== A real Polis conversation as an open consultation, for the consensus view"
    "$gsi" consultation import --db "$db" --comments data/polis/brexit-consensus/comments.csv \
        --votes data/polis/brexit-consensus/votes.csv \
        --question "Brexit: where is the common ground? (Polis, brexit-consensus)"
    echo
else
    echo "== Using ./$db (remove it to start again from the shipped data)"
fi
"$gsi" journal verify --db "$db"
echo
echo "== Alerts of the stored forecast run, and what has been opened on each"
"$gsi" warn brief --db "$db"
echo
echo "== The situation room: http://$listen/  (the API: http://$listen/v1/openapi.yaml); Ctrl-C stops"
exec "$gsi" serve --listen "$listen" --db "$db"
