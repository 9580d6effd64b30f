"""From a hotspot to a signed, independently verified agreement, over HTTP against `gsi serve`
(SQLite, or the PostgreSQL URL given as the second argument), and every rule broken once.

The scenario: Ethiopia proposes a consultation with mediation to Eritrea on the hotspot
ETH-2022-11, open to the public, decided by consensus with stand-aside; both consent, both
invite the UN, which joins as mediator. The parties and the mediator make statements; 200
members of the public register and cast the votes that the first 200 voters of a real Polis
conversation (tests/data/deliberation/brexit-consensus) cast, on its 50 statements, and the
consensus view's figures are checked against the same votes counted here. A proposal is adopted
by consensus with one stand-aside; the agreement is signed by Ethiopia (gsi sign), Eritrea
(Python's `cryptography` or OpenSSL: an independent Ed25519) and the UN, exported with
`gsi agreement export`, verified offline in an empty directory with `gsi agreement verify`,
and `gsi journal verify` passes. Each refused act is checked to have written nothing (the
journal's size is unchanged).

usage: http_consult.py GSI [POSTGRES_URL]"""

import base64
import csv
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gsi_http import Checks, Env, Server  # noqa: E402

DATA = os.environ.get("GSI_TEST_DATA", os.path.join(os.path.dirname(__file__), "..", "data"))
POLIS = os.path.abspath(os.path.join(DATA, "deliberation", "brexit-consensus"))
PUBLIC = 200


def keygen(env, name):
    path = os.path.join(env.tmp, name)
    subprocess.run([env.gsi, "keygen", "--name", name, "--out", path], check=True,
                   capture_output=True)
    return path


def openssl_key(env, name):
    """An Ed25519 key made by OpenSSL; returns (pem path, raw public key in base64)."""
    pem = os.path.join(env.tmp, name + ".pem")
    subprocess.run(["openssl", "genpkey", "-algorithm", "ed25519", "-out", pem], check=True,
                   capture_output=True)
    der = subprocess.run(["openssl", "pkey", "-in", pem, "-pubout", "-outform", "DER"],
                         check=True, capture_output=True).stdout
    return pem, base64.b64encode(der[-32:]).decode()


def independent_sign(pem, data):
    """Ed25519 by Python's cryptography when installed, by OpenSSL otherwise."""
    try:
        from cryptography.hazmat.primitives.serialization import load_pem_private_key
        with open(pem, "rb") as f:
            key = load_pem_private_key(f.read(), None)
        return base64.b64encode(key.sign(data)).decode(), "python-cryptography"
    except ImportError:
        with tempfile.NamedTemporaryFile() as f:
            f.write(data)
            f.flush()
            sig = subprocess.run(["openssl", "pkeyutl", "-sign", "-rawin", "-inkey", pem, "-in",
                                  f.name], check=True, capture_output=True).stdout
        return base64.b64encode(sig).decode(), "openssl"


def delegate(env, party, pubkey_file=None, pubkey=None, role="delegate"):
    args = ["delegate", "add", "--party", party, "--role", role, "--name", f"{role} of {party}"]
    if pubkey_file:
        args += ["--pubkey-file", pubkey_file]
    if pubkey:
        args += ["--pubkey", pubkey]
    out = env.run(*args).stdout
    import re
    return re.search(r"gsi_[A-Za-z0-9_-]{20,}", out).group(0)


class Scenario:
    def __init__(self, c, srv, env):
        self.c, self.srv, self.env = c, srv, env

    def size(self):
        """The journal's size now (the signed checkpoint may lag it: serve --checkpoint-every)."""
        st, body, _ = self.srv.call("GET", "/v1/health")
        return body.get("journal_size", -1) if st == 200 else -1

    def refused(self, what, status, method, path, token=None, body=None):
        """A broken rule: the documented status, and nothing written."""
        before = self.size()
        st, resp, _ = self.srv.call(method, path, token=token, body=body)
        self.c.eq(st, status, f"{what}: status ({resp})")
        self.c.eq(self.size(), before, f"{what}: nothing journalled")
        return resp

    def ok(self, what, method, path, token=None, body=None, status=201):
        st, resp, _ = self.srv.call(method, path, token=token, body=body)
        self.c.eq(st, status, f"{what} ({resp if st != status else ''})")
        return resp


def polis_votes():
    """The first PUBLIC voters of brexit-consensus and their votes, in timestamp order."""
    with open(os.path.join(POLIS, "comments.csv"), newline="") as f:
        comments = list(csv.DictReader(f))
    with open(os.path.join(POLIS, "votes.csv"), newline="") as f:
        rows = list(csv.DictReader(f))
    rows.sort(key=lambda r: int(r["timestamp"]))  # stable: file order among equal times
    voters = []
    for r in rows:
        if r["voter-id"] not in voters:
            voters.append(r["voter-id"])
    keep = set(voters[:PUBLIC])
    return comments, [r for r in rows if r["voter-id"] in keep], voters[:PUBLIC]


def run(c, env, srv):
    s = Scenario(c, srv, env)
    eth_key, un_key = keygen(env, "eth-delegate"), keygen(env, "un-mediator")
    eri_pem, eri_pub = openssl_key(env, "eri")
    eth = delegate(env, "ETH", pubkey_file=eth_key + ".pub")
    eri = delegate(env, "ERI", pubkey=eri_pub)
    un = delegate(env, "UN", pubkey_file=un_key + ".pub", role="mediator")
    egy = delegate(env, "EGY")

    # The hotspot: the early-warning brief's first, for the year after data through 2022-10.
    root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
    brief = subprocess.run([env.gsi, "warn", "brief", "--actuals",
                            os.path.join(root, "data", "views", "cm_actuals_2018_2022.csv"),
                            "--through", "2022-10", "--format", "csv"], check=True,
                           capture_output=True, text=True).stdout
    top = list(csv.DictReader(brief.splitlines()))[0]["iso3"]
    c.eq(top, "ETH", "the brief's first hotspot")
    hotspot = f"{top}-2022-11"
    for bad in ("ETH-2022-13", "XXX-2022-11", "ETH-22-11"):
        s.refused(f"hotspot {bad}", 422, "POST", "/v1/consultations", eth, {
            "type": "propose", "parties": ["ERI"], "means": "mediation", "domain": "africa",
            "question": "?", "hotspot": bad, "rule": "consensus"})
    prop = s.ok("ETH proposes", "POST", "/v1/consultations", eth, {"type": "propose",
        "parties": ["ERI"], "means": "mediation", "domain": "africa",
        "question": "How can the border be demilitarised?", "hotspot": hotspot,
        "open": True, "rule": "consensus-stand-aside", "max_stand_aside": 1})
    cid = prop["case"]
    C = f"/v1/consultations/{cid}"
    s.refused("a statement before consent", 409, "POST", C + "/statement", eth,
              {"text": "We are ready."})
    s.refused("a vote before consent", 409, "POST", C + "/vote", eth,
              {"statement": 1, "vote": "agree"})
    s.ok("ERI consents", "POST", C + "/consent", eri, {})
    st, case, _ = srv.call("GET", C)
    c.eq(case.get("state"), "active", "active once both consented")
    s.refused("a second consent", 409, "POST", C + "/consent", eri, {})
    s.ok("ETH invites the UN", "POST", C + "/invite", eth, {"mediator": "UN"})
    s.refused("the mediator invited by one party only", 403, "POST", C + "/statement", un,
              {"text": "The UN offers its good offices."})
    s.refused("an invitation by a party not concerned", 403, "POST", C + "/invite", egy,
              {"mediator": "UN"})
    s.ok("ERI invites the UN", "POST", C + "/invite", eri, {"mediator": "UN"})

    comments, votes, voters = polis_votes()
    sid = {}
    authors = [eth, eri, un]
    for i, cm in enumerate(comments):
        r = s.ok(f"statement {cm['comment-id']}", "POST", C + "/statement", authors[i % 3],
                 {"text": cm["comment-body"]})
        sid[cm["comment-id"]] = r.get("record")
    tokens = {}

    def register(v):
        st, r, _ = srv.call("POST", C + "/participants", body={"name": f"participant {v}"})
        return v, st, r

    with ThreadPoolExecutor(16) as ex:
        for v, st, r in ex.map(register, voters):
            c.ok(st == 201, f"register {v}: {st} {r}")
            tokens[v] = r.get("token") if st == 201 else None
    name = {"1": "agree", "-1": "disagree", "0": "pass"}

    def cast(row):
        st, r, _ = srv.call("POST", C + "/public/vote", body={
            "token": tokens[row["voter-id"]], "statement": sid[row["comment-id"]],
            "vote": name[row["vote"]]})
        return st

    # One voter's votes in order (a later vote replaces an earlier one), voters in parallel.
    by_voter = {}
    for row in votes:
        by_voter.setdefault(row["voter-id"], []).append(row)
    with ThreadPoolExecutor(32) as ex:
        results = list(ex.map(lambda rows: [cast(r) for r in rows], by_voter.values()))
    c.eq(sum(st == 201 for rs in results for st in rs), len(votes), "every public vote accepted")
    party_votes = [(eth, comments[0], "agree"), (eri, comments[0], "agree"),
                   (un, comments[1], "pass"), (eri, comments[2], "disagree")]
    for tok, cm, v in party_votes:
        s.ok("a party's vote", "POST", C + "/vote", tok, {"statement": sid[cm["comment-id"]],
                                                           "vote": v})
    total = len(votes) + len(party_votes)

    # Moderation: the mediator moderates a statement out; voting on it is refused.
    moderated = sid[comments[3]["comment-id"]]
    s.ok("the mediator moderates", "POST", C + "/moderate", un,
         {"statement": moderated, "reason": "off topic"})
    s.refused("a vote on a moderated statement", 409, "POST", C + "/vote", eth,
              {"statement": moderated, "vote": "agree"})
    s.refused("moderation by a party that is not convenor or mediator", 403, "POST",
              C + "/moderate", eri, {"statement": sid[comments[4]["comment-id"]],
                                     "reason": "no"})

    # The consensus view, once it reflects every vote (the thread refreshes every 50 ms).
    view = None
    for _ in range(2400):  # bounded wait (up to 2 min under sanitizers), no time asserted
        st, view, _ = srv.call("GET", C + "/consensus")
        if st == 200 and view["votes"] == total and any(
                x["moderated"] for x in view["statements"] if x["statement"] == moderated):
            break
        time.sleep(0.05)
    c.eq(view["votes"], total, "the view reflects every vote")
    c.eq(view["public"]["participants"], PUBLIC, "200 public participants")
    c.ok(len(view["groups"]) >= 2, f"opinion groups: {len(view['groups'])}")
    c.ok(len(view["common_ground"]) > 0, "common ground found")
    c.ok(all(x["statement"] != moderated for x in view["common_ground"]),
         "the moderated statement is not common ground")
    c.eq(sorted(p["party"] for p in view["parties"]), ["ERI", "ETH", "UN"],
         "parties' positions shown apart")
    # Public counts against the same votes counted here (each voter's last vote).
    last = {}
    for row in votes:
        last[(row["voter-id"], row["comment-id"])] = row["vote"]
    want = {}
    for (vid, tid), v in last.items():
        w = want.setdefault(sid[tid], {"agree": 0, "disagree": 0, "pass": 0})
        w[name[v]] += 1
    got = {x["statement"]: x for x in view["public"]["statements"]}
    c.ok(all(got[k]["agree"] == w["agree"] and got[k]["disagree"] == w["disagree"] and
             got[k]["pass"] == w["pass"] for k, w in want.items()),
         "public agree/disagree/pass per statement equal the votes counted here")

    # A confidential consultation: invisible to anyone else (404, as for one that does not
    # exist), its view included; it cannot admit the public.
    conf = s.ok("ETH proposes a confidential one", "POST", "/v1/consultations", eth, {
        "type": "propose", "parties": ["ERI"], "means": "negotiation", "domain": "africa",
        "question": "Ports?", "confidential": True, "rule": "consensus"})["case"]
    for path in (f"/v1/consultations/{conf}", f"/v1/consultations/{conf}/consensus"):
        st, _, _ = srv.call("GET", path, token=egy)
        c.eq(st, 404, f"{path} to a party not concerned")
        st, _, _ = srv.call("GET", path)
        c.eq(st, 404, f"{path} to an anonymous reader")
    st, _, _ = srv.call("GET", f"/v1/consultations/{conf}", token=eri)
    c.eq(st, 200, "the confidential consultation to a party concerned")
    s.refused("open and confidential", 422, "POST", "/v1/consultations", eth, {
        "type": "propose", "parties": ["ERI"], "means": "negotiation", "domain": "africa",
        "question": "?", "confidential": True, "open": True, "rule": "consensus"})

    # A second open consultation: a public token is bound to its own.
    other = s.ok("EGY proposes another", "POST", "/v1/consultations", egy, {"type": "propose",
        "parties": ["ETH"], "means": "negotiation", "domain": "africa", "question": "Nile?",
        "open": True, "rule": "consensus"})["case"]
    s.refused("a public token in another consultation", 403, "POST",
              f"/v1/consultations/{other}/public/vote",
              body={"token": tokens[voters[0]], "statement": 1, "vote": "agree"})

    # The decision: adopted by consensus with one stand-aside.
    pr = s.ok("the UN proposes", "POST", C + "/proposal", un, {
        "text": "Both parties withdraw their forces 25 km from the border.",
        "statements": [str(sid[comments[0]["comment-id"]])]})["record"]
    s.refused("a position from a party not concerned (the mediator)", 403, "POST",
              C + "/position", un, {"proposal": pr, "position": "support"})
    s.refused("a position from a party not in the consultation", 403, "POST",
              C + "/position", egy, {"proposal": pr, "position": "object"})
    s.ok("ETH supports", "POST", C + "/position", eth, {"proposal": pr, "position": "support"})
    s.ok("ERI stands aside", "POST", C + "/position", eri, {
        "proposal": pr, "position": "stand-aside", "explanation": "pending parliament"})
    st, props, _ = srv.call("GET", C + "/proposals")
    c.eq(props[0]["outcome"], "adopted", "adopted by consensus with one stand-aside")
    s.refused("a position after the decision", 409, "POST", C + "/position", eri,
              {"proposal": pr, "position": "object"})

    # The agreement.
    text = ("Ethiopia and Eritrea withdraw their forces 25 km from the common border within\n"
            "30 days, under observation by the United Nations.\n")
    ag = s.ok("ETH drafts the agreement", "POST", "/v1/agreements", eth, {
        "consultation": cid, "proposal": pr, "title": "Border disengagement", "text": text,
        "signatories": ["ERI", "UN"]})["case"]
    A = f"/v1/agreements/{ag}"
    st, body, _ = srv.call("GET", A + "/bytes")
    c.eq(st, 200, "canonical bytes")
    raw = body.encode()
    c.ok(raw.startswith(b"gsi-agreement/v1\n") and raw.endswith(text.encode()),
         "the bytes are an agreement body ending in the text")
    h = hashlib.sha256(raw).hexdigest()
    bpath = os.path.join(env.tmp, "agreement.txt")
    with open(bpath, "wb") as f:
        f.write(raw)

    def gsi_sign(key):
        return subprocess.run([env.gsi, "sign", "--key", key, bpath], check=True,
                              capture_output=True, text=True).stdout.strip()

    eth_sig, un_sig = gsi_sign(eth_key), gsi_sign(un_key)
    eri_sig, how = independent_sign(eri_pem, raw)
    other_sig, _ = independent_sign(eri_pem, raw + b"x")
    s.refused("a signature over other bytes", 409, "POST", A + "/sign", eri,
              {"signature": other_sig, "body_sha256": h})
    s.refused("signing with another party's key", 409, "POST", A + "/sign", eri,
              {"signature": eth_sig, "body_sha256": h})
    s.refused("a signature by a party not a signatory", 403, "POST", A + "/sign", egy,
              {"signature": eth_sig, "body_sha256": h})
    # A revoked delegate's key no longer signs: its token no longer authenticates.
    rev_pem, rev_pub = openssl_key(env, "eri-revoked")
    out = env.run("delegate", "add", "--party", "ERI", "--role", "delegate", "--name",
                  "former delegate of ERI", "--pubkey", rev_pub).stdout
    import re
    rev_tok = re.search(r"gsi_[A-Za-z0-9_-]{20,}", out).group(0)
    rev_id = re.search(r"delegate (\d+)", out).group(1)
    env.run("delegate", "revoke", rev_id)
    rev_sig, _ = independent_sign(rev_pem, raw)
    s.refused("a revoked delegate signing", 401, "POST", A + "/sign", rev_tok,
              {"signature": rev_sig, "body_sha256": h})
    s.ok("ETH signs (gsi sign)", "POST", A + "/sign", eth, {"signature": eth_sig,
                                                            "body_sha256": h})
    s.refused("a second signature by the same party", 409, "POST", A + "/sign", eth,
              {"signature": eth_sig, "body_sha256": h})
    s.ok(f"ERI signs ({how})", "POST", A + "/sign", eri, {"signature": eri_sig,
                                                          "body_sha256": h})
    st, a, _ = srv.call("GET", A)
    c.eq(a.get("state"), "open", "open until every signatory signed")
    s.ok("the UN signs (gsi sign)", "POST", A + "/sign", un, {"signature": un_sig,
                                                              "body_sha256": h})
    st, a, _ = srv.call("GET", A)
    c.eq(a.get("state"), "adopted", "adopted when all have signed")
    st, bundle_http, _ = srv.call("GET", A + "/bundle")
    c.eq(st, 200, "the bundle over HTTP" + ("" if st == 200 else f": {bundle_http}"))
    st, vkey, _ = srv.call("GET", "/v1/journal/key", headers={"Accept": "text/plain"})
    return ag, bundle_http, vkey


def main():
    gsi = sys.argv[1]
    db = sys.argv[2] if len(sys.argv) > 2 and sys.argv[2] else None
    c = Checks()
    env = Env(gsi, db)
    env.init()
    srv = Server(env, "--public-rate", "1000")
    try:
        ag, bundle_http, vkey = run(c, env, srv)
    finally:
        srv.stop()
    # Offline: a fresh directory with the bundle and the binary only.
    out = os.path.join(env.tmp, "bundle.txt")
    env.run("agreement", "export", str(ag), "--out", out)
    with open(out) as f:
        exported = f.read()
    c.ok(exported.startswith("gsi-agreement-bundle/v1\n"), "gsi agreement export wrote a bundle")
    if os.environ.get("GSI_SAVE_BUNDLE"):  # a seed for tests/fuzz/corpus/agree
        shutil.copy(out, os.environ["GSI_SAVE_BUNDLE"])
    offline = tempfile.mkdtemp(prefix="gsi-offline-")
    shutil.copy(out, os.path.join(offline, "bundle.txt"))
    log_key = exported.split("\n")[1][len("log-key "):]
    p = subprocess.run([env.gsi, "agreement", "verify", "--log-key", log_key, "bundle.txt"],
                       cwd=offline, capture_output=True, text=True)
    c.eq(p.returncode, 0, f"gsi agreement verify offline: {p.stdout}{p.stderr}")
    c.ok("verified: 3 of 3 signatories" in p.stdout, "three signatures verified")
    p2 = subprocess.run([env.gsi, "agreement", "verify", "-"], input=bundle_http,
                        capture_output=True, text=True, cwd=offline)
    c.eq(p2.returncode, 0, "the bundle served over HTTP verifies too")
    bad = exported.replace("withdraw their forces 25 km", "withdraw their forces 52 km")
    p3 = subprocess.run([env.gsi, "agreement", "verify", "--log-key", log_key, "-"], input=bad,
                        capture_output=True, text=True, cwd=offline)
    c.ok(p3.returncode != 0, "a changed text is refused offline")
    shutil.rmtree(offline)
    # A Polis export imported as an open consultation, on the same database.
    p = env.run("consultation", "import", "--comments", os.path.join(POLIS, "comments.csv"),
                "--votes", os.path.join(POLIS, "votes.csv"), "--format", "json")
    imp = json.loads(p.stdout)
    c.eq((imp["statements"], imp["votes"], imp["participants"]), (50, 5312, 204),
         "gsi consultation import: 50 statements, 5312 votes, 204 participants (wc, awk)")
    p = env.run("journal", "verify", check=False)
    c.eq(p.returncode, 0, f"gsi journal verify: {p.stdout}{p.stderr}")
    env.cleanup()
    c.finish()


if __name__ == "__main__":
    main()
