#!/usr/bin/env bash
# make run: the main job on the shipped data, as a first-time user meets it: the events, the
# early-warning brief, then the database (created on the first run) and the API.
set -euo pipefail
cd "$(dirname "$0")/.."
gsi="${1:-build}/src/cli/gsi"
listen=${GSI_LISTEN:-127.0.0.1:8080}

echo "== Events in the shipped GDELT sample, by the country where they happened"
"$gsi" events summarize data/gdelt/*.export.CSV --by country
echo
echo "== Early warning: hotspots for the next 12 months"
"$gsi" warn brief --actuals data/views/cm_actuals_2018_2022.csv --through 2022-10
echo
if [ ! -f gsi.db ]; then
    echo "== Creating ./gsi.db with the parties"
    "$gsi" init
fi
"$gsi" journal verify
echo
echo "== Serving the API on http://$listen (GET /v1/openapi.yaml describes it); Ctrl-C stops"
exec "$gsi" serve --listen "$listen"
