#!/usr/bin/env python3
"""Writes ref_aliases.c from data/ref/country_aliases.csv (alias,iso3,used_by).

Fails the build, naming the line, on a row that is not three fields, an ISO3 that is not
three capital letters, or an alias given twice."""
import csv
import re
import sys


def main():
    src, out = sys.argv[1], sys.argv[2]
    rows, seen = [], set()
    with open(src, newline='', encoding='utf-8') as f:
        reader = csv.reader(f)
        header = next(reader)
        if header != ['alias', 'iso3', 'used_by']:
            sys.exit(f'{src}:1: expected the header alias,iso3,used_by')
        for line, row in enumerate(reader, start=2):
            if len(row) != 3 or not re.fullmatch(r'[A-Z]{3}', row[1]) or not row[0]:
                sys.exit(f'{src}:{line}: expected alias,ISO3,used_by')
            if row[0] in seen:
                sys.exit(f'{src}:{line}: alias {row[0]!r} given twice')
            seen.add(row[0])
            rows.append(row)
    with open(out, 'w', encoding='utf-8') as f:
        f.write('/* Generated from data/ref/country_aliases.csv by gen_aliases.py. */\n')
        f.write('#include "ref/ref_aliases.h"\n\n')
        f.write('const struct ref_alias_row ref_alias_rows[] = {\n')
        for alias, iso3, _ in rows:
            esc = alias.replace('\\', '\\\\').replace('"', '\\"')
            f.write(f'    {{"{esc}", "{iso3}"}},\n')
        f.write('};\n')
        f.write(f'const size_t ref_alias_count = {len(rows)};\n')


if __name__ == '__main__':
    main()
