#!/usr/bin/python3
"""Checks `gsi cooperation allocate` against an independent LP solution.

On random instances (seeded) it runs the program, then
  1. checks the allocation itself: every grant joins a compatible offer and request (domain,
     a shared language, the offer open to the request's region, the course inside the
     request's window), no offer gives and no request takes more than its places;
  2. computes the integral lexicographic max-min vector of the parties' totals by
     progressive filling with scipy.optimize.linprog (HiGHS): raise a common level t for the
     parties not yet fixed (LP: max t); take L = floor(t); then one more LP finds how many of
     them can reach L + 1 together (the constraint matrix is totally unimodular, so a vertex
     is integral); those that do not reach it are fixed at L, the others go on;
  3. compares the sorted per-party vectors, which are unique even when allocations are not.
It also checks that the output does not change between runs, nor (sorted) when the requests
come in another order.

Usage: alloc_lp.py GSI [INSTANCES] [SEED]
Prints "checks: N passed, M failed".
"""
import json
import math
import os
import random
import subprocess
import sys
import tempfile

import numpy as np
from scipy.optimize import linprog

DOMAINS = ["wmd-arms-control", "transnational-crime", "biosecurity"]
LANGS = ["en", "fr", "es", "ar"]
REGIONS = ["Africa", "Asia", "Americas"]
DAYS = ["2027-01-01", "2027-02-01", "2027-03-01", "2027-04-01", "2027-05-01"]


def instance(rng):
    nd, nl, nr = rng.randint(1, 3), rng.randint(1, 4), rng.randint(1, 3)
    parties = ["P%02d" % i for i in range(rng.randint(2, 10))]
    offers = []
    for i in range(rng.randint(1, 12)):
        a, b = sorted(rng.sample(range(len(DAYS)), 2))
        o = {"id": "o%d" % i, "party": "CHN", "domain": DOMAINS[rng.randrange(nd)],
             "places": rng.randint(0, 7), "languages": rng.sample(LANGS[:nl], rng.randint(1, nl)),
             "start": DAYS[a], "end": DAYS[b]}
        if rng.random() < 0.5:
            o["regions"] = rng.sample(REGIONS[:nr], rng.randint(1, nr))
        offers.append(o)
    reqs = []
    for i in range(rng.randint(1, 30)):
        r = {"id": "r%d" % i, "party": rng.choice(parties), "domain": DOMAINS[rng.randrange(nd)],
             "places": rng.randint(1, 8), "languages": rng.sample(LANGS[:nl], rng.randint(1, nl)),
             "region": REGIONS[rng.randrange(nr)]}
        if rng.random() < 0.6:
            a, b = sorted(rng.sample(range(len(DAYS)), 2))
            r["start"], r["end"] = DAYS[a], DAYS[b]
        reqs.append(r)
    return offers, reqs


def compatible(o, r):
    return (o["domain"] == r["domain"] and set(o["languages"]) & set(r["languages"])
            and ("regions" not in o or r["region"] in o["regions"])
            and r.get("start", "0000") <= o["start"] and o["end"] <= r.get("end", "9999"))


def lp_maxmin(offers, reqs):
    """The integral lexicographic max-min vector of party totals, by LP progressive filling."""
    edges = [(ri, oi) for ri, r in enumerate(reqs) for oi, o in enumerate(offers)
             if o["places"] > 0 and compatible(o, r)]
    parties = sorted({r["party"] for r in reqs})
    value = {p: 0 for p in parties}
    live = sorted({reqs[ri]["party"] for ri, _ in edges})
    nx = len(edges)
    if nx == 0:
        return sorted(value.values())
    # Rows: offer capacities, request demands (A x <= b).
    a_cap, b_cap = [], []
    for oi, o in enumerate(offers):
        a_cap.append([1.0 if e[1] == oi else 0.0 for e in edges])
        b_cap.append(o["places"])
    for ri, r in enumerate(reqs):
        a_cap.append([1.0 if e[0] == ri else 0.0 for e in edges])
        b_cap.append(r["places"])
    party_row = {p: np.array([1.0 if reqs[e[0]]["party"] == p else 0.0 for e in edges])
                 for p in parties}
    fixed = {}
    while live:
        # 1. max t: every live party >= t, every fixed one >= its value.
        a_ub = [row + [0.0] for row in a_cap]
        b_ub = list(b_cap)
        for p in live:
            a_ub.append(list(-party_row[p]) + [1.0])
            b_ub.append(0.0)
        for p, v in fixed.items():
            a_ub.append(list(-party_row[p]) + [0.0])
            b_ub.append(-v)
        c = [0.0] * nx + [-1.0]
        res = linprog(c, A_ub=a_ub, b_ub=b_ub, bounds=[(0, None)] * (nx + 1), method="highs")
        assert res.status == 0, res.message
        level = math.floor(-res.fun + 1e-7)
        # 2. max number of live parties at level + 1 with the others at >= level.
        a_ub = [list(row) for row in a_cap]
        b_ub = list(b_cap)
        for p in live:
            a_ub.append(list(-party_row[p]))
            b_ub.append(-level)
            a_ub.append(list(party_row[p]))
            b_ub.append(level + 1)
        for p, v in fixed.items():
            a_ub.append(list(-party_row[p]))
            b_ub.append(-v)
        c = -np.sum([party_row[p] for p in live], axis=0)
        res = linprog(c, A_ub=a_ub, b_ub=b_ub, bounds=[(0, None)] * nx, method="highs-ds")
        assert res.status == 0, res.message
        x = res.x
        assert np.allclose(x, np.round(x), atol=1e-6), "vertex not integral"
        raised = [p for p in live if party_row[p] @ x >= level + 1 - 1e-6]
        for p in live:
            if p not in raised:
                fixed[p] = level
                value[p] = level
        if not raised:
            break
        live = raised
    return sorted(value.values())


def run(gsi, offers, reqs, by, tmp):
    of, rf = os.path.join(tmp, "offers.json"), os.path.join(tmp, "requests.json")
    with open(of, "w") as f:
        json.dump(offers, f)
    with open(rf, "w") as f:
        json.dump(reqs, f)
    out = subprocess.run([gsi, "cooperation", "allocate", "--offers", of, "--requests", rf,
                          "--by", by, "--format", "json"], capture_output=True, text=True)
    if out.returncode != 0:
        raise RuntimeError(out.stderr)
    return json.loads(out.stdout)


def feasible(offers, reqs, grants):
    byid_o = {o["id"]: o for o in offers}
    byid_r = {r["id"]: r for r in reqs}
    given = {o["id"]: 0 for o in offers}
    taken = {r["id"]: 0 for r in reqs}
    for g in grants:
        if g["offer"] is None:
            if g["places"] != 0:
                return "a row without an offer has places"
            continue
        o, r = byid_o[g["offer"]], byid_r[g["request"]]
        if not compatible(o, r) or g["places"] <= 0:
            return "grant %s" % g
        given[o["id"]] += g["places"]
        taken[r["id"]] += g["places"]
    for o in offers:
        if given[o["id"]] > o["places"]:
            return "offer %s over its places" % o["id"]
    for r in reqs:
        if taken[r["id"]] > r["places"]:
            return "request %s over its places" % r["id"]
    return None


def main():
    gsi = sys.argv[1]
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 150
    seed = int(sys.argv[3]) if len(sys.argv) > 3 else 20271
    rng = random.Random(seed)
    passed = failed = 0

    def check(ok, what):
        nonlocal passed, failed
        if ok:
            passed += 1
        else:
            failed += 1
            print("FAIL:", what)

    with tempfile.TemporaryDirectory() as tmp:
        for k in range(count):
            offers, reqs = instance(rng)
            grants = run(gsi, offers, reqs, "request", tmp)
            totals = run(gsi, offers, reqs, "party", tmp)
            why = feasible(offers, reqs, grants)
            check(why is None, "instance %d infeasible: %s" % (k, why))
            mine = sorted(t["allocated"] for t in totals)
            sums = {}
            for g in grants:
                sums[g["party"]] = sums.get(g["party"], 0) + g["places"]
            check(all(sums.get(t["party"], 0) == t["allocated"] for t in totals),
                  "instance %d: --by party disagrees with --by request" % k)
            peer = lp_maxmin(offers, reqs)
            check(mine == peer, "instance %d: gsi %s, LP %s\n%s\n%s" %
                  (k, mine, peer, json.dumps(offers), json.dumps(reqs)))
            if k % 10 == 0:
                check(run(gsi, offers, reqs, "request", tmp) == grants,
                      "instance %d: not the same on a second run" % k)
                shuffled = reqs[:]
                rng.shuffle(shuffled)
                again = sorted(t["allocated"] for t in run(gsi, offers, shuffled, "party", tmp))
                check(again == mine, "instance %d: shuffled requests change the vector" % k)
    print("checks: %d passed, %d failed" % (passed, failed))
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
