#!/usr/bin/env python3
"""Checks that src/ref/gen_ref.py refuses bad tables with a FILE:LINE message.

Usage: test_gen_ref.py GEN_REF DATA_DIR. Each case copies DATA_DIR to a temporary folder,
replaces one line of one CSV, runs the generator and expects exit status 1 with the named
file, line and a phrase of the message on standard error. The unchanged copy must pass.
"""
import os
import shutil
import subprocess
import sys
import tempfile

# (file, line to replace (1 = header), new text, expected phrase[, line the message names:
# the replaced one when not given, 0 for any])
CASES = [
    ("countries.csv", 2, "Abw,AW,533,AA,0,0,ABW,Aruba,Americas,0,0", "is not 3 capital letters"),
    ("countries.csv", 2, "ABW,AW,533,AA,0,0,ABW,Aruba,Americas,0", "expected 11 fields"),
    ("countries.csv", 3, "ABW,AF,4,AF,700,700,AFG,Afghanistan,Asia,1,0", "repeats line 2"),
    ("countries.csv", 2, "ABW,AW,5x3,AA,0,0,ABW,Aruba,Americas,0,0", "isonum '5x3'"),
    ("countries.csv", 2, "ABW,AW,533,AA,0,0,ABW,,Americas,0,0", "name is empty"),
    ("countries.csv", 2, "ABW,AW,533,AA,0,0,ABW,Aruba,Americas,1,1", "cannot also be"),
    ("countries.csv", 2, "ABW,AW,533,AA,0,0,ABW,Aruba,Americas,2,0", "not 0 or 1"),
    ("countries.csv", 2, "ZZZ,AW,533,AA,0,0,ABW,Aruba,Americas,0,0", "ISO3 order", 3),
    ("countries.csv", 2, "ABW,AW,533,AA,2,0,ABW,Aruba,Americas,0,0", "current state ABW", 0),
    ("countries.csv", 1, "iso3,iso2,isonum,fips,gw,cow,cameo,name,region,un", "header", 1),
    ("countries.csv", 2, 'ABW,AW,533,AA,0,0,ABW,"Aruba,Americas,0,0', "malformed CSV", 0),
    ("cameo_events.csv", 2, "1,MAKE PUBLIC STATEMENT,0.0,1,1", "2 to 4 digits"),
    ("cameo_events.csv", 2, "01,MAKE PUBLIC STATEMENT,11,1,1", "goldstein '11'"),
    ("cameo_events.csv", 2, "01,MAKE PUBLIC STATEMENT,nan,1,1", "goldstein 'nan'"),
    ("cameo_events.csv", 2, "01,MAKE PUBLIC STATEMENT,0.0,1,2", "first two digits"),
    ("cameo_events.csv", 2, "01,MAKE PUBLIC STATEMENT,0.0,2,1", "root 01", 3),
    ("cameo_types.csv", 2, "cop,Police forces", "capital letters"),
    ("domains.csv", 2, "1,Conflict Prevention,x,y", "slug"),
    ("domains.csv", 2, "2,conflict-prevention,x,y", "expected domain number 1"),
    ("views_countries.csv", 3, "1,Suriname,115,SUR,740", "repeats line 2"),
    ("charter33.csv", 2, "1,", "means is empty"),
    ("fips_aliases.csv", 2, "GZ,XXX,test", "not in countries.csv"),
    ("country_aliases.csv", 2, "Bosnia,XXX,ICEWS", "not in countries.csv"),
    ("country_aliases.csv", 2, "Ethiopia,ETH,ICEWS", "already the name of ETH"),
    ("country_aliases.csv", 2, "Bosnia,BIH,", "used_by is empty"),
    ("countries.csv", 3, "AFG,AF,4,AF,700,700,AFG,Aruba,Asia,1,0", "name 'Aruba' repeats line 2"),
    ("fips_aliases.csv", 2, "UP,PSE,test", "already UKR's"),
]


def run(gen, data, out):
    return subprocess.run([sys.executable, gen, data, out], capture_output=True, text=True)


def main():
    gen, src = sys.argv[1], sys.argv[2]
    failures = 0
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "out.c")
        good = os.path.join(tmp, "good")
        shutil.copytree(src, good, ignore=shutil.ignore_patterns("source", "*.py"))
        p = run(gen, good, out)
        if p.returncode != 0:
            print("unchanged tables refused:", p.stderr)
            return 1
        for i, case in enumerate(CASES):
            name, line, text, phrase = case[:4]
            at = case[4] if len(case) > 4 else line
            d = os.path.join(tmp, "case%d" % i)
            shutil.copytree(good, d)
            path = os.path.join(d, name)
            with open(path, encoding="utf-8") as f:
                lines = f.read().split("\n")
            lines[line - 1] = text
            with open(path, "w", encoding="utf-8") as f:
                f.write("\n".join(lines))
            p = run(gen, d, out)
            where = "%s:%d:" % (path, at) if at else path + ":"
            ok = p.returncode == 1 and phrase in p.stderr and p.stderr.startswith(where)
            if not ok:
                failures += 1
                print("FAIL %s line %d -> rc %d: %s" % (name, line, p.returncode,
                                                        p.stderr.strip()))
    print("checks: %d passed, %d failed" % (len(CASES) + 1 - failures, failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
