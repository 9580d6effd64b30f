#!/usr/bin/env python3
"""gen_ref.py — turns data/ref/*.csv into ref_tables.c, the compiled reference tables.

Usage: gen_ref.py DATA_DIR OUTPUT.c

Every row is validated first; a bad row stops the build with "FILE:LINE: what was expected"
and exit status 1, so a broken table can never reach the program. The output holds the rows
and their indexes (docs/internals/ref.md):
  - letter codes: direct tables of 26^2 (ISO2, FIPS) or 26^3 (ISO3, CAMEO, actor types)
    entries, each the row number + 1 or 0 for none — one array access per lookup;
  - CAMEO event codes: a direct table over the 2-, 3- and 4-digit code spaces (11,100 slots);
  - numbers (GW, ISO numeric, ViEWS id): sorted (key, row) arrays for binary search;
  - domain keys: row numbers sorted by key for binary search.
"""
import csv
import io
import math
import os
import re
import sys

MAX_ROWS = 60000  # indexes hold row + 1 in a uint16_t


class BadRow(Exception):
    pass


def fail(path, line, msg):
    sys.stderr.write("%s:%d: %s\n" % (path, line, msg))
    sys.exit(1)


def read(data_dir, name, header):
    path = os.path.join(data_dir, name)
    try:
        with open(path, newline="", encoding="utf-8") as f:
            text = f.read()
    except (OSError, UnicodeDecodeError) as e:
        fail(path, 0, "cannot read: %s" % e)
    rows = []
    # newline="" hands the csv module the raw line ends (LF or CRLF), and only those end a
    # line; str.splitlines() would also split at U+2028 and other separators inside a name.
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        first = next(reader, None)
        if first != header:
            fail(path, 1, "expected the header %s, found %s" % (",".join(header), first))
        for rec in reader:
            line = reader.line_num
            if len(rec) != len(header):
                fail(path, line, "expected %d fields (%s), found %d"
                     % (len(header), ",".join(header), len(rec)))
            rows.append((line, dict(zip(header, rec))))
    except csv.Error as e:
        fail(path, reader.line_num, "malformed CSV: %s" % e)
    if len(rows) > MAX_ROWS:
        fail(path, 0, "more than %d rows" % MAX_ROWS)
    return path, rows


def letters(v, n, what, empty_ok):
    if v == "" and empty_ok:
        return v
    if not re.fullmatch("[A-Z]{%d}" % n, v):
        raise BadRow("%s '%s' is not %d capital letters%s"
                     % (what, v, n, " or empty" if empty_ok else ""))
    return v


def integer(v, lo, hi, what):
    if not re.fullmatch(r"-?[0-9]{1,9}", v) or not lo <= int(v) <= hi:
        raise BadRow("%s '%s' is not an integer in %d..%d" % (what, v, lo, hi))
    return int(v)


def flag(v, what):
    if v not in ("0", "1"):
        raise BadRow("%s '%s' is not 0 or 1" % (what, v))
    return v == "1"


def text(v, what, empty_ok=False):
    if v == "" and not empty_ok:
        raise BadRow("%s is empty" % what)
    if any(ord(ch) < 0x20 for ch in v):
        raise BadRow("%s contains a control character" % what)
    return v


def validate(path, rows, check):
    out = []
    for line, r in rows:
        try:
            out.append(check(r))
        except BadRow as e:
            fail(path, line, str(e))
    return out


def unique(path, rows, values, what, skip=("", 0)):
    seen = {}
    for (line, _), v in zip(rows, values):
        if v in skip:
            continue
        if v in seen:
            fail(path, line, "%s '%s' repeats line %d" % (what, v, seen[v]))
        seen[v] = line


def cstr(s):
    out = ['"']
    for b in s.encode("utf-8"):
        if b in (0x22, 0x5C) or b < 0x20 or b >= 0x7F or b == 0x3F:
            out.append("\\%03o" % b)  # octal: never swallows a following digit; no trigraphs
        else:
            out.append(chr(b))
    out.append('"')
    return "".join(out)


def cbool(v):
    return "true" if v else "false"


def struct_init(row, fields):
    """A row as a C initializer with designated fields, `{.iso3 = "ABW", ...},`: the struct's
    field order is ref.h's to choose (it is ordered against padding), and a field renamed or
    dropped there is a compile error here rather than a value in the wrong place."""
    return "{%s}," % ", ".join(".%s = %s" % (name, fmt(row[name])) for name, fmt in fields)


def letter_key(code):
    k = 0
    for ch in code:
        k = k * 26 + (ord(ch) - 65)
    return k


def direct_table(name, size, codes):
    slots = [0] * size
    for i, c in enumerate(codes):
        if c != "":
            slots[letter_key(c) if c.isalpha() else cameo_slot(c)] = i + 1
    return emit_u16(name, slots)


def emit_u16(name, values):
    lines = ["const uint16_t %s[%d] = {" % (name, len(values))]
    for i in range(0, len(values), 20):
        lines.append("    " + ", ".join(str(v) for v in values[i:i + 20]) + ",")
    lines.append("};")
    return "\n".join(lines)


def cameo_slot(code):
    # 2-digit codes take slots 0..99, 3-digit 100..1099, 4-digit 1100..11099.
    return {2: 0, 3: 100, 4: 1100}[len(code)] + int(code)


def countries(data_dir):
    header = ["iso3", "iso2", "isonum", "fips", "gw", "cow", "cameo", "name", "region",
              "un_member", "un_observer"]
    path, rows = read(data_dir, "countries.csv", header)

    def check(r):
        c = {
            "iso3": letters(r["iso3"], 3, "iso3", False),
            "iso2": letters(r["iso2"], 2, "iso2", True),
            "isonum": integer(r["isonum"], 0, 999, "isonum"),
            "fips": letters(r["fips"], 2, "fips", True),
            "gw": integer(r["gw"], 0, 999, "gw"),
            "cow": integer(r["cow"], 0, 999, "cow"),
            "cameo": letters(r["cameo"], 3, "cameo", True),
            "name": text(r["name"], "name"),
            "region": text(r["region"], "region"),
            "un_member": flag(r["un_member"], "un_member"),
            "un_observer": flag(r["un_observer"], "un_observer"),
        }
        if c["un_member"] and c["un_observer"]:
            raise BadRow("a UN member cannot also be a non-member observer")
        return c

    cs = validate(path, rows, check)
    for k in ("iso3", "iso2", "fips", "cameo", "isonum"):
        unique(path, rows, [c[k] for c in cs], k)
    for i in range(1, len(cs)):
        if cs[i]["iso3"] <= cs[i - 1]["iso3"]:
            fail(path, rows[i][0], "rows must be in ISO3 order: '%s' after '%s'"
                 % (cs[i]["iso3"], cs[i - 1]["iso3"]))
    # A GW number may be shared by a current state and former ones (Russia and the USSR,
    # 365): the current state (one with an ISO 3166-1 alpha-2 code) wins; among former
    # states only, the first in ISO3 order. Two current states may not share one.
    gw = {}
    for i, c in enumerate(cs):
        if c["gw"] == 0:
            continue
        j = gw.get(c["gw"])
        if j is None:
            gw[c["gw"]] = i
        elif cs[j]["iso2"] and c["iso2"]:
            fail(path, rows[i][0], "gw %d is also the current state %s's"
                 % (c["gw"], cs[j]["iso3"]))
        elif c["iso2"] and not cs[j]["iso2"]:
            gw[c["gw"]] = i
    iso = {c["isonum"]: i for i, c in enumerate(cs) if c["isonum"] != 0}

    body = ["const struct ref_country ref_countries[] = {"]
    for c in cs:
        body.append("    " + struct_init(c, [("iso3", cstr), ("iso2", cstr), ("fips", cstr),
                                             ("cameo", cstr), ("name", cstr), ("region", cstr),
                                             ("isonum", str), ("gw", str), ("cow", str),
                                             ("un_member", cbool), ("un_observer", cbool)]))
    body.append("};")
    body.append("const size_t ref_countries_n = %d;" % len(cs))
    body.append(direct_table("ref_country_iso3_index", 26 ** 3, [c["iso3"] for c in cs]))
    body.append(direct_table("ref_country_iso2_index", 26 ** 2, [c["iso2"] for c in cs]))
    # FIPS aliases: further codes GDELT writes for a country (fips_aliases.csv); they resolve
    # through the same index but are not the row's own `fips`.
    apath, arows = read(data_dir, "fips_aliases.csv", ["fips", "iso3", "reason"])
    aliases = validate(apath, arows, lambda r: {"fips": letters(r["fips"], 2, "fips", False),
                                                "iso3": letters(r["iso3"], 3, "iso3", False),
                                                "reason": text(r["reason"], "reason")})
    by_iso3 = {c["iso3"]: i for i, c in enumerate(cs)}
    fips_slots = [0] * 26 ** 2
    for i, c in enumerate(cs):
        if c["fips"]:
            fips_slots[letter_key(c["fips"])] = i + 1
    for (line, _), a in zip(arows, aliases):
        if a["iso3"] not in by_iso3:
            fail(apath, line, "iso3 '%s' is not in countries.csv" % a["iso3"])
        if fips_slots[letter_key(a["fips"])]:
            fail(apath, line, "fips '%s' is already %s's" % (
                a["fips"], cs[fips_slots[letter_key(a["fips"])] - 1]["iso3"]))
        fips_slots[letter_key(a["fips"])] = by_iso3[a["iso3"]] + 1
    body.append(emit_u16("ref_country_fips_index", fips_slots))
    body.append(names(data_dir, path, rows, cs, by_iso3))
    body.append(direct_table("ref_country_cameo_index", 26 ** 3, [c["cameo"] for c in cs]))
    body.append(num_keys("ref_country_gw_keys", gw))
    body.append(num_keys("ref_country_isonum_keys", iso))
    return "\n".join(body)


def names(data_dir, cpath, crows, cs, by_iso3):
    """The name index: every country's name and the aliases of country_aliases.csv (names
    other datasets use, such as ICEWS's "Russian Federation"), sorted by their UTF-8 bytes
    for binary search. A name must lead to one country only."""
    seen = {}
    for (line, _), c in zip(crows, cs):
        if c["name"] in seen:
            fail(cpath, line, "name '%s' repeats line %d" % (c["name"], seen[c["name"]][0]))
        seen[c["name"]] = (line, by_iso3[c["iso3"]])
    apath, arows = read(data_dir, "country_aliases.csv", ["alias", "iso3", "used_by"])
    aliases = validate(apath, arows, lambda r: {"alias": text(r["alias"], "alias"),
                                                "iso3": letters(r["iso3"], 3, "iso3", False),
                                                "used_by": text(r["used_by"], "used_by")})
    keys = {name: row for name, (_, row) in seen.items()}
    for (line, _), a in zip(arows, aliases):
        if a["iso3"] not in by_iso3:
            fail(apath, line, "iso3 '%s' is not in countries.csv" % a["iso3"])
        if a["alias"] in keys:
            fail(apath, line, "alias '%s' is already the name of %s"
                 % (a["alias"], cs[keys[a["alias"]]]["iso3"]))
        keys[a["alias"]] = by_iso3[a["iso3"]]
    lines = ["const struct ref_name_key ref_country_name_keys[] = {"]
    for name in sorted(keys, key=lambda k: k.encode("utf-8")):
        lines.append("    {%s, %d}," % (cstr(name), keys[name]))
    lines.append("};")
    lines.append("const size_t ref_country_name_keys_n = %d;" % len(keys))
    return "\n".join(lines)


def num_keys(name, mapping):
    keys = sorted(mapping.items())
    lines = ["const struct ref_num_key %s[] = {" % name]
    for k, i in keys:
        lines.append("    {%d, %d}," % (k, i))
    lines.append("};")
    lines.append("const size_t %s_n = %d;" % (name, len(keys)))
    return "\n".join(lines)


def views(data_dir):
    path, rows = read(data_dir, "views_countries.csv", ["id", "name", "gw", "iso3", "isonum"])
    vs = validate(path, rows, lambda r: {
        "id": integer(r["id"], 1, 99999, "id"),
        "name": text(r["name"], "name"),
        "gw": integer(r["gw"], 0, 999, "gw"),
        "iso3": letters(r["iso3"], 3, "iso3", True),
        "isonum": integer(r["isonum"], 0, 999, "isonum"),
    })
    unique(path, rows, [v["id"] for v in vs], "id")
    body = ["const struct ref_views_country ref_views_countries[] = {"]
    for v in vs:
        body.append("    " + struct_init(v, [("name", cstr), ("iso3", cstr), ("id", str),
                                             ("gw", str), ("isonum", str)]))
    body.append("};")
    body.append("const size_t ref_views_countries_n = %d;" % len(vs))
    body.append(num_keys("ref_views_id_keys", {v["id"]: i for i, v in enumerate(vs)}))
    return "\n".join(body)


def cameo_events(data_dir):
    path, rows = read(data_dir, "cameo_events.csv",
                      ["code", "description", "goldstein", "quad_class", "root"])

    def check(r):
        code = r["code"]
        if not re.fullmatch("[0-9]{2,4}", code):
            raise BadRow("code '%s' is not 2 to 4 digits" % code)
        try:
            g = float(r["goldstein"])
        except ValueError:
            g = math.nan
        if not -10.0 <= g <= 10.0:
            raise BadRow("goldstein '%s' is not a number in -10..10" % r["goldstein"])
        root = integer(r["root"], 1, 20, "root")
        if root != int(code[:2]):
            raise BadRow("root %d is not the first two digits of code %s" % (root, code))
        return {"code": code, "description": text(r["description"], "description"),
                "goldstein_text": r["goldstein"], "quad": integer(r["quad_class"], 1, 4,
                                                                   "quad_class"),
                "root": root}

    es = validate(path, rows, check)
    unique(path, rows, [e["code"] for e in es], "code")
    quad = {}
    codes = {e["code"] for e in es}
    for (line, _), e in zip(rows, es):
        q = quad.setdefault(e["root"], e["quad"])
        if q != e["quad"]:
            fail(path, line, "quad_class %d differs from %d given to other codes of root %02d"
                 % (e["quad"], q, e["root"]))
        if len(e["code"]) > 2 and e["code"][:len(e["code"]) - 1] not in codes \
                and e["code"][:2] not in codes:
            fail(path, line, "code %s has no parent code" % e["code"])
    if sorted(quad) != list(range(1, 21)):
        fail(path, 0, "expected codes for every root 01..20, found %s" % sorted(quad))
    body = ["const struct ref_cameo_event ref_cameo_events[] = {"]
    for e in es:
        body.append("    {%s, %s, %s, %d, %d}," % (cstr(e["code"]), cstr(e["description"]),
                                                  repr(float(e["goldstein_text"])), e["quad"],
                                                  e["root"]))
    body.append("};")
    body.append("const size_t ref_cameo_events_n = %d;" % len(es))
    body.append(direct_table("ref_cameo_event_index", 11100, [e["code"] for e in es]))
    body.append("const signed char ref_cameo_quad_by_root[21] = {0, %s};"
                % ", ".join(str(quad[r]) for r in range(1, 21)))
    return "\n".join(body)


def cameo_types(data_dir):
    path, rows = read(data_dir, "cameo_types.csv", ["code", "label"])
    ts = validate(path, rows, lambda r: {"code": letters(r["code"], 3, "code", False),
                                         "label": text(r["label"], "label")})
    unique(path, rows, [t["code"] for t in ts], "code")
    body = ["const struct ref_cameo_type ref_cameo_types[] = {"]
    for t in ts:
        body.append("    {%s, %s}," % (cstr(t["code"]), cstr(t["label"])))
    body.append("};")
    body.append("const size_t ref_cameo_types_n = %d;" % len(ts))
    body.append(direct_table("ref_cameo_type_index", 26 ** 3, [t["code"] for t in ts]))
    return "\n".join(body)


def domains(data_dir):
    path, rows = read(data_dir, "domains.csv", ["number", "key", "name", "feature"])

    def check(r):
        if not re.fullmatch("[a-z0-9]+(-[a-z0-9]+)*", r["key"]) or len(r["key"]) > 64:
            raise BadRow("key '%s' is not a lower-case slug (a-z, 0-9, '-')" % r["key"])
        return {"number": integer(r["number"], 1, 20, "number"), "key": r["key"],
                "name": text(r["name"], "name"), "feature": text(r["feature"], "feature")}

    ds = validate(path, rows, check)
    unique(path, rows, [d["key"] for d in ds], "key")
    for i, ((line, _), d) in enumerate(zip(rows, ds)):
        if d["number"] != i + 1:
            fail(path, line, "expected domain number %d, found %d" % (i + 1, d["number"]))
    if len(ds) != 20:
        fail(path, 0, "expected the 20 priority domains, found %d" % len(ds))
    body = ["const struct ref_domain ref_domains[] = {"]
    for d in ds:
        body.append("    {%d, %s, %s, %s}," % (d["number"], cstr(d["key"]), cstr(d["name"]),
                                              cstr(d["feature"])))
    body.append("};")
    body.append("const size_t ref_domains_n = %d;" % len(ds))
    order = sorted(range(len(ds)), key=lambda i: ds[i]["key"].encode())
    body.append(emit_u16("ref_domain_by_key_order", order))
    return "\n".join(body)


def charter33(data_dir):
    path, rows = read(data_dir, "charter33.csv", ["number", "means"])
    ms = validate(path, rows, lambda r: {"number": integer(r["number"], 1, 99, "number"),
                                         "means": text(r["means"], "means")})
    for i, ((line, _), m) in enumerate(zip(rows, ms)):
        if m["number"] != i + 1:
            fail(path, line, "expected number %d, found %d" % (i + 1, m["number"]))
    body = ["const char *const ref_charter33[] = {"]
    body += ["    %s," % cstr(m["means"]) for m in ms]
    body.append("};")
    body.append("const size_t ref_charter33_n = %d;" % len(ms))
    return "\n".join(body)


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: gen_ref.py DATA_DIR OUTPUT.c")
    data_dir, out = sys.argv[1], sys.argv[2]
    parts = [
        "/* Generated by src/ref/gen_ref.py from the CSV files in data/ref/. Do not edit. */",
        "#include \"ref/ref_tables.h\"",
        countries(data_dir), views(data_dir), cameo_events(data_dir), cameo_types(data_dir),
        domains(data_dir), charter33(data_dir),
    ]
    tmp = out + ".tmp"
    with open(tmp, "w", encoding="ascii") as f:
        f.write("\n\n".join(parts) + "\n")
    os.replace(tmp, out)


if __name__ == "__main__":
    main()
