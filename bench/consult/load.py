"""bench/consult/load.py GSI [POSTGRES_URL] — public participants voting into one consultation
over HTTP, beside the platform's plain journalled write as the peer.

Sets up `gsi serve` (SQLite in a temporary directory, or the PostgreSQL URL given), an open
consultation between ETH and ERI with 50 statements, and N public participants (default 10,000;
GSI_BENCH_PARTICIPANTS) who register over HTTP. Then:

  1. wrk (GSI_BENCH_CONNS connections, GSI_BENCH_SECONDS) posts votes, each from a random
     participant on a random statement: votes/s and p99 latency (wrk --latency);
  2. meanwhile a poller samples, every GSI_BENCH_POLL_MS (default 50), the journal's size
     (GET /v1/journal/checkpoint: every committed vote is one entry) and the consensus view's
     vote count (GET /v1/consultations/{id}/consensus). Vote k was committed at the first sample
     where the journal had grown by k, and reflected at the first sample where the view counted
     k: staleness = the difference, p50/p99/max over all votes (resolution: one poll interval);
  3. the peer: wrk posting the platform's plain journalled record (POST
     /v1/parties/ETH/records) with the same connections and duration; the ratio of votes/s to it.

Prints one table; asserts nothing about time."""

import json
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..",
                                "tests", "integration"))
from gsi_http import Env, Server  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
N = int(os.environ.get("GSI_BENCH_PARTICIPANTS", "10000"))
SECS = int(os.environ.get("GSI_BENCH_SECONDS", "10"))
CONNS = int(os.environ.get("GSI_BENCH_CONNS", "128"))
POLL = int(os.environ.get("GSI_BENCH_POLL_MS", "50")) / 1000.0


def get_prefix(url, n=400):
    """The first n bytes of a GET (the view's counts come first)."""
    with urllib.request.urlopen(url, timeout=30) as r:
        return r.read().decode(errors="replace")[:n]


def journal_size(base):
    with urllib.request.urlopen(base + "/v1/journal/checkpoint", timeout=30) as r:
        return json.load(r)["size"]


def view_votes(base, cid):
    m = re.search(r'"votes":(\d+)', get_prefix(f"{base}/v1/consultations/{cid}/consensus"))
    return int(m.group(1))


def wrk(url, script, env):
    p = subprocess.run(["wrk", "-t2", f"-c{CONNS}", f"-d{SECS}s", "--latency", "-s", script,
                        url], capture_output=True, text=True, env={**os.environ, **env})
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", p.stdout).group(1))
    m = re.search(r"^\s+99%\s+([\d.]+)(us|ms|s)", p.stdout, re.M)
    p99 = float(m.group(1)) * {"us": 0.001, "ms": 1, "s": 1000}[m.group(2)]
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", p.stdout)
    return rps, p99, int(bad.group(1)) if bad else 0, p.stdout


def pct(xs, q):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(q * len(xs)))] if xs else float("nan")


def main():
    gsi = sys.argv[1]
    db = sys.argv[2] if len(sys.argv) > 2 and sys.argv[2] else None
    env = Env(gsi, db)
    env.init()
    eth = env.delegate("ETH")
    eri = env.delegate("ERI")
    srv = Server(env, "--public-rate", str(10 * N + 100))
    base = srv.base
    try:
        st, r, _ = srv.call("POST", "/v1/consultations", eth, {
            "type": "propose", "parties": ["ERI"], "means": "mediation", "domain": "africa",
            "question": "Load", "open": True, "rule": "consensus"})
        cid = r["case"]
        srv.call("POST", f"/v1/consultations/{cid}/consent", eri, {})
        stmts = [srv.call("POST", f"/v1/consultations/{cid}/statement", eth,
                          {"text": f"statement {i}"})[1]["record"] for i in range(50)]
        t0 = time.time()
        with ThreadPoolExecutor(32) as ex:
            toks = list(ex.map(lambda i: srv.call(
                "POST", f"/v1/consultations/{cid}/participants",
                body={"name": f"p{i}"})[1]["token"], range(N)))
        reg_s = time.time() - t0
        tokfile = os.path.join(env.tmp, "tokens.txt")
        with open(tokfile, "w") as f:
            f.write("\n".join(toks) + "\n")
        view_votes(base, cid)  # start following the consultation
        j0, v0 = journal_size(base), view_votes(base, cid)
        samples, stop = [], threading.Event()

        def poll():
            while not stop.is_set():
                t = time.time()
                samples.append((t, journal_size(base) - j0, view_votes(base, cid) - v0))
                time.sleep(max(0.0, POLL - (time.time() - t)))

        th = threading.Thread(target=poll)
        th.start()
        rps, p99, bad, _ = wrk(f"{base}/v1/consultations/{cid}/public/vote",
                               os.path.join(HERE, "vote.lua"),
                               {"GSI_BENCH_TOKENS": tokfile,
                                "GSI_BENCH_STMTS": " ".join(map(str, stmts)),
                                "GSI_BENCH_PATH": f"/v1/consultations/{cid}/public/vote"})
        total = journal_size(base) - j0
        deadline = time.time() + 60
        while time.time() < deadline and view_votes(base, cid) - v0 < total:
            time.sleep(POLL)
        time.sleep(2 * POLL)
        stop.set()
        th.join()
        # Staleness per vote: first sample with the journal past k, first with the view past k.
        stale, ci, vi = [], 0, 0
        for k in range(1, total + 1):
            while ci < len(samples) and samples[ci][1] < k:
                ci += 1
            while vi < len(samples) and samples[vi][2] < k:
                vi += 1
            if ci < len(samples) and vi < len(samples):
                stale.append(samples[vi][0] - samples[ci][0])
        peer_script = os.path.join(env.tmp, "post.lua")
        with open(peer_script, "w") as f:
            f.write('wrk.method = "POST"\nwrk.body = \'{"type":"note.bench","payload":'
                    '{"text":"bench"}}\'\nwrk.headers["Content-Type"] = "application/json"\n'
                    f'wrk.headers["Authorization"] = "Bearer {eth}"\n')
        prps, pp99, pbad, _ = wrk(f"{base}/v1/parties/ETH/records", peer_script, {})
    finally:
        srv.stop()
    store = "PostgreSQL" if db else "SQLite"
    print(f"bench/consult ({store}): {N} public participants registered in {reg_s:.1f} s; "
          f"wrk -t2 -c{CONNS} -d{SECS}s; {os.cpu_count()} CPUs")
    print(f"{'what':44} {'req/s':>9} {'p99 ms':>8} {'non-2xx':>8}")
    print(f"{'public votes (journalled, projected)':44} {rps:9.0f} {p99:8.1f} {bad:8d}")
    print(f"{'peer: plain journalled record':44} {prps:9.0f} {pp99:8.1f} {pbad:8d}")
    print(f"votes/s over the peer's writes/s: {rps / prps:.2f}")
    print(f"consensus view staleness over {len(stale)} votes (poll every {POLL * 1000:.0f} ms): "
          f"p50 {pct(stale, 0.5):.3f} s, p99 {pct(stale, 0.99):.3f} s, max {max(stale):.3f} s")
    ok = max(stale) <= 1.0
    print(f"target (every vote reflected within 1 s at 2,000 votes/s): "
          f"{'met' if ok and rps >= 2000 else 'NOT met'} (max {max(stale):.2f} s at {rps:.0f}/s)")
    p = env.run("journal", "verify", check=False)
    print("gsi journal verify after the run:", "ok" if p.returncode == 0 else "FAILED")
    env.cleanup()


if __name__ == "__main__":
    main()
