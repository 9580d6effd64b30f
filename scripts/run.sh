#!/usr/bin/env bash
# make run: the main job on the shipped data, as a first-time user sees it.
set -euo pipefail
cd "$(dirname "$0")/.."
gsi="${1:-build}/src/cli/gsi"
echo "== Events in the shipped GDELT sample, by country where they happened"
"$gsi" events summarize data/gdelt/*.export.CSV --by country
