# checks.sh — the tally of the shell tests, sourced: `. "$(dirname "$(readlink -f "$0")")/checks.sh"`.
#   ok WHAT             one check passed (prints "ok: WHAT")
#   bad WHAT            one check failed (prints "FAIL: WHAT")
#   check WHAT CMD...   runs CMD: passed when it exits 0, failed otherwise
#   checks_finish       prints "checks: N passed, M failed" (the line scripts/test.sh adds up)
#                       and returns 0 only when none failed: end the script with it.
# shellcheck shell=bash
pass=0
fail=0
ok() { pass=$((pass + 1)); echo "ok: $*"; }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }
check() { local what=$1; shift; if "$@"; then ok "$what"; else bad "$what"; fi; }
checks_finish() {
    echo "checks: $pass passed, $fail failed"
    [ "$fail" -eq 0 ]
}
