#!/usr/bin/python3
"""How closely can ANY clustering of GSI's projection match the groups Polis exported?

For each conversation in tests/data/deliberation this runs `gsi consensus --format json` (votes
replayed in one-minute windows where votes.csv exists, as tests/unit/consensus/test_polis.c
does; else the matrix once), takes every participant's projection (x, y) and compares, over
the participants that both GSI and Polis clustered, three partitions with Polis's `group-id`
by the adjusted Rand index:

  gsi      GSI's own groups (what the test asserts);
  centre   each participant given to the nearest centre of Polis's groups, the centres being
           the means of Polis's members in GSI's projection;
  settled  k-means (Lloyd) on the participants started from those centres and run until no
           one moves: the partition a k-means method settles on when it starts from Polis's
           answer;
  linear   the best of multinomial logistic regression and a linear SVM (several C values)
           fitted to Polis's labels: the best partition with straight boundaries, which is the
           kind every k-means clustering (and Polis's base-cluster-then-group rule, up to the
           base clusters that straddle a boundary) produces.

`centre` and `linear` are told Polis's answer, so they bound from above what an unsupervised
clustering of the same projection can reach; where they are low, Polis's groups were made on a
different projection (earlier votes, earlier moderation, another version of its rules), which
the export does not record.

    GSI=build/src/cli/gsi bench/consensus/polis_ceiling.py   (from the repository root)
"""
import json, os, subprocess, sys, warnings
import numpy as np, pandas as pd
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import adjusted_rand_score as ari
from sklearn.svm import LinearSVC

warnings.filterwarnings("ignore")
GSI = os.environ.get("GSI", "build/src/cli/gsi")
D = "tests/data/deliberation"


def gsi_projection(d):
    cmd = [GSI, "consensus", "--comments", f"{D}/{d}/comments.csv", "--format", "json"]
    if os.path.exists(f"{D}/{d}/votes.csv"):
        cmd += ["--votes", f"{D}/{d}/votes.csv", "--replay", "60"]
    else:
        cmd += ["--matrix", f"{D}/{d}/participants-votes.csv"]
    out = json.loads(subprocess.run(cmd, check=True, capture_output=True).stdout)
    return {p["id"]: (p["x"], p["y"], -1 if p["group"] is None else p["group"])
            for p in out["participants"]}


def linear_best(x, y):
    best = 0.0
    for c in (0.01, 0.1, 1, 10, 100, 1e4):
        for m in (LogisticRegression(C=c, max_iter=5000), LinearSVC(C=c, max_iter=50000)):
            best = max(best, ari(y, m.fit(x, y).predict(x)))
    return best


def settle(x, centres):
    for _ in range(1000):
        a = ((x[:, None] - centres[None]) ** 2).sum(2).argmin(1)
        new = np.array([x[a == k].mean(0) if (a == k).any() else centres[k]
                        for k in range(len(centres))])
        if np.array_equal(new, centres):
            break
        centres = new
    return ((x[:, None] - centres[None]) ** 2).sum(2).argmin(1)


def main():
    rows = []
    for d in sorted(os.listdir(D)):
        pv = pd.read_csv(f"{D}/{d}/participants-votes.csv")
        proj = gsi_projection(d)
        ref = pv["group-id"].fillna(-1).astype(int).to_numpy()
        pid = pv["participant"].to_numpy()
        g = np.array([proj.get(p, (0, 0, -1))[2] for p in pid])
        xy = np.array([proj.get(p, (0, 0, -1))[:2] for p in pid], dtype=float)
        both = (g >= 0) & (ref >= 0)
        x, y = xy[both], ref[both]
        labels = np.unique(y)
        centres = np.array([x[y == k].mean(0) for k in labels])
        nearest = labels[((x[:, None] - centres[None]) ** 2).sum(2).argmin(1)]
        rows.append((d, both.sum(), len(labels), ari(y, g[both]), ari(y, nearest),
                     ari(y, settle(x, centres)), linear_best(x, y)))
        print(f"{d[:44]:44s} both {rows[-1][1]:5d} polis k {rows[-1][2]} gsi {rows[-1][3]:.3f} "
              f"centre {rows[-1][4]:.3f} settled {rows[-1][5]:.3f} linear {rows[-1][6]:.3f}",
              flush=True)
    m = np.mean([r[3:] for r in rows], axis=0)
    print(f"{'mean':44s} {'':22s} gsi {m[0]:.3f} centre {m[1]:.3f} settled {m[2]:.3f} "
          f"linear {m[3]:.3f}")


if __name__ == "__main__":
    sys.exit(main())
