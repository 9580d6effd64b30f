"""Checkpoints per second a GSI witness cosigns, beside the crypto alone in Python.

usage: witness_bench.py LOG_URL WITNESS_URL DB N
Reads the log's signed checkpoints of increasing size from its database (table checkpoints,
one per commit), fetches a consistency proof between each and the next from the log's API,
then submits them in order to the witness's POST /add-checkpoint over one keep-alive
connection: each is verified (log signature, proof), committed durably and cosigned. The peer
is the per-checkpoint cryptography a witness cannot skip (verify the log's Ed25519 signature,
sign the cosignature), done by Python's `cryptography` with no proof, I/O or database.
Prints one line: "witness: N checkpoints in S s = R/s; crypto alone (Python cryptography):
R2/s; ratio R/R2"."""

import base64
import http.client
import json
import sqlite3
import sys
import time
import urllib.parse
import urllib.request

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

log_url, witness_url, db, n = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
rows = sqlite3.connect(db).execute("SELECT size, note FROM checkpoints ORDER BY size").fetchall()
rows = [r for r in rows if r[0] > 0][:n]
bodies = []
prev = 0
for size, note in rows:
    proof = []
    if 0 < prev < size:
        with urllib.request.urlopen(f"{log_url}/v1/journal/proof/consistency?from={prev}&to={size}") as r:
            proof = json.load(r)["proof"]
    lines = "".join(base64.b64encode(bytes.fromhex(h)).decode() + "\n" for h in proof)
    bodies.append(f"old {prev}\n{lines}\n{note}".encode())
    prev = size

u = urllib.parse.urlparse(witness_url)
conn = http.client.HTTPConnection(u.hostname, u.port, timeout=30)
t0 = time.perf_counter()
ok = 0
for body in bodies:
    conn.request("POST", "/add-checkpoint", body=body, headers={"Content-Type": "text/plain"})
    r = conn.getresponse()
    data = r.read()
    ok += r.status == 200 and data.startswith("\u2014 ".encode())
t = time.perf_counter() - t0
if ok != len(bodies):
    print(f"witness: only {ok} of {len(bodies)} cosigned", file=sys.stderr)
    sys.exit(1)

# The peer: verify the log's signature on each note and sign a cosignature, nothing else.
log_key = Ed25519PrivateKey.generate()
pub = log_key.public_key()
w_key = Ed25519PrivateKey.generate()
texts = [note.split("\n\n")[0].encode() + b"\n" for _, note in rows]
sigs = [log_key.sign(t) for t in texts]
t1 = time.perf_counter()
for text, sig in zip(texts, sigs):
    pub.verify(sig, text)
    w_key.sign(b"cosignature/v1\ntime 1700000000\n" + text)
t2 = time.perf_counter() - t1
rate, peer = len(bodies) / t, len(bodies) / t2
print(f"witness: {len(bodies)} checkpoints in {t:.2f} s = {rate:.0f}/s; crypto alone "
      f"(Python cryptography): {peer:.0f}/s; ratio {rate / peer:.2f}")
