#!/usr/bin/python3
"""bench/coop/acts.py GSI — cooperation acts arriving together over HTTP (SQLite).

Every act on an offer or a request is followed, before its answer, by an allocation that
reflects it, journalled as a `cooperation.allocation` record (docs/internals/cooperation.md).
This measures what that costs when many acts arrive at once: with GSI_BENCH_REQUESTS open
requests (default 500), GSI_BENCH_ACTS offers (default 200) are posted by GSI_BENCH_CLIENTS
concurrent clients (default 32). Prints the wall time, acts/s, how many allocation records
those acts led to, and, as a check, whether the last allocation record is the allocation
`gsi cooperation allocate --db` computes from the database afterwards. Peer: the same
clients posting the platform's plain journalled record in the same run. Asserts nothing
about time."""
import json
import os
import sqlite3
import sys
import time
from concurrent.futures import ThreadPoolExecutor

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..",
                                "tests", "integration"))
from gsi_http import Env, Server  # noqa: E402

NREQ = int(os.environ.get("GSI_BENCH_REQUESTS", "500"))
NACTS = int(os.environ.get("GSI_BENCH_ACTS", "200"))
CLIENTS = int(os.environ.get("GSI_BENCH_CLIENTS", "32"))
PARTIES = ["KEN", "BRA", "SEN", "IND", "NGA", "EGY", "ARG", "MEX", "IDN", "PAK", "ZAF", "PER",
           "GHA", "VNM", "COL", "ETH"]
DAYS = {"start": "2027-03-01", "end": "2027-03-10"}


def post_all(srv, items, clients):
    """Posts (path, token, body) items from `clients` threads; returns (seconds, statuses)."""
    t0 = time.time()
    with ThreadPoolExecutor(clients) as ex:
        st = list(ex.map(lambda x: srv.call("POST", x[0], x[1], x[2], timeout=600)[0], items))
    return time.time() - t0, st


def allocations(db):
    con = sqlite3.connect(db)
    n, last = con.execute("SELECT COUNT(*), MAX(id) FROM records WHERE type ="
                          " 'cooperation.allocation'").fetchone()
    payload = con.execute("SELECT payload FROM records WHERE id = ?", (last,)).fetchone()[0]
    con.close()
    return n, json.loads(payload)


def main():
    env = Env(sys.argv[1])
    env.init()
    tok = {p: env.delegate(p) for p in PARTIES + ["CHN", "FRA"]}
    srv = Server(env)
    try:
        reqs = [("/v1/cooperation/requests", tok[PARTIES[i % len(PARTIES)]],
                 {"domain": "wmd-arms-control", "title": f"request {i}", "places": 3,
                  "languages": ["en"]}) for i in range(NREQ)]
        setup_s, st = post_all(srv, reqs, 8)
        assert all(s == 201 for s in st), st
        n0, _ = allocations(env.db)
        offers = [("/v1/cooperation/offers", tok["CHN" if i % 2 else "FRA"],
                   {"domain": "wmd-arms-control", "title": f"course {i}", "places": 2,
                    "languages": ["en"], **DAYS}) for i in range(NACTS)]
        secs, st = post_all(srv, offers, CLIENTS)
        assert all(s == 201 for s in st), st
        n1, last = allocations(env.db)
        notes = [("/v1/parties/CHN/records", tok["CHN"],
                  {"type": "note.bench", "payload": {"text": "bench"}}) for _ in range(NACTS)]
        peer_s, st = post_all(srv, notes, CLIENTS)
    finally:
        srv.stop()
    p = env.run("cooperation", "allocate", "--format", "json", check=False)
    cli = json.loads(p.stdout) if p.returncode == 0 else []
    cli_shares = {s["party"]: s["allocated"] for s in cli}
    same = cli_shares == last["shares"] and sum(cli_shares.values()) == last["allocated"]
    print(f"bench/coop/acts: {NREQ} open requests (set up in {setup_s:.1f} s); {NACTS} offers "
          f"from {CLIENTS} clients; {os.cpu_count()} CPUs")
    print(f"cooperation acts: {secs:.2f} s, {NACTS / secs:.1f} acts/s, "
          f"{n1 - n0} allocation records for {NACTS} acts")
    print(f"peer: plain journalled record: {peer_s:.2f} s, {NACTS / peer_s:.1f} writes/s; "
          f"ratio {(NACTS / secs) / (NACTS / peer_s):.3f}")
    print(f"last allocation record = gsi cooperation allocate --db: {'yes' if same else 'NO'}")
    env.cleanup()


if __name__ == "__main__":
    main()
