#!/usr/bin/env bash
# lint.sh BUILD_DIR: clang-tidy, with the project's .clang-tidy, over every C file under src/,
# through BUILD_DIR/compile_commands.json, two files at a time. Every check is an error
# (WarningsAsErrors); a `warning:` or `error:` line in the log fails too, should that change.
# Prints the diagnostics and ends with "checks: 1 passed, 0 failed" or "checks: 0 passed, 1
# failed", the line scripts/test.sh adds up. Used by `make lint` and by `make test`.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:?usage: lint.sh BUILD_DIR}" && pwd)
log=$build/lint.log

if ! command -v run-clang-tidy >/dev/null; then
    echo "lint: run-clang-tidy not found; install clang-tidy (scripts/deps.sh does)"
    echo "checks: 0 passed, 1 failed"
    exit 1
fi
echo "clang-tidy over $root/src with $build/compile_commands.json (log: $log)"
run-clang-tidy -p "$build" -j 2 -quiet "^$root/src/.*\.c\$" >"$log" 2>&1
rc=$?
grep -Ev '^clang-tidy|^[0-9]+ warnings? generated\.$|^Running clang-tidy|^\s*$' "$log"
if [ $rc -ne 0 ] || grep -Eq '(warning|error):' "$log"; then
    echo "lint: clang-tidy reported diagnostics"
    echo "checks: 0 passed, 1 failed"
    exit 1
fi
echo "lint: clean"
echo "checks: 1 passed, 0 failed"
