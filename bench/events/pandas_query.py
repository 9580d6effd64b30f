#!/usr/bin/python3
"""The event benchmark query in pandas: the peer of

    gsi events summarize FILE... --by country,day --format csv

over GDELT 2.0 event exports (61 tab-separated columns, no header row).

    /usr/bin/python3 bench/events/pandas_query.py [--crosswalk CSV]... [--out OUT.csv]
        [--chunk-rows N] FILE...

--crosswalk names a CSV with columns fips and iso3 (others are ignored); it may be given several
times, as data/ref/countries.csv then data/ref/fips_aliases.csv, and a FIPS code takes the ISO3
of its first row in the first file that has it (default: data/ref/countries.csv and
data/ref/fips_aliases.csv, the tables GSI compiles in).

Writes the CSV with header
    country,day,events,goldstein_sum,goldstein_mean,mentions,tone_mean,fatalities,q1,q2,q3,q4
one row per (country, day), sorted by country then day (byte order, empty country first).
country is the ISO3 code of ActionGeo_CountryCode (FIPS 10-4) through the crosswalk's
fips -> iso3 columns; an empty or unmapped FIPS code gives an empty country. day is SQLDATE as
YYYY-MM-DD. fatalities is always empty: GDELT carries none.

Fairness: only the six used columns are parsed (usecols) with their types given (dtype), and
the file is read in chunks that are reduced to partial sums at once, so memory stays bounded
by the chunk size rather than the file size. Quoting is off, as GDELT fields are never quoted.
Only the empty field is missing: "NA" is the Netherlands Antilles' FIPS code and must stay a
code, not become NaN.
"""

import argparse
import csv
import sys

import numpy as np
import pandas as pd

# 0-based column indexes in the GDELT 2.0 event export, from
# GDELT_2.0_Events_Column_Labels_Header_Row_Sep2016.csv.
COL_SQLDATE = 1
COL_QUADCLASS = 29
COL_GOLDSTEIN = 30
COL_NUMMENTIONS = 31
COL_AVGTONE = 34
COL_ACTIONGEO_CC = 53

NAMES = {
    COL_SQLDATE: "sqldate",
    COL_QUADCLASS: "quadclass",
    COL_GOLDSTEIN: "goldstein",
    COL_NUMMENTIONS: "nummentions",
    COL_AVGTONE: "avgtone",
    COL_ACTIONGEO_CC: "fips",
}
# Nullable integer types would cost a mask per column; the shipped exports have no empty
# numeric field, and one would make read_csv fail loudly rather than count it wrong.
DTYPES = {
    COL_SQLDATE: np.int32,
    COL_QUADCLASS: np.int8,
    COL_GOLDSTEIN: np.float64,
    COL_NUMMENTIONS: np.int64,
    COL_AVGTONE: np.float64,
    COL_ACTIONGEO_CC: "category",
}
# An empty numeric field is missing; an empty country code is the empty string (a group of
# its own, as in the other tools), not NaN, which groupby would drop.
NA_VALUES = {c: [""] for c in NAMES if c != COL_ACTIONGEO_CC}
DEFAULT_CROSSWALKS = ["data/ref/countries.csv", "data/ref/fips_aliases.csv"]
HEADER = ["country", "day", "events", "goldstein_sum", "goldstein_mean", "mentions",
          "tone_mean", "fatalities", "q1", "q2", "q3", "q4"]
SUMS = ["events", "goldstein_sum", "goldstein_n", "mentions", "tone_sum", "tone_n",
        "q1", "q2", "q3", "q4"]


def load_crosswalk(paths):
    """FIPS -> ISO3; the first row of the first file wins when a FIPS code appears twice."""
    m = {}
    for path in paths:
        xw = pd.read_csv(path, usecols=["iso3", "fips"], dtype=str, keep_default_na=False)
        for fips, iso3 in zip(xw.fips, xw.iso3):
            if fips and iso3 and fips not in m:
                m[fips] = iso3
    return m


def partial(chunk):
    """Partial sums of one chunk by (raw FIPS, SQLDATE)."""
    q = chunk["quadclass"]
    part = pd.DataFrame({
        "fips": chunk["fips"],
        "sqldate": chunk["sqldate"],
        "events": np.ones(len(chunk), dtype=np.int64),
        "goldstein_sum": chunk["goldstein"],
        "goldstein_n": chunk["goldstein"].notna().astype(np.int64),
        "mentions": chunk["nummentions"],
        "tone_sum": chunk["avgtone"],
        "tone_n": chunk["avgtone"].notna().astype(np.int64),
        "q1": (q == 1).astype(np.int64),
        "q2": (q == 2).astype(np.int64),
        "q3": (q == 3).astype(np.int64),
        "q4": (q == 4).astype(np.int64),
    })
    # Group on the categorical codes (fast), then give the few groups plain string keys so that
    # chunks with different category sets combine.
    g = part.groupby(["fips", "sqldate"], sort=False, observed=True)[SUMS].sum().reset_index()
    g["fips"] = g["fips"].astype(str)
    return g.set_index(["fips", "sqldate"])


def summarize(files, crosswalks, chunk_rows):
    parts = []
    for path in files:
        reader = pd.read_csv(
            path, sep="\t", header=None, usecols=list(NAMES), dtype=DTYPES,
            quoting=csv.QUOTE_NONE, keep_default_na=False, na_values=NA_VALUES,
            engine="c", chunksize=chunk_rows)
        for chunk in reader:
            chunk = chunk.rename(columns=NAMES)
            parts.append(partial(chunk))
            # Fold the partial sums now and then so that their number stays small too.
            if len(parts) >= 16:
                parts = [pd.concat(parts).groupby(level=[0, 1], sort=False).sum()]
    if not parts:
        return pd.DataFrame(columns=HEADER)
    g = pd.concat(parts).groupby(level=[0, 1], sort=False).sum().reset_index()

    xw = load_crosswalk(crosswalks)
    g["country"] = g["fips"].map(xw).fillna("")
    d = g["sqldate"].astype(str)
    g["day"] = d.str[0:4] + "-" + d.str[4:6] + "-" + d.str[6:8]
    # Two FIPS codes can share an ISO3 (or both be unmapped), so sum again by the final key.
    r = g.groupby(["country", "day"], sort=False)[SUMS].sum().reset_index()
    with np.errstate(divide="ignore", invalid="ignore"):
        r["goldstein_mean"] = np.where(r.goldstein_n > 0, r.goldstein_sum / r.goldstein_n,
                                       np.nan)
        r["tone_mean"] = np.where(r.tone_n > 0, r.tone_sum / r.tone_n, np.nan)
    r["fatalities"] = ""
    # Byte order, as the other tools sort: compare the UTF-8 encodings.
    r["_k"] = r["country"].map(lambda s: s.encode("utf-8"))
    r = r.sort_values(["_k", "day"], kind="stable")
    return r[HEADER]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--crosswalk", action="append", default=[])
    ap.add_argument("--out", default=None)
    ap.add_argument("--chunk-rows", type=int, default=250_000)
    ap.add_argument("files", nargs="+")
    a = ap.parse_args()
    if a.chunk_rows < 1:
        ap.error("--chunk-rows must be positive")
    r = summarize(a.files, a.crosswalk or DEFAULT_CROSSWALKS, a.chunk_rows)
    out = open(a.out, "w", newline="", encoding="utf-8") if a.out else sys.stdout
    w = csv.writer(out, lineterminator="\n")
    w.writerow(HEADER)
    # repr() prints the shortest string that reads back as the same double.
    fmt = lambda v: "" if isinstance(v, float) and np.isnan(v) else repr(float(v))
    for row in r.itertuples(index=False):
        w.writerow([row.country, row.day, int(row.events), fmt(row.goldstein_sum),
                    fmt(row.goldstein_mean), int(row.mentions), fmt(row.tone_mean), "",
                    int(row.q1), int(row.q2), int(row.q3), int(row.q4)])
    if a.out:
        out.close()


if __name__ == "__main__":
    main()
