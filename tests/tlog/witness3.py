"""Three GSI servers on loopback (an AU, an ASEAN and a UN secretariat server), each witnessing
the other two (C2SP tlog-witness): acts on one server produce checkpoints cosigned by both
others, checked by an independent Python verifier (cosig_spec.py) and by a 2-of-2 policy
client (`gsi journal verify --tiles URL --policy`); then AU's database is rolled back to an
older copy and different acts appended (a fork): the witnesses refuse it (409 with the size
they hold, the consistency proof from it failing), AU serves its checkpoint without their
cosignatures, and the 2-of-2 client refuses it.

usage: witness3.py GSI [TLOGCHECK]    Prints "checks: N passed, M failed". With TLOGCHECK
(tlogcheck.go), Go's sumdb note and tlog also read AU's cosigned checkpoint and tiles."""

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import urllib.error
import urllib.request

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(here, "..", "integration"))
sys.path.insert(0, here)
from gsi_http import Checks, Env, Server  # noqa: E402
import cosig_spec  # noqa: E402

gsi = os.path.abspath(sys.argv[1])
tlogcheck = os.path.abspath(sys.argv[2]) if len(sys.argv) > 2 else None
c = Checks()
NAMES = ["au", "asean", "un"]
PARTY = {"au": "AU", "asean": "ASEAN", "un": "UN"}


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url):
    try:
        with urllib.request.urlopen(url, timeout=30) as r:
            return r.status, r.read().decode(), r.headers
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode(), e.headers


def post(url, body):
    req = urllib.request.Request(url, data=body.encode(), method="POST")
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, r.read().decode(), r.headers
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode(), e.headers


def wait_for(pred, what, tries=600):
    """Polls until pred() holds (the servers submit in the background), at most `tries`
    times 50 ms: a condition, not a deadline the test asserts."""
    for _ in range(tries):
        v = pred()
        if v:
            return v
        subprocess.run(["sleep", "0.05"])
    c.ok(False, f"waiting for {what}")
    return None


env = {n: Env(gsi) for n in NAMES}
port = {n: free_port() for n in NAMES}
url = {n: f"http://127.0.0.1:{port[n]}" for n in NAMES}
wkey, logkey, token = {}, {}, {}
for n in NAMES:
    e = env[n]
    e.run("init", "--origin", f"{n}.example/log")
    token[n] = e.delegate(PARTY[n], "secretariat")
    p = subprocess.run([gsi, "witness", "keygen", "--name", f"{n}.example/witness", "--out",
                        os.path.join(e.tmp, "witness.key")], capture_output=True, text=True)
    c.eq(p.returncode, 0, f"witness keygen {n}: {p.stderr}")
    wkey[n] = p.stdout.strip()
    s = Server(e)
    _, body, _ = get(s.base + "/v1/journal/key")
    logkey[n] = body.split('"vkey":"')[1].split('"')[0]
    s.stop()
c.ok(all(cosig_spec.parse_vkey(wkey[n])[0] == f"{n}.example/witness" for n in NAMES),
     "witness keys are cosigner vkeys (0x04) by the spec's key ID rule")

def others(n):
    return [m for m in NAMES if m != n]

for n in NAMES:
    t = env[n].tmp
    with open(os.path.join(t, "logs"), "w") as f:
        f.write("".join(f"log {logkey[m]}\n" for m in others(n)))
    with open(os.path.join(t, "witnesses"), "w") as f:
        f.write(f"log {logkey[n]}\n" + "".join(f"witness {wkey[m]} {url[m]}\n" for m in others(n))
                + "quorum 2\n")
    # What a client of n trusts: n's log, cosigned by both other secretariats.
    with open(os.path.join(t, "client.policy"), "w") as f:
        f.write(f"# 2-of-2\nlog {logkey[n]}\n" + "".join(f"witness {wkey[m]}\n" for m in others(n))
                + "quorum 2\n")


def _start(n, t):
    proc = subprocess.Popen(
        [gsi, "serve", "--listen", f"127.0.0.1:{port[n]}", "--db", env[n].db, "--quiet",
         "--witness-key", os.path.join(t, "witness.key"), "--witness-logs", os.path.join(t, "logs"),
         "--witnesses", os.path.join(t, "witnesses")],
        cwd=t, stdout=subprocess.PIPE, stderr=open(os.path.join(t, "serve.err"), "a"), text=True)
    line = proc.stdout.readline()
    if re.search(r"listening on", line) is None:
        raise RuntimeError(f"gsi serve {n} did not start: {line!r}")
    return proc


def stop(proc):
    proc.terminate()
    proc.wait(timeout=60)


def cosigned(n, size=None):
    """The checkpoint n serves, when both others have valid cosignatures on it."""
    st, note, _ = get(url[n] + "/log/checkpoint")
    if st != 200:
        return None
    if size is not None and int(note.split("\n")[1]) != size:
        return None
    ok = cosig_spec.cosignatures(note, [wkey[m] for m in others(n)])
    return note if len(ok) == 2 else None


def act(n, text):
    req = urllib.request.Request(
        url[n] + f"/v1/parties/{PARTY[n]}/records", method="POST",
        data=('{"type":"note","payload":{"text":"%s"}}' % text).encode(),
        headers={"Authorization": f"Bearer {token[n]}", "Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=30) as r:
        return r.status


def journal_size(n):
    """The journal's own size (entries committed), which the signed checkpoint trails: gsi serve
    signs at most one checkpoint a second on commit and the rest at its next tick."""
    _, body, _ = get(url[n] + "/v1/health")
    return json.loads(body)["journal_size"]


def signed(n, size):
    """The log's own signed checkpoint (no cosignatures) once it has reached `size`."""
    st, body, _ = get(url[n] + "/v1/journal/checkpoint")
    return json.loads(body)["note"] if st == 200 and json.loads(body)["size"] == size else None


def policy_verify(n):
    p = subprocess.run([gsi, "journal", "verify", "--tiles", url[n] + "/log", "--policy",
                        os.path.join(env[n].tmp, "client.policy")], capture_output=True, text=True)
    return p.returncode, p.stdout + p.stderr


procs = {n: _start(n, env[n].tmp) for n in NAMES}
try:
    for n in NAMES:
        note = wait_for(lambda n=n: cosigned(n), f"{n}'s first checkpoint cosigned by both others")
        c.ok(note is not None, f"{n}: checkpoint cosigned by both other servers")
    # Acts on AU: the new checkpoint is cosigned by ASEAN and the UN.
    for i in range(5):
        c.eq(act("au", f"communique {i}"), 201, "an act on AU")
    s1 = journal_size("au")
    note = wait_for(lambda: cosigned("au", s1), "AU's new checkpoint cosigned")
    c.ok(note is not None, f"AU's checkpoint of size {s1} cosigned by ASEAN and the UN")
    if note:
        ts = cosig_spec.cosignatures(note, [wkey["asean"], wkey["un"]])
        c.ok(all(t > 1600000000 for t in ts.values()), f"cosignature timestamps are times: {ts}")
    rc, text = policy_verify("au")
    c.ok(rc == 0 and "2 witness cosignatures verified" in text, f"2-of-2 client accepts AU: {text}")
    if tlogcheck:
        p = subprocess.run([tlogcheck, "-vkey", logkey["au"], "-url", url["au"] + "/log",
                            "-proofs", "10"], capture_output=True, text=True)
        c.ok(p.returncode == 0, f"Go's note.Open and tlog read the cosigned checkpoint: {p.stderr}")
    # A mirror exported from AU's database carries the cosigned checkpoint too.
    mirror = os.path.join(env["au"].tmp, "mirror")
    p = subprocess.run([gsi, "journal", "export-tiles", mirror, "--db", env["au"].db],
                       capture_output=True, text=True, cwd=env["au"].tmp)
    c.eq(p.returncode, 0, f"export-tiles of AU: {p.stderr}")
    p = subprocess.run([gsi, "journal", "verify", "--tiles", mirror, "--policy",
                        os.path.join(env["au"].tmp, "client.policy"), "--format", "json"],
                       capture_output=True, text=True)
    rows = json.loads(p.stdout) if p.returncode == 0 else [{}]
    c.ok(p.returncode == 0 and rows[0].get("cosignatures") == 2,
         f"the exported mirror passes the 2-of-2 policy: {p.stdout}{p.stderr}")
    p = subprocess.run([gsi, "journal", "verify", "--policy",
                        os.path.join(env["au"].tmp, "client.policy")], capture_output=True, text=True)
    c.ok(p.returncode == 2 and "--tiles" in p.stderr, f"--policy without --tiles: usage: {p.stderr}")

    # A backup of AU's database at s1 (stopped, so its files are whole), taken as an operator
    # would: the database with its checkpoint file (gsi.db.checkpoint, signed at s1 when the
    # server stopped). Without that file the rollback guard refuses the restored copy until
    # `gsi journal confirm`.
    stop(procs["au"])
    t = env["au"].tmp
    backup = os.path.join(t, "backup")
    os.mkdir(backup)
    for f in os.listdir(t):
        if f.startswith("gsi.db"):
            shutil.copy(os.path.join(t, f), backup)
    c.ok(os.path.exists(os.path.join(backup, "gsi.db.checkpoint")),
         "the backup holds AU's checkpoint file")
    procs["au"] = _start("au", t)
    for i in range(3):
        act("au", f"later communique {i}")
    s2 = journal_size("au")
    c.ok(wait_for(lambda: cosigned("au", s2), "AU at s2 cosigned") is not None,
         f"AU's checkpoint of size {s2} cosigned")

    # The fork: restore the older database (and its checkpoint file) and append other acts,
    # more of them, so the forked tree passes the size the witnesses hold.
    stop(procs["au"])
    for f in os.listdir(t):
        if f.startswith("gsi.db"):
            os.remove(os.path.join(t, f))
    for f in os.listdir(backup):
        shutil.copy(os.path.join(backup, f), t)
    procs["au"] = _start("au", t)
    c.eq(journal_size("au"), s1, "AU restarted from the older copy")
    c.ok(signed("au", s1) is not None, f"AU's signed checkpoint is the older copy's, {s1}")
    for i in range(6):
        act("au", f"rewritten communique {i}")
    s3 = journal_size("au")
    c.ok(s3 > s2, f"the fork ({s3}) is longer than what the witnesses hold ({s2})")
    # The log's own signed checkpoint of the whole fork, no cosignatures.
    bare = wait_for(lambda: signed("au", s3), "AU signing its forked checkpoint") or ""
    # Asked directly, a witness answers 409 with the size it holds...
    st, body, hdrs = post(url["asean"] + "/add-checkpoint", "old 0\n\n" + bare)
    c.eq(st, 409, "ASEAN's witness refuses old size 0 for AU")
    c.eq(body, f"{s2}\n", "its 409 says the size it holds")
    c.eq(hdrs.get("Content-Type"), "text/x.tlog.size", "409 content type")
    # ...and to a proof from that size the forked tree cannot give: 422.
    st, body, _ = post(url["un"] + "/add-checkpoint", f"old {s2}\n\n" + bare)
    c.eq(st, 422, f"the UN's witness refuses the fork without a valid proof: {body}")
    # AU's submitter got the same answers: it serves the fork with no cosignature.
    def fork_served():
        st, note, _ = get(url["au"] + "/log/checkpoint")
        return note if st == 200 and int(note.split("\n")[1]) == s3 else None
    note = wait_for(fork_served, "AU serving its forked checkpoint")
    if note:
        c.eq(cosig_spec.cosignatures(note, [wkey["asean"], wkey["un"]]), {},
             "no valid cosignature on the forked checkpoint")
    rc, text = policy_verify("au")
    c.ok(rc == 1 and "0 valid cosignatures of the 2 needed" in text,
         f"the 2-of-2 client refuses AU's forked checkpoint: {text}")
    with open(os.path.join(t, "serve.err")) as f:
        err = f.read()
    c.ok("did not cosign" in err, "AU's server reports the refusals")
    # Malformed, unknown and unsigned submissions.
    c.eq(post(url["un"] + "/add-checkpoint", "old x\n\n" + bare)[0], 400, "malformed body: 400")
    other = bare.replace("au.example/log", "zz.example/log", 1)
    c.eq(post(url["un"] + "/add-checkpoint", "old 0\n\n" + other)[0], 404, "unknown origin: 404")
    unsigned = bare.split("\n\n")[0] + "\n\n\u2014 au.example/log AAAA" + "A" * 88 + "\n"
    c.eq(post(url["un"] + "/add-checkpoint", f"old {s2}\n\n" + unsigned)[0], 403,
         "a note with no signature by the log's key: 403")
    text, sigs = bare.split("\n\n")
    flipped = sigs[:40] + ("B" if sigs[40] != "B" else "C") + sigs[41:]
    c.eq(post(url["un"] + "/add-checkpoint", f"old {s2}\n\n{text}\n\n{flipped}")[0], 403,
         "a note whose log signature is wrong: 403")
    # The other two servers still witness each other.
    act("asean", "asean statement")
    s = journal_size("asean")
    c.ok(wait_for(lambda: cosigned("asean", s), "ASEAN cosigned") is not None,
         "ASEAN's new checkpoint is still cosigned by AU and the UN")
finally:
    for p in procs.values():
        if p.poll() is None:
            stop(p)
    for e in env.values():
        e.cleanup()
c.finish()
