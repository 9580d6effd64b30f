"""The journal as C2SP tlog-tiles, end to end: a journal of N entries (100,000 by default),
served by `gsi serve` under /log/ and exported with `gsi journal export-tiles`; both pass
`gsi journal verify --tiles` and Go's sumdb/tlog checker (tlogcheck.go, an implementation
nobody here wrote) with confidential acts' blinded entries among them, the served bytes equal the exported ones, full tiles are immutable, a
tampered mirror is refused by both verifiers, and the export served by Debian's nginx passes
`gsi journal verify --tiles` too.

usage: tlog_tiles.py GSI STORE_WRITER TLOGCHECK [ENTRIES]
Prints "checks: N passed, M failed"."""

import os
import shutil
import socket
import subprocess
import sys
import urllib.error
import urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "integration"))
from gsi_http import Checks, Env, Server, tile_path  # noqa: E402

gsi, writer, tlogcheck = sys.argv[1:4]
entries = int(sys.argv[4]) if len(sys.argv) > 4 else 100000
c = Checks()
env = Env(gsi)


def get(url):
    try:
        with urllib.request.urlopen(url, timeout=60) as r:
            return r.status, r.read(), r.headers
    except urllib.error.HTTPError as e:
        return e.code, e.read(), e.headers


def run(*args):
    return subprocess.run(list(args), capture_output=True, text=True, timeout=900)


def verify(where, vkey):
    p = run(gsi, "journal", "verify", "--tiles", where, "--vkey", vkey)
    return p.returncode, p.stdout + p.stderr


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


env.init()
# The init entries plus `entries` acts from 16 writer threads (group commit).
threads = 16
per = (entries + threads - 1) // threads
# Every 97th act of each thread is confidential (type test.secret): its leaf data is blinded.
p = run(writer, "burst", "--db", env.db, "--threads", str(threads), "--count", str(per),
        "--confidential", "97", "--quiet")
c.ok(p.returncode == 0, f"store_writer: {p.stderr}")
env.run("journal", "checkpoint")
out = os.path.join(env.tmp, "mirror")
p = env.run("journal", "export-tiles", out)
c.ok("files written" in p.stdout, f"export-tiles says what it wrote: {p.stdout!r}")

srv = Server(env, "--checkpoint-every", "0")
status, body, _ = get(srv.base + "/v1/journal/key")
vkey = body.decode().split('"vkey":"')[1].split('"')[0]
base = srv.base + "/log"

status, cp, hdrs = get(base + "/checkpoint")
c.eq(status, 200, "GET /log/checkpoint")
c.ok(hdrs.get("Content-Type", "").startswith("text/plain"), "checkpoint is text/plain")
lines = cp.decode().split("\n")
size = int(lines[1])
c.ok(size >= entries, f"checkpoint size {size} covers the {entries} entries")
with open(os.path.join(out, "checkpoint"), "rb") as f:
    c.eq(f.read(), cp, "exported checkpoint = served checkpoint")

# The tile names for this size, from the spec's formula (floor(size / 256^L) mod 256).
paths = []
for level in range(-1, 8):
    hashes = size >> (8 * max(level, 0))
    if hashes == 0:
        break
    for n in range((hashes + 255) // 256):
        paths.append((level, n, min(256, hashes - n * 256)))
same = 0
for level, n, w in paths:
    path = tile_path(level, n, w)
    status, body, hdrs = get(base + "/" + path)
    with open(os.path.join(out, path), "rb") as f:
        same += status == 200 and body == f.read()
c.eq(same, len(paths), "every served tile and bundle equals the exported file")

# The confidential acts' entries are the 37 blinded bytes ("GSIJ" 02 and a commitment,
# docs/internals/journal.md "Blinded entries"); no bundle names their type.
blinded = 0
named = 0
for level, n, w in paths:
    if level != -1:
        continue
    with open(os.path.join(out, tile_path(level, n, w)), "rb") as f:
        data = f.read()
    named += b"test.secret" in data
    at = 0
    while at < len(data):
        k = int.from_bytes(data[at:at + 2], "big")
        blinded += k == 37 and data[at + 2:at + 7] == b"GSIJ\x02"
        at += 2 + k
c.eq(blinded, threads * ((per + 96) // 97), "one blinded entry per confidential act")
c.eq(named, 0, "no entry bundle names a confidential act's type")
c.eq(len(os.listdir(os.path.join(out, "tile", "0"))) > 0, True, "level-0 tiles exported")
status, body, hdrs = get(base + "/tile/0/000")
c.eq(hdrs.get("Cache-Control"), "public, max-age=31536000, immutable", "full tile is immutable")
c.eq(len(body), 8192, "a full tile is 256 hashes")
last = [p for p in paths if p[0] == 0][-1]
if last[2] < 256:
    status, body, hdrs = get(base + "/" + tile_path(0, last[1], last[2]))
    c.ok("immutable" not in hdrs.get("Cache-Control", ""), "a partial tile is not immutable")
    status, _, _ = get(base + "/" + tile_path(0, last[1], 256))
    c.eq(status, 404, "the full tile of a partial one does not exist yet")
for bad in ["tile/0/0", "tile/0/x000", "tile/00/000", "tile/0/000.p/0", "tile/0/000.p/256",
            "tile/64/000", "tile/0/000/", "tile/entries/000.p/01"]:
    status, _, _ = get(base + "/" + bad)
    c.eq(status, 404, f"malformed tile path {bad}")

rc, text = verify(out, vkey)
c.ok(rc == 0 and "tiles: verified" in text, f"verify --tiles DIR: {text}")
rc, text = verify(base, vkey)
c.ok(rc == 0 and "tiles: verified" in text, f"verify --tiles URL: {text}")
p = run(tlogcheck, "-vkey", vkey, "-dir", out)
c.ok(p.returncode == 0, f"Go tlogcheck on the export: {p.stdout[-400:]} {p.stderr[-400:]}")
p = run(tlogcheck, "-vkey", vkey, "-url", base, "-proofs", "50")
c.ok(p.returncode == 0, f"Go tlogcheck on the server: {p.stdout[-400:]} {p.stderr[-400:]}")

# A tampered mirror: one byte of one entry (its hash then differs from the tiles').
bad = os.path.join(env.tmp, "bad")
shutil.copytree(out, bad)
with open(os.path.join(bad, "tile/entries/000"), "r+b") as f:
    f.seek(40)
    b = f.read(1)
    f.seek(40)
    f.write(bytes([b[0] ^ 1]))
rc, text = verify(bad, vkey)
c.ok(rc == 1 and "problem:" in text, f"verify --tiles refuses a changed entry: {text}")
p = run(tlogcheck, "-vkey", vkey, "-dir", bad, "-proofs", "5")
c.ok(p.returncode == 1, "Go tlogcheck refuses a changed entry")
os.remove(os.path.join(bad, "tile/0/000"))
shutil.copy(os.path.join(out, "tile/entries/000"), os.path.join(bad, "tile/entries/000"))
rc, text = verify(bad, vkey)
c.ok(rc == 1 and "missing" in text, f"verify --tiles refuses a missing tile: {text}")
rc, text = verify(out, "gsi.local/log+5e551044+AdA6NoQXeiM4Ba1LCKadWOsE8IOUwHYoVwavSZKf8EvD")
c.ok(rc != 0, "verify --tiles refuses a checkpoint under another key")

# The export served by Debian's nginx, a static file server that knows nothing of GSI.
nginx = shutil.which("nginx") or ("/usr/sbin/nginx" if os.path.exists("/usr/sbin/nginx") else None)
if nginx:
    port = free_port()
    os.chmod(env.tmp, 0o755)  # nginx's workers run as another user (nobody, www-data)
    conf = os.path.join(env.tmp, "nginx.conf")
    t = env.tmp
    with open(conf, "w") as f:
        f.write(f"""daemon off; worker_processes 1; pid {t}/nginx.pid; error_log {t}/nginx.err;
events {{ worker_connections 256; }}
http {{ access_log off; default_type application/octet-stream;
  client_body_temp_path {t}/ncb; proxy_temp_path {t}/np; fastcgi_temp_path {t}/nf;
  uwsgi_temp_path {t}/nu; scgi_temp_path {t}/ns;
  server {{ listen 127.0.0.1:{port};
    location = /log/checkpoint {{ alias {out}/checkpoint; default_type "text/plain; charset=utf-8"; }}
    location /log/ {{ alias {out}/; }} }} }}
""")
    ng = subprocess.Popen([nginx, "-c", conf, "-p", t], stderr=subprocess.PIPE)
    try:
        ok = False
        for _ in range(200):  # until nginx answers (it has started), not a deadline
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    ok = True
                    break
            except OSError:
                if ng.poll() is not None:
                    break
                subprocess.run(["sleep", "0.05"])
        c.ok(ok, "nginx serves the export")
        rc, text = verify(f"http://127.0.0.1:{port}/log", vkey)
        c.ok(rc == 0 and "tiles: verified" in text, f"verify --tiles through nginx: {text}")
    finally:
        ng.terminate()
        ng.wait()
else:
    print("nginx not installed (scripts/deps.sh installs it): mirror check skipped")

srv.stop()
env.cleanup()
c.finish()
