#!/usr/bin/env bash
# make test: builds with gcc and runs every test (unit, integration, fuzz-corpus replay), then
# builds with clang + ASan + UBSan (no recovery) and runs them all again. The last line of the
# output is "N passed, N failed", adding up the checks every test program reports.
set -uo pipefail
cd "$(dirname "$0")/.."

status=0
run_suite() {  # run_suite BUILD_DIR LABEL [meson setup args...]
    local dir=$1 label=$2
    shift 2
    rm -f "$dir/meson-logs/testlog.json"
    echo "== $label: configure and build ($dir)"
    # -Dweb=enabled: the dashboard and its browser test are built, or the build fails; a
    # folder set up before web/node_modules existed is reconfigured to see them.
    if [ ! -f "$dir/build.ninja" ]; then
        meson setup "$dir" -Dweb=enabled "$@" >"$dir.setup.log" 2>&1 ||
            { cat "$dir.setup.log"; return 1; }
    else
        meson configure "$dir" -Dweb=enabled >"$dir.setup.log" 2>&1 ||
            { cat "$dir.setup.log"; return 1; }
    fi
    ninja -C "$dir" >"$dir.build.log" 2>&1 || { tail -50 "$dir.build.log"; return 1; }
    echo "== $label: tests"
    meson test -C "$dir" --print-errorlogs --num-processes 2 --no-rebuild || return 1
}

run_suite build "gcc" || status=1
CC=clang run_suite build-asan "clang + ASan + UBSan" -Dfuzz=true \
    -Db_sanitize=address,undefined -Dc_args=-fno-sanitize-recover=all -Db_lundef=false || status=1

# Add up "checks: N passed, M failed" from every test's output; a test that failed without
# saying so counts as one failure, one that passed without saying so as one pass.
/usr/bin/python3 - build build-asan <<'PY' || status=1
import json, re, sys
passed = failed = 0
for d in sys.argv[1:]:
    try:
        lines = open(f"{d}/meson-logs/testlog.json").read().splitlines()
    except OSError:
        failed += 1
        continue
    for line in lines:
        t = json.loads(line)
        found = re.findall(r"checks: (\d+) passed, (\d+) failed", t.get("stdout", "") or "")
        p = sum(int(a) for a, _ in found)
        f = sum(int(b) for _, b in found)
        ok = t["result"] in ("OK", "EXPECTEDFAIL", "SKIP")
        if not found:
            p, f = (1, 0) if ok else (0, 1)
        elif not ok and f == 0:
            f = 1
        passed += p
        failed += f
print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
PY
[ $? -eq 0 ] || status=1
exit $status
