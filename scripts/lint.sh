#!/usr/bin/env bash
# lint.sh BUILD_DIR: the project's static checks, each one a check in the last line.
#   1. clang-tidy, with the project's .clang-tidy, over every C file under src/, through
#      BUILD_DIR/compile_commands.json, two files at a time. Every check is an error
#      (WarningsAsErrors), but for the functions over the size limit that
#      scripts/long_functions.allow lists (scripts/lint_tidy_filter.py).
#   2. scripts/lint_symbols.sh: each module's library exports only its prefix (nm).
#   3. scripts/lint_arch.py: docs/architecture.md's module table is the meson.build one.

# Prints the diagnostics and ends with "checks: N passed, M failed", the line scripts/test.sh
# adds up. Used by `make lint` and by `make test`.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:?usage: lint.sh BUILD_DIR}" && pwd)
log=$build/lint.log

if ! command -v run-clang-tidy >/dev/null; then
    echo "lint: run-clang-tidy not found; install clang-tidy (scripts/deps.sh does)"
    echo "checks: 0 passed, 1 failed"
    exit 1
fi
pass=0
fail=0
echo "clang-tidy over $root/src with $build/compile_commands.json (log: $log)"
run-clang-tidy -p "$build" -j 2 -quiet "^$root/src/.*\.c\$" >"$log" 2>&1
rc=$?
# Functions still over readability-function-size's limit are listed in
# scripts/long_functions.allow; the filter drops those diagnostics and keeps every other one.
if ! /usr/bin/python3 "$root/scripts/lint_tidy_filter.py" "$log" "$root/src" \
    "$root/scripts/long_functions.allow" "$rc"; then
    echo "lint: clang-tidy reported diagnostics"
    fail=$((fail + 1))
else
    echo "lint: clang-tidy clean"
    pass=$((pass + 1))
fi
run_step() { # command and arguments: one check, its messages printed
    local out rc
    out=$("$@" 2>&1)
    rc=$?
    printf '%s\n' "$out" | grep -v '^checks:'
    if [ $rc -eq 0 ]; then pass=$((pass + 1)); else fail=$((fail + 1)); fi
}
run_step "$root/scripts/lint_symbols.sh" "$build"
run_step /usr/bin/python3 "$root/scripts/lint_arch.py" "$root"
echo "checks: $pass passed, $fail failed"
[ $fail -eq 0 ]
