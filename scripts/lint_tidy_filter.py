#!/usr/bin/env python3
"""lint_tidy_filter.py LOG SRC_ROOT ALLOW RC — reads a run-clang-tidy log and keeps the
diagnostics that count: everything except readability-function-size on a function listed in
ALLOW (scripts/long_functions.allow). Prints the diagnostics kept (each once) and the allowlist
lines no longer reported; exits 1 when either is non-empty, or when clang-tidy failed (RC != 0)
without a diagnostic to show for it."""
import re, sys

log, src, allow_path, rc = sys.argv[1], sys.argv[2].rstrip("/") + "/", sys.argv[3], int(sys.argv[4])
allow = set()
for line in open(allow_path):
    line = line.strip()
    if line and not line.startswith("#"):
        f, fn = line.split()
        allow.add((f, fn))

ansi = re.compile(r"\x1b\[[0-9;]*m")
head = re.compile(r"^(\S+?):(\d+):(\d+): (warning|error): (.*?)(?: \[([\w.,-]+)\])?$")
blocks, cur = [], None
for raw in open(log, errors="replace"):
    line = ansi.sub("", raw.rstrip("\n"))
    m = head.match(line)
    if m:
        cur = [m, [line]]
        blocks.append(cur)
    elif cur is not None and not line.startswith(("clang-tidy", "Running clang-tidy")) \
            and not re.match(r"^\d+ warnings? (and \d+ errors? )?generated\.?$", line):
        cur[1].append(line)

kept, seen, reported = [], set(), set()
for m, lines in blocks:
    path = m.group(1)
    rel = path.split("/src/", 1)[1] if "/src/" in path else path
    checks = (m.group(6) or "").split(",")
    if any(c.startswith("readability-function-size") for c in checks):
        fn = re.search(r"function '([^']+)'", m.group(5))
        if fn and (rel, fn.group(1)) in allow:
            reported.add((rel, fn.group(1)))
            continue
    key = (rel, m.group(2), m.group(3), m.group(5))
    if key in seen:
        continue
    seen.add(key)
    kept.append("\n".join(lines))

for k in kept:
    print(k)
stale = sorted(allow - reported)
for f, fn in stale:
    print(f"lint: scripts/long_functions.allow lists {f} {fn}, which is no longer over the "
          "limit: remove the line")
bad = bool(kept) or bool(stale) or (rc != 0 and not blocks)
if rc != 0 and not blocks:
    print(f"lint: clang-tidy failed (status {rc}) without a diagnostic; see the log")
sys.exit(1 if bad else 0)
