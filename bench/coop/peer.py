#!/usr/bin/python3
"""The allocation's peer: the same lexicographic max-min allocation by LP progressive filling
with scipy.optimize.linprog (HiGHS), on an instance dumped by bench/coop/bench --dump.

Round: maximise a common level t for the parties not yet fixed (the fixed ones keep at least
their share); with L = floor(t), one more LP maximises how many of them reach L + 1 together
(a totally unimodular system, so the simplex vertex is integral); those that do not are fixed
at L. Prints "peer T s cpu C s lps N vector HASH", HASH as bench.c computes it.

Usage: peer.py INSTANCE
"""
import math
import sys
import time

import numpy as np
from scipy.optimize import linprog
from scipy.sparse import coo_matrix, hstack, vstack


def load(path):
    with open(path) as f:
        np_, no, nq = map(int, f.readline().split())
        offers = np.array([list(map(int, f.readline().split())) for _ in range(no)], dtype=np.int64)
        reqs = np.array([list(map(int, f.readline().split())) for _ in range(nq)], dtype=np.int64)
    return np_, offers.reshape(-1, 6), reqs.reshape(-1, 7)


def edges(offers, reqs):
    """Compatible (request, offer) pairs, by the four rules of coop.h."""
    er, eo = [], []
    for d in np.unique(reqs[:, 1]):
        oi = np.nonzero((offers[:, 0] == d) & (offers[:, 3] > 0))[0]
        ri = np.nonzero(reqs[:, 1] == d)[0]
        if len(oi) == 0 or len(ri) == 0:
            continue
        o, r = offers[oi], reqs[ri]
        lang = (r[:, 2][:, None] & o[:, 1][None, :]) != 0
        region = (o[:, 2][None, :] == 0) | (((o[:, 2][None, :] >> r[:, 3][:, None]) & 1) != 0)
        dates = (r[:, 5][:, None] <= o[:, 4][None, :]) & (o[:, 5][None, :] <= r[:, 6][:, None])
        a, b = np.nonzero(lang & region & dates)
        er.append(ri[a])
        eo.append(oi[b])
    if not er:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    return np.concatenate(er), np.concatenate(eo)


def maxmin(np_, offers, reqs):
    er, eo = edges(offers, reqs)
    nx = len(er)
    share = np.zeros(np_, dtype=np.int64)
    if nx == 0:
        return share, 0
    cols = np.arange(nx)
    cap = coo_matrix((np.ones(nx), (eo, cols)), shape=(len(offers), nx)).tocsr()
    dem = coo_matrix((np.ones(nx), (er, cols)), shape=(len(reqs), nx)).tocsr()
    party = coo_matrix((np.ones(nx), (reqs[er, 0], cols)), shape=(np_, nx)).tocsr()
    base = vstack([cap, dem]).tocsr()
    b_base = np.concatenate([offers[:, 3], reqs[:, 4]]).astype(float)
    live = np.unique(reqs[er, 0])
    fixed = np.zeros(np_, dtype=bool)
    fixed[np.setdiff1d(np.arange(np_), live)] = True
    lps = 0
    while len(live) > 0:
        fx = np.nonzero(fixed)[0]
        # 1. max t
        tcol = coo_matrix((np.ones(len(live)), (np.arange(len(live)), np.zeros(len(live)))),
                          shape=(len(live), 1))
        zero_base = coo_matrix((base.shape[0], 1))
        zero_fx = coo_matrix((len(fx), 1))
        a_ub = vstack([hstack([base, zero_base]), hstack([-party[live], tcol]),
                       hstack([-party[fx], zero_fx])]).tocsr()
        b_ub = np.concatenate([b_base, np.zeros(len(live)), -share[fx].astype(float)])
        c = np.zeros(nx + 1)
        c[-1] = -1
        res = linprog(c, A_ub=a_ub, b_ub=b_ub, bounds=(0, None), method="highs")
        lps += 1
        assert res.status == 0, res.message
        level = math.floor(-res.fun + 1e-7)
        # 2. how many reach level + 1
        a_ub = vstack([base, -party[live], party[live], -party[fx]]).tocsr()
        b_ub = np.concatenate([b_base, -np.full(len(live), level, dtype=float),
                               np.full(len(live), level + 1, dtype=float),
                               -share[fx].astype(float)])
        c = -np.asarray(party[live].sum(axis=0)).ravel()
        res = linprog(c, A_ub=a_ub, b_ub=b_ub, bounds=(0, None), method="highs-ds")
        lps += 1
        assert res.status == 0, res.message
        got = party[live] @ res.x
        raised = live[got >= level + 1 - 1e-6]
        stuck = np.setdiff1d(live, raised)
        share[stuck] = level
        fixed[stuck] = True
        share[raised] = level + 1
        live = raised
    return share, lps


def main():
    np_, offers, reqs = load(sys.argv[1])
    t0, c0 = time.perf_counter(), time.process_time()
    share, lps = maxmin(np_, offers, reqs)
    t, c = time.perf_counter() - t0, time.process_time() - c0
    h = 1469598103934665603
    for v in sorted(share.tolist()):
        h = ((h ^ v) * 1099511628211) & 0xFFFFFFFFFFFFFFFF
    s = sorted(share.tolist())
    print("peer %.6f s  cpu %.6f s  lps %d min %d max %d vector %016x" %
          (t, c, lps, s[0] if s else 0, s[-1] if s else 0, h))


if __name__ == "__main__":
    main()
