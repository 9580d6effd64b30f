#!/usr/bin/python3
"""The same computation as GSI's consensus engine, in numpy + scipy.sparse + scikit-learn.

    peer.py PREFIX N M

Reads PREFIX.coo (int32 row, int32 col, int8 vote records written by `bench --dump`) and
PREFIX.groups (GSI's group per participant, int8, -1 = not clustered). Runs Polis's method:
column means, two principal components by orthogonal power iteration on the centred sparse
matrix (same start rule, tolerance and cap as GSI), the sparsity-aware projection, the
in-conversation rule, base k-means (k = 100, first distinct points as the start, at most 100
iterations), group k-means over the base centres weighted by size for k = 2..min(5, 2 +
bases/12) chosen by silhouette, then per-group vote counts and group-informed consensus.
Prints the time of each stage, the peak memory, and the adjusted Rand index against GSI.
"""
import resource
import sys
import time

import numpy as np
import scipy.sparse as sp
from sklearn.cluster import KMeans
from sklearn.metrics import adjusted_rand_score, silhouette_score


def first_distinct(pts, k):
    _, idx = np.unique(pts, axis=0, return_index=True)
    idx = np.sort(idx)[:k]
    return pts[idx]


def main():
    prefix, n, m = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    rec = np.dtype([("r", "<i4"), ("c", "<i4"), ("v", "i1")])
    t0 = time.perf_counter()
    coo = np.fromfile(prefix + ".coo", dtype=rec)
    gsi_groups = np.fromfile(prefix + ".groups", dtype=np.int8).astype(np.int32)
    t_load = time.perf_counter() - t0

    t0 = time.perf_counter()
    rows, cols, vals = coo["r"], coo["c"], coo["v"].astype(np.float64)
    del coo
    X = sp.csr_matrix((vals, (rows, cols)), shape=(n, m))
    t_build = time.perf_counter() - t0

    t0 = time.perf_counter()
    cnt = np.bincount(cols, minlength=m).astype(np.float64)
    tot = np.bincount(cols, weights=vals, minlength=m)
    mu = np.divide(tot, cnt, out=np.zeros(m), where=cnt > 0)
    Xc = X.copy()
    Xc.data = Xc.data - mu[Xc.indices]  # centred; missing cells stay 0 = imputed mean
    rng = np.random.default_rng(1)
    Q = np.linalg.qr(rng.standard_normal((m, 2)))[0]
    it = 0
    for it in range(1, 101):
        S = Xc @ Q
        W = Xc.T @ S
        Qn, _ = np.linalg.qr(W)
        sv = np.linalg.svd(Q.T @ Qn, compute_uv=False)
        Qold, Q = Q, Qn
        if np.sqrt(max(0.0, 1 - sv.min() ** 2)) <= 1e-5:
            break
    S = Xc @ Qold
    nv = np.diff(X.indptr).astype(np.float64)
    proj = S * np.sqrt(m / np.maximum(nv, 1))[:, None]
    t_pca = time.perf_counter() - t0

    t0 = time.perf_counter()
    inconv = nv >= min(7, m)
    if inconv.sum() < 15:
        order = np.argsort(-nv, kind="stable")
        for i in order:
            if inconv.sum() >= 15:
                break
            if nv[i] > 0:
                inconv[i] = True
    idx = np.where(inconv)[0]
    pts = proj[idx]
    init = first_distinct(pts, 100)
    base = KMeans(n_clusters=len(init), init=init, n_init=1, max_iter=100).fit(pts)
    labels = base.labels_
    used = np.unique(labels)
    centres = base.cluster_centers_[used]
    remap = np.full(len(init), -1)
    remap[used] = np.arange(len(used))
    labels = remap[labels]
    w = np.bincount(labels, minlength=len(used)).astype(np.float64)
    maxk = min(5, 2 + len(used) // 12)
    best = None
    for k in range(2, maxk + 1):
        g = KMeans(n_clusters=k, init=first_distinct(centres, k), n_init=1, max_iter=20)
        g.fit(centres, sample_weight=w)
        if len(np.unique(g.labels_)) < 2:
            continue
        s = silhouette_score(centres, g.labels_)
        if best is None or s > best[0]:
            best = (s, k, g.labels_)
    groups = np.full(n, -1, dtype=np.int32)
    groups[idx] = best[2][labels]
    t_cluster = time.perf_counter() - t0

    t0 = time.perf_counter()
    k = best[1]
    mask = groups >= 0
    G = sp.csr_matrix((np.ones(mask.sum()), (groups[mask], np.where(mask)[0])), shape=(k, n))
    A = G @ (X == 1).astype(np.float64)
    S_ = G @ (X != 0).astype(np.float64)  # explicit zeros (passes) are stored; see below
    # passes: stored entries equal to 0 are dropped by scipy, so count them from the records
    pass_rows, pass_cols = rows[vals == 0], cols[vals == 0]
    Pm = sp.csr_matrix((np.ones(len(pass_rows)), (pass_rows, pass_cols)), shape=(n, m))
    S_ = S_ + G @ Pm
    gic = np.prod((A.toarray() + 1) / (S_.toarray() + 2), axis=0)
    t_stats = time.perf_counter() - t0

    total = t_pca + t_cluster + t_stats
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    both = (groups >= 0) & (gsi_groups >= 0)
    ari = adjusted_rand_score(groups[both], gsi_groups[both])
    print(f"peer(numpy+sklearn) n={n} m={m} votes={len(rows)}  compute {total:.3f} s "
          f"(pca {t_pca:.3f} [{it} iters], cluster {t_cluster:.3f}, stats {t_stats:.3f}; "
          f"+ matrix build {t_build:.3f}, load {t_load:.3f})  groups {k}  "
          f"ARI_vs_GSI {ari:.4f}  peak {peak:.0f} MiB  gic_mean {gic.mean():.4f}")


if __name__ == "__main__":
    main()
