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
if [ ! -f gsi.db ]; then
    echo "== Creating ./gsi.db with the parties"
    "$gsi" init
fi
"$gsi" journal verify
echo
echo "== Early warning: hotspots for the next 12 months"
if "$gsi" warn brief --db gsi.db --format csv >/dev/null 2>&1; then
    "$gsi" warn brief --actuals data/views/cm_actuals_2018_2022.csv --through 2022-10
else
    # The first run stores the forecast, which the API and the dashboard serve.
    "$gsi" warn run --db gsi.db --actuals data/views/cm_actuals_2018_2022.csv --through 2022-10
fi
echo
echo "== Alerts of the stored run and what has been opened on each"
"$gsi" warn brief --db gsi.db
echo
echo "== Serving the API on http://$listen (GET /v1/openapi.yaml describes it); Ctrl-C stops"
exec "$gsi" serve --listen "$listen"
