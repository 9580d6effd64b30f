#!/usr/bin/python3
"""Checks that summaries written by different tools agree.

    /usr/bin/python3 bench/events/compare.py [--rtol 1e-9] NAME=FILE NAME=FILE...

Each FILE is the CSV of `gsi events summarize --by country,day --format csv` or of one of its
peers. The first file is the reference; every other one must have the same header, the same
(country, day) keys, each exactly once and in sorted order (byte order of country, then day),
equal integer measures (events, mentions, q1..q4), the same empty fields, and floating-point
measures (goldstein_sum, goldstein_mean, tone_mean, fatalities) within a relative tolerance.

Relative means |a - b| <= rtol * max(|a|, |b|). Sums of many doubles added in different orders
differ in their last bits; when a sum cancels to nearly zero those bits are large next to the
result, so the test also passes when |a - b| <= rtol, an absolute floor of the same size.

Prints one line per file compared and the first few differences; exits 0 when all agree, 1
otherwise.
"""

import argparse
import csv
import math
import sys

HEADER = ["country", "day", "events", "goldstein_sum", "goldstein_mean", "mentions",
          "tone_mean", "fatalities", "q1", "q2", "q3", "q4"]
INTS = {"events", "mentions", "q1", "q2", "q3", "q4"}
MAX_REPORTED = 10


def load(path):
    """Returns (rows by key, list of problems found in the file itself)."""
    problems = []
    rows = {}
    with open(path, newline="", encoding="utf-8") as f:
        r = csv.reader(f)
        header = next(r, None)
        if header != HEADER:
            return rows, [f"{path}:1: header {header!r}, expected {HEADER!r}"]
        prev = None
        for n, rec in enumerate(r, start=2):
            if len(rec) != len(HEADER):
                problems.append(f"{path}:{n}: {len(rec)} fields, expected {len(HEADER)}")
                continue
            key = (rec[0], rec[1])
            skey = (rec[0].encode("utf-8"), rec[1])
            if key in rows:
                problems.append(f"{path}:{n}: key {key} repeated")
            elif prev is not None and skey < prev:
                problems.append(f"{path}:{n}: key {key} out of order")
            prev = skey
            rows[key] = dict(zip(HEADER, rec))
    return rows, problems


def same_value(col, a, b, rtol):
    if a == "" or b == "":
        return a == b
    if col in INTS:
        try:
            return int(a) == int(b)
        except ValueError:
            return False
    try:
        x, y = float(a), float(b)
    except ValueError:
        return False
    if math.isnan(x) or math.isnan(y):
        return math.isnan(x) and math.isnan(y)
    d = abs(x - y)
    return d <= rtol * max(abs(x), abs(y)) or d <= rtol


def compare(ref_name, ref, name, other, rtol):
    diffs = []
    for k in sorted(set(ref) - set(other)):
        diffs.append(f"key {k} in {ref_name}, not in {name}")
    for k in sorted(set(other) - set(ref)):
        diffs.append(f"key {k} in {name}, not in {ref_name}")
    for k in sorted(set(ref) & set(other)):
        for col in HEADER[2:]:
            a, b = ref[k][col], other[k][col]
            if not same_value(col, a, b, rtol):
                diffs.append(f"{k} {col}: {ref_name} {a!r}, {name} {b!r}")
    return diffs


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rtol", type=float, default=1e-9)
    ap.add_argument("outputs", nargs="+", metavar="NAME=FILE")
    a = ap.parse_args()
    named = []
    for o in a.outputs:
        name, sep, path = o.partition("=")
        if not sep:
            ap.error(f"{o!r} is not NAME=FILE")
        named.append((name, path))

    ok = True
    loaded = []
    for name, path in named:
        rows, problems = load(path)
        for p in problems[:MAX_REPORTED]:
            print(f"compare: {p}")
        if problems:
            ok = False
        loaded.append((name, rows))

    ref_name, ref = loaded[0]
    for name, rows in loaded[1:]:
        diffs = compare(ref_name, ref, name, rows, a.rtol)
        if diffs:
            ok = False
            print(f"compare: {name} differs from {ref_name} in {len(diffs)} values:")
            for d in diffs[:MAX_REPORTED]:
                print(f"compare:   {d}")
        else:
            print(f"compare: {name} agrees with {ref_name}: {len(rows)} groups, "
                  f"{sum(int(r['events']) for r in rows.values())} events, rtol {a.rtol:g}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
