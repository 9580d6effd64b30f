#!/usr/bin/python3
"""kill -9 in the middle of a burst of writes: no acknowledged write is lost, and
`gsi journal verify` passes after the restart. A last round stops the server with SIGTERM
during a burst instead, which must exit 0 and lose nothing either.

32 client threads post notes as fast as the server takes them; after a while the server gets
SIGKILL while requests are in flight. Every write that had been answered 201 before the kill
must then be readable with the same payload and journal index, its entry must carry the leaf
hash the receipt gave, and the journal must verify from start to end.

    http_crash.py GSI_BINARY [DB_URL] [ROUNDS]
"""

import os
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gsi_http import Checks, Env, Server  # noqa: E402

THREADS = 32


def burst(server, token, acked, lock, stop, tid):
    n = 0
    while not stop.is_set():
        body = {"type": "note.burst", "payload": {"thread": tid, "n": n}}
        try:
            st, r, _ = server.call("POST", "/v1/parties/CHN/records", token=token, body=body,
                                   timeout=10)
        except Exception:
            continue  # the server is gone: this write was never acknowledged
        if st == 201:
            with lock:
                acked.append((r["id"], r["index"], r["leaf_hash"], tid, n))
        n += 1


def one_round(c, env, token, rnd, graceful=False):
    server = Server(env)
    acked, lock, stop = [], threading.Lock(), threading.Event()
    threads = [threading.Thread(target=burst, args=(server, token, acked, lock, stop, t))
               for t in range(THREADS)]
    for t in threads:
        t.start()
    # Kill once writes are flowing, at a moment that differs from round to round.
    deadline = time.time() + 20
    while len(acked) < 1000 * (rnd + 1) and time.time() < deadline:
        time.sleep(0.01)
    if graceful:
        # SIGTERM instead: in-flight writes finish, suspended connections are answered,
        # and the server exits 0.
        c.eq(server.stop(), 0, f"round {rnd}: SIGTERM during a burst exits 0")
    else:
        server.kill9()
    stop.set()
    for t in threads:
        t.join()
    with lock:
        got = list(acked)
    c.ok(len(got) > 0, f"round {rnd}: writes were acknowledged before the kill ({len(got)})")

    server = Server(env)
    lost = wrong = 0
    for rid, idx, leaf, tid, n in got:
        st, rec, _ = server.call("GET", f"/v1/records/{rid}")
        if st != 200:
            lost += 1
        elif rec["payload"] != {"thread": tid, "n": n} or rec["index"] != idx:
            wrong += 1
    c.eq(lost, 0, f"round {rnd}: acknowledged writes lost after kill -9 (of {len(got)})")
    c.eq(wrong, 0, f"round {rnd}: acknowledged writes changed after kill -9")
    bad_leaf = 0
    by_index = {idx: leaf for _, idx, leaf, _, _ in got}
    lo = min(by_index)
    hi = max(by_index) + 1
    for start in range(lo, hi, 1000):
        st, ents, _ = server.call("GET", f"/v1/journal/entries?start={start}&end={min(hi, start + 1000)}")
        for e in ents.get("entries", []):
            if e["index"] in by_index and by_index[e["index"]] != e["leaf_hash"]:
                bad_leaf += 1
    c.eq(bad_leaf, 0, f"round {rnd}: journal entries match the receipts")
    c.eq(server.stop(), 0, f"round {rnd}: restarted server stops cleanly")
    v = env.run("journal", "verify", check=False)
    c.eq(v.returncode, 0, f"round {rnd}: gsi journal verify after kill -9 ({v.stdout}{v.stderr})")
    how = "SIGTERM" if graceful else "kill -9"
    print(f"round {rnd}: {len(got)} acknowledged before {how}, all present", flush=True)


def main():
    c = Checks()
    env = Env(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 and sys.argv[2] else None)
    rounds = int(sys.argv[3]) if len(sys.argv) > 3 else 3
    try:
        env.init()
        token = env.delegate("CHN")
        for rnd in range(rounds):
            one_round(c, env, token, rnd)
        one_round(c, env, token, rounds, graceful=True)
    except Exception as e:
        c.ok(False, f"exception: {e!r}")
    finally:
        env.cleanup()
    c.finish()


if __name__ == "__main__":
    main()
