#!/usr/bin/python3
"""Event trends end to end: `gsi events load --db` on the GDELT sample in two steps (half the
files, then all of them, so the first half is skipped), `gsi serve`, and
GET /v1/events/countries/{iso3}/trend checked, by day and by month, against counts made here
from the raw tab-separated files: rows whose ActionGeo_CountryCode is the country's FIPS code,
grouped by SQLDATE and QuadClass, Goldstein scores summed.

    events_http.py GSI_BINARY [DB_URL]     (no DB_URL: a fresh SQLite file)
"""

import glob
import os
import sys
from collections import defaultdict

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gsi_http import SOURCE_ROOT as ROOT, run_script  # noqa: E402

FILES = sorted(glob.glob(os.path.join(ROOT, "tests", "data", "gdelt", "*.export.CSV")))
# GDELT 2.0 event columns (0-based), from the codebook's header row.
SQLDATE, QUAD, GOLDSTEIN, GEO_COUNTRY = 1, 29, 30, 53
# FIPS 10-4 codes of the countries checked, from data/ref/countries.csv.
FIPS = {"UKR": "UP", "ISR": "IS", "USA": "US", "NGA": "NI"}


def expected(iso3, by_month):
    """{period: [events, q1, q2, q3, q4, goldstein tenths]} from the raw files."""
    out = defaultdict(lambda: [0, 0, 0, 0, 0, 0])
    for path in FILES:
        with open(path, encoding="utf-8", errors="replace") as f:
            for line in f:
                col = line.rstrip("\n").split("\t")
                if len(col) < 61 or col[GEO_COUNTRY] != FIPS[iso3]:
                    continue
                d = col[SQLDATE]
                day = f"{d[0:4]}-{d[4:6]}-{d[6:8]}"
                e = out[day[:7] if by_month else day]
                e[0] += 1
                e[int(col[QUAD])] += 1
                e[5] += round(float(col[GOLDSTEIN]) * 10)
    return dict(out)


def got(server, iso3, by):
    st, j, _ = server.call("GET", f"/v1/events/countries/{iso3}/trend?by={by}")
    if st != 200:
        raise RuntimeError(f"trend {iso3} by {by}: HTTP {st} {j}")
    return j, {p["period"]: [p["events"], p["q1"], p["q2"], p["q3"], p["q4"],
                            round(p["goldstein_mean"] * p["events"] * 10)] for p in j["periods"]}


def check_loaded(c, server, label):
    for iso3 in FIPS:
        for by in ("day", "month"):
            j, g = got(server, iso3, by)
            want = expected(iso3, by == "month")
            c.eq(g, want, f"{label}: {iso3} by {by}: counts, quad classes and Goldstein sums")
            c.eq(list(g), sorted(g), f"{label}: {iso3} by {by}: oldest first")
            for p in j["periods"]:
                c.ok(p["cooperation"] == p["q1"] + p["q2"] and p["conflict"] == p["q3"] + p["q4"],
                     f"{label}: {iso3} {p['period']}: cooperation and conflict add up")


def steps(c, env, serve):
    c.eq(len(FILES), 19, "the GDELT sample has 19 exports")
    half = env.run("events", "load", *FILES[:9], "--format", "csv")
    c.eq(half.stdout.count(",loaded"), 9, "the first 9 files load")
    full = env.run("events", "load", *FILES, "--format", "csv")
    c.eq(full.stdout.count(",skipped"), 9, "loading all: the 9 loaded before are skipped")
    c.eq(full.stdout.count(",loaded"), 10, "loading all: the other 10 load")
    rows = sum(1 for p in FILES for _ in open(p, encoding="utf-8", errors="replace"))
    server = serve()
    j, _ = got(server, "UKR", "month")
    c.eq(j["files"], 19, "the trend says 19 files were loaded")
    c.ok(0 < j["events_loaded"] <= rows, f"events loaded {j['events_loaded']} of {rows} rows")
    check_loaded(c, server, "loaded in two steps")
    j, g = got(server, "TUV", "day")
    c.eq(j["periods"], [], "a country without events has an empty trend")
    st, e, _ = server.call("GET", "/v1/events/countries/UKR/trend?by=week")
    c.eq(st, 400, "by=week is refused")
    c.ok("month or day" in e["error"]["message"], "the 400 says what by may be")
    st, _, _ = server.call("GET", "/v1/events/countries/ukr/trend")
    c.eq(st, 400, "a lower-case code is refused")
    again = env.run("events", "load", *FILES, "--format", "csv")
    c.eq(again.stdout.count(",skipped"), 19, "a third load skips every file")
    check_loaded(c, server, "after a third load")
    bad = env.run("events", "load", "/nonexistent.export.CSV", check=False)
    c.eq(bad.returncode, 1, "a missing file: exit status 1")
    c.ok("nonexistent" in bad.stderr, "the error names the file")


if __name__ == "__main__":
    run_script(steps, verify=False)
