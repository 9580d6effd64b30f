#!/usr/bin/env python3
"""Rebuilds data/ref/{countries,views_countries,cameo_events,cameo_types}.csv from the
unchanged upstream files in data/ref/source/.

Run it by hand after a source file changes (python3 data/ref/build_tables.py); the build does
not run it. Every rule that departs from a source file is written here once, and explained in
docs/internals/ref.md and data/SOURCES.md.
"""
import csv
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.join(HERE, "source")

# FIPS 10-4 codes that countrycode's list lacks. GDELT writes South Sudan as "OD" in its
# *Geo_CountryCode columns (FIPS 10-4 change notice 2011).
# Saint Martin (French part) is "RN", as GDELT writes it for places in Saint Martin.
FIPS_FILL = {"SSD": "OD", "MAF": "RN"}

# Kosovo has no ISO 3166-1 entry; "XKX"/"XK" are the user-assigned codes used by the
# European Commission and the World Bank. GW and COW 347; CAMEO spells it "KOS".
KOSOVO = {"iso3": "XKX", "iso2": "XK", "isonum": "0", "fips": "KV", "gw": "347",
          "cow": "347", "cameo": "KOS", "name": "Kosovo", "region": "Europe",
          "un_member": "0", "un_observer": "0"}

# The two UN non-member observer states.
UN_OBSERVERS = {"VAT", "PSE"}

# Former states kept because the ViEWS table (and so UCDP-derived data) refers to them by
# their ISO 3166-3 code. Region by hand (they all lie in Europe or Asia).
FORMER_REGION = {"DDR": "Europe", "CSK": "Europe", "YUG": "Europe", "SUN": "Europe",
                 "SCG": "Europe", "YMD": "Asia"}

COLUMNS = ["iso3", "iso2", "isonum", "fips", "gw", "cow", "cameo", "name", "region",
           "un_member", "un_observer"]


def read_csv(name):
    with open(os.path.join(SRC, name), newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def read_tsv(name):
    rows = []
    with open(os.path.join(SRC, name), newline="", encoding="utf-8") as f:
        lines = f.read().split("\n")
    for line in lines[1:]:
        line = line.rstrip("\r")
        if line:
            rows.append(line.split("\t"))
    return rows


def write_csv(name, header, rows):
    with open(os.path.join(HERE, name), "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)


def countries():
    views = read_csv("views_country_table.csv")
    views_gw = {}
    for v in views:
        if v["isoab"]:
            views_gw.setdefault(v["isoab"], v["gwcode"])
    out = []
    for r in read_csv("countrycode_codelist_without_cldr.csv"):
        iso3 = r["iso3c"]
        if not iso3:
            continue  # former or sub-national entities without an ISO code
        # Gleditsch-Ward: the ViEWS table wins where it has the country. It carries the GW
        # microstates list (Andorra 232, Samoa 990, ...) that countrycode leaves empty,
        # Yemen 678 (GW continues the Yemen Arab Republic's number) and Vietnam 816
        # (countrycode's 815 is GW's number for the 19th-century state).
        gw = views_gw.get(iso3, r["gwn"])
        region = r["continent"] or r["un.region.name"]
        out.append({
            "iso3": iso3, "iso2": r["iso2c"], "isonum": r["iso3n"],
            "fips": r["fips"] or FIPS_FILL.get(iso3, ""), "gw": gw or "0",
            "cow": r["cown"] or "0", "cameo": iso3, "name": r["country.name.en"],
            "region": region,
            "un_member": "1" if r["un.name.en"] else "0",
            "un_observer": "1" if iso3 in UN_OBSERVERS else "0",
        })
    out.append(dict(KOSOVO))
    have = {c["iso3"] for c in out}
    seen = set()
    for v in views:
        iso3 = v["isoab"]
        if iso3 in FORMER_REGION and iso3 not in have and iso3 not in seen:
            seen.add(iso3)
            out.append({"iso3": iso3, "iso2": "", "isonum": v["isonum"], "fips": "",
                        "gw": v["gwcode"], "cow": "0", "cameo": "", "name": v["name"],
                        "region": FORMER_REGION[iso3], "un_member": "0", "un_observer": "0"})
    missing = set(FORMER_REGION) - seen
    if missing:
        sys.exit("former states not found in the ViEWS table: %s" % sorted(missing))
    out.sort(key=lambda c: c["iso3"])
    write_csv("countries.csv", COLUMNS, [[c[k] for k in COLUMNS] for c in out])


def views_countries():
    rows = [[v["id"], v["name"], v["gwcode"], v["isoab"], v["isonum"]]
            for v in read_csv("views_country_table.csv")]
    write_csv("views_countries.csv", ["id", "name", "gw", "iso3", "isonum"], rows)


def quad_class(root):
    # As GDELT 2.0 assigns QuadClass (checked on every row of the shipped exports):
    # 01-05 verbal cooperation, 06-09 material cooperation, 10-14 verbal conflict,
    # 15-20 material conflict.
    if 1 <= root <= 5:
        return 1
    if root <= 9:
        return 2
    if root <= 14:
        return 3
    return 4


def cameo_events():
    gold = {}
    for code, value in read_tsv("CAMEO.goldsteinscale.txt"):
        gold[code] = value
    rows = []
    for code, desc in read_tsv("CAMEO.eventcodes.txt"):
        if code not in gold:
            sys.exit("CAMEO code %s has no Goldstein value" % code)
        root = int(code[:2])
        rows.append([code, desc, gold[code], str(quad_class(root)), str(root)])
    write_csv("cameo_events.csv", ["code", "description", "goldstein", "quad_class", "root"],
              rows)


def cameo_types():
    rows, seen = [], set()
    for code, label in read_tsv("CAMEO.type.txt"):
        if code in seen:
            continue  # the source lists UIS twice with the same label
        seen.add(code)
        rows.append([code, label])
    write_csv("cameo_types.csv", ["code", "label"], rows)


if __name__ == "__main__":
    countries()
    views_countries()
    cameo_events()
    cameo_types()
