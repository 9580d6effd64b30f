#!/usr/bin/env bash
# lint_symbols.sh BUILD_DIR: every module's static library exports only names with its
# module's prefix — gsi_ for src/core, <module>_ for the others (internals shared between a
# module's files are <module>__, libuv style) — except the symbols listed in
# scripts/symbols.allow ("MODULE SYMBOL" lines; SYMBOL may be a shell pattern). Builds the libraries it reads (nothing when they are up to date).
# Prints each offending symbol and ends with "checks: N passed, M failed" (one check a module,
# one for stale allowlist lines). Exit status 1 on any failure.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:?usage: lint_symbols.sh BUILD_DIR}" && pwd)
allow=$root/scripts/symbols.allow
pass=0
fail=0

mapfile -t modules < <(cd "$root/src" && for d in */; do
    d=${d%/}
    [ -f "$d/meson.build" ] && grep -q "static_library('gsi_$d'" "$d/meson.build" && echo "$d"
done)
targets=()
for m in "${modules[@]}"; do targets+=("src/$m/libgsi_$m.a"); done
if ! ninja -C "$build" "${targets[@]}" >"$build/lint_symbols.log" 2>&1; then
    tail -20 "$build/lint_symbols.log"
    echo "lint: could not build the module libraries"
    echo "checks: 0 passed, 1 failed"
    exit 1
fi

used=$(mktemp)
trap 'rm -f "$used"' EXIT
mapfile -t rules < <(grep -Ev '^[[:space:]]*(#|$)' "$allow")
allowed() { # MODULE SYMBOL: true when a rule covers it; records the rule as used
    local rule
    for rule in "${rules[@]}"; do
        # shellcheck disable=SC2254 # the pattern is meant to match as a glob
        case "$1 $2" in $rule)
            echo "$rule" >>"$used"
            return 0
            ;;
        esac
    done
    return 1
}
for m in "${modules[@]}"; do
    prefix=${m}_
    [ "$m" = core ] && prefix=gsi_
    bad=0
    # Defined, external symbols (T code, D/B/R data, C common); nm prints "VALUE TYPE NAME".
    while read -r sym; do
        case $sym in "$prefix"*) continue ;; esac
        if allowed "$m" "$sym"; then
            continue
        fi
        echo "lint: src/$m exports '$sym', outside its prefix '$prefix'" \
            "(make it static, or name it ${prefix}... / ${m}__...)"
        bad=1
    done < <(nm -g --defined-only "$build/src/$m/libgsi_$m.a" 2>/dev/null |
        awk 'NF == 3 && $2 ~ /^[TDBRCVW]$/ { print $3 }' | sort -u)
    if [ $bad -eq 0 ]; then pass=$((pass + 1)); else fail=$((fail + 1)); fi
done
stale=0
for rule in "${rules[@]}"; do
    if ! grep -qxF "$rule" "$used"; then
        echo "lint: scripts/symbols.allow lists '$rule', which no export matches: remove it"
        stale=1
    fi
done
if [ $stale -eq 0 ]; then pass=$((pass + 1)); else fail=$((fail + 1)); fi
[ $fail -eq 0 ] && echo "lint: every module exports only its prefix (with scripts/symbols.allow)"
echo "checks: $pass passed, $fail failed"
[ $fail -eq 0 ]
