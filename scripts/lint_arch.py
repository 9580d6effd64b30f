#!/usr/bin/env python3
"""lint_arch.py [ROOT] — docs/architecture.md's module table against the build.

Reads every src/<module>/meson.build, finds the dependencies each module's target declares
(the static library gsi_<module>, or for src/cli the gsi executable), expanding list variables
defined in the same file, and maps them to GSI modules (<module>_dep) and to external libraries
(a variable assigned from dependency('name')); Meson's own m and threads are left out. The
table in docs/architecture.md between the markers `<!-- modules: begin -->` and
`<!-- modules: end -->` must give each module the same "uses" and "external" sets. Prints
each disagreement, then "checks: N passed, M failed" (one check a module). Exit status 1 on
any disagreement. `lint_arch.py --print` prints the table the build implies instead."""
import os, re, sys

args = [a for a in sys.argv[1:] if not a.startswith("--")]
root = args[0] if args else os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
src = os.path.join(root, "src")
SYSTEM = {"m", "threads"}


def strip_comments(text):
    return "\n".join(line.split("#", 1)[0] for line in text.splitlines())


def call_args(text, start):
    """The text inside the parentheses opening at text[start] ('(')."""
    depth, i = 0, start
    while i < len(text):
        if text[i] in "([":
            depth += 1
        elif text[i] in ")]":
            depth -= 1
            if depth == 0:
                return text[start + 1:i]
        i += 1
    raise ValueError("unbalanced parentheses")


def expand(expr, lists):
    """Identifiers of a dependency expression: [a, b] + var, with list variables expanded."""
    out = []
    for ident in re.findall(r"[A-Za-z_]\w*", expr):
        if ident in lists:
            out += expand(lists[ident], lists)
        else:
            out.append(ident)
    return out


def build_deps():
    externals, lists, found = {}, {}, {}
    texts = {}
    for mod in sorted(os.listdir(src)):
        path = os.path.join(src, mod, "meson.build")
        if os.path.isfile(path):
            texts[mod] = strip_comments(open(path).read())
    for mod, t in texts.items():
        for var, name in re.findall(r"^\s*(\w+)\s*=\s*dependency\(\s*'([^']+)'", t, re.M):
            externals[var] = name
    for mod, t in texts.items():
        lists = {}
        for m in re.finditer(r"^\s*(\w+)\s*=\s*\[", t, re.M):
            lists[m.group(1)] = call_args(t, m.end() - 1)
        target = re.search(r"static_library\(\s*'gsi_%s'" % re.escape(mod), t) or \
            re.search(r"executable\(\s*'gsi'", t)
        if target is None:
            continue
        body = call_args(t, t.index("(", target.start()))
        m = re.search(r"dependencies\s*:\s*(.*?)(?:,\s*\w+\s*:|$)", body, re.S)
        idents = expand(m.group(1), lists) if m else []
        uses, ext = set(), set()
        for ident in idents:
            if ident.endswith("_dep") and ident[:-4] in texts:
                uses.add(ident[:-4])
            elif ident in externals:
                ext.add(externals[ident])
            elif ident not in SYSTEM:
                ext.add(ident)
        found[mod] = (uses, ext)
    return found


def doc_table(path):
    text = open(path).read()
    m = re.search(r"<!-- modules: begin[^>]*-->(.*?)<!-- modules: end -->", text, re.S)
    if not m:
        return None
    rows = {}
    for line in m.group(1).splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        mm = re.match(r"`src/(\w+)/`", cells[0]) if cells else None
        if not mm or len(cells) < 3:
            continue
        def names(cell):
            return {n for n in re.findall(r"`?([\w.+-]+)`?", cell) if n not in ("—", "-")}
        rows[mm.group(1)] = (names(cells[1]), names(cells[2]))
    return rows


def fmt(names):
    return ", ".join(f"`{n}`" for n in sorted(names)) or "—"


deps = build_deps()
if "--print" in sys.argv:
    print("| module | uses | external libraries |\n|---|---|---|")
    for mod in deps:
        print(f"| `src/{mod}/` | {fmt(deps[mod][0])} | {fmt(deps[mod][1])} |")
    sys.exit(0)
table = doc_table(os.path.join(root, "docs", "architecture.md"))
passed = failed = 0
if table is None:
    print("lint: docs/architecture.md has no <!-- modules: begin/end --> table")
    print("checks: 0 passed, 1 failed")
    sys.exit(1)
for mod in sorted(set(deps) | set(table)):
    if mod not in deps:
        print(f"lint: docs/architecture.md lists src/{mod}/, which the build does not have")
        failed += 1
        continue
    if mod not in table:
        print(f"lint: src/{mod}/ is built but not in docs/architecture.md's module table")
        failed += 1
        continue
    ok = True
    for i, what in enumerate(("uses", "external libraries")):
        if deps[mod][i] != table[mod][i]:
            print(f"lint: src/{mod}/ {what}: meson.build says {fmt(deps[mod][i])}, "
                  f"docs/architecture.md says {fmt(table[mod][i])}")
            ok = False
    passed += ok
    failed += not ok
if failed == 0:
    print("lint: docs/architecture.md's module table matches the meson.build dependencies")
print(f"checks: {passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
