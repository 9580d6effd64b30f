#!/usr/bin/python3
"""The HTTP API end to end: `gsi init`, delegates from `gsi delegate add`, `gsi serve` on a
free loopback port, every route exercised over real HTTP, the journal's proofs checked with an
independent RFC 9162 verifier, and `gsi journal verify` after a clean stop.

    http_api.py GSI_BINARY [DB_URL]     (no DB_URL: a fresh SQLite file)
"""

import datetime
import hashlib
import json
import os
import re
import sys
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gsi_http import (checkpoint_root, run_script, tile_path, verify_consistency,  # noqa: E402
                      verify_inclusion, wait_checkpoint)
from openapi_check import validate_all  # noqa: E402


def steps(c, env, serve):
    chn = env.delegate("CHN")
    ind = env.delegate("IND")
    bra_obs = env.delegate("BRA", role="observer")
    un_sec = env.delegate("UN", role="secretariat")
    server = serve()
    run(c, env, server, chn, ind, bra_obs)
    nonstate(c, server, ind, un_sec)
    # Every response above conforms to the OpenAPI document the server serves.
    validate_all(c, server, server.call("GET", "/v1/openapi.yaml")[1])


def run(c, env, s, chn, ind, bra_obs):
    st, h, _ = s.call("GET", "/v1/health")
    c.eq(st, 200, "health")
    c.eq(h.get("status"), "ok", "health status")
    c.ok(h.get("backend") in ("sqlite", "postgresql"), "health names the backend")

    st, doc, hdr = s.call("GET", "/v1/openapi.yaml")
    c.eq(st, 200, "openapi")
    c.ok(doc.startswith("openapi: 3"), "openapi document")
    with open(os.path.join(os.path.dirname(__file__), "..", "..", "docs", "api.yaml")) as f:
        c.eq(doc, f.read(), "served OpenAPI is docs/api.yaml")

    # Parties: 193 UN member states and 2 observer states (un.org/en/about-us/member-states).
    st, p, _ = s.call("GET", "/v1/parties?kind=state")
    c.eq(st, 200, "parties by kind")
    c.eq(len(p["parties"]), 193, "UN member states")
    st, p, _ = s.call("GET", "/v1/parties?kind=observer")
    c.eq(sorted(x["id"] for x in p["parties"]), ["PSE", "VAT"], "observer states")
    st, p, _ = s.call("GET", "/v1/records?party=ZZZ")
    c.eq(st, 404, "records of a party that does not exist")
    st, p, _ = s.call("GET", "/v1/parties?kind=bogus")
    c.eq(st, 400, "an unknown party kind is refused")
    c.eq(p.get("error", {}).get("code"), "GSI_EUSAGE", "unknown kind's error code")
    st, p, _ = s.call("GET", "/v1/parties/CHN")
    c.eq(st, 200, "party CHN")
    c.ok("China" in p.get("name", ""), "party CHN's name")
    st, p, _ = s.call("GET", "/v1/parties/ASEAN")
    c.eq(st, 200, "party ASEAN")
    c.ok({"IDN", "MYS", "VNM"} <= set(p.get("members", [])), "ASEAN members")
    st, e, _ = s.call("GET", "/v1/parties/ZZZ")
    c.eq(st, 404, "unknown party")
    c.eq(e["error"]["code"], "GSI_ENOTFOUND", "error body code")
    st, d, _ = s.call("GET", "/v1/parties/CHN/delegates")
    c.eq(st, 200, "delegates of CHN")
    c.eq(len(d["delegates"]), 1, "one delegate of CHN")
    c.ok("gsi_" not in str(d), "no token in delegate listings")

    # Authentication.
    st, me, hdr = s.call("GET", "/v1/me")
    c.eq(st, 401, "me without a token")
    c.ok("Bearer" in (hdr.get("WWW-Authenticate") or ""), "WWW-Authenticate on 401")
    st, _, _ = s.call("GET", "/v1/me", token="gsi_" + "A" * 43)
    c.eq(st, 401, "me with an unknown token")
    st, me, _ = s.call("GET", "/v1/me", token=chn)
    c.eq(st, 200, "me")
    c.eq(me.get("party"), "CHN", "me party")
    my_id = me.get("id")
    st, _, _ = s.call("GET", f"/v1/delegates/{my_id}")
    c.eq(st, 200, "delegate by id")

    # Writes and non-interference.
    note = {"type": "note", "payload": {"text": "a notification", "n": 1}}
    st, _, _ = s.call("POST", "/v1/parties/CHN/records", body=note)
    c.eq(st, 401, "write without a token")
    st, e, _ = s.call("POST", "/v1/parties/CHN/records", token=ind, body=note)
    c.eq(st, 403, "IND's delegate writes for CHN")
    c.eq(e["error"]["code"], "GSI_EFORBIDDEN", "403 code")
    st, _, _ = s.call("POST", "/v1/parties/BRA/records", token=bra_obs, body=note)
    c.eq(st, 403, "an observer writes")
    st, r, hdr = s.call("POST", "/v1/parties/CHN/records", token=chn, body=note)
    c.eq(st, 201, "write a note")
    c.eq(hdr.get("Location"), f"/v1/records/{r.get('id')}", "Location of the record")
    st, rec, _ = s.call("GET", f"/v1/records/{r['id']}")
    c.eq(st, 200, "read the note back")
    c.eq(rec.get("payload"), note["payload"], "payload round trip")
    c.eq(rec.get("index"), r["index"], "record's journal index")

    # Confidential: visible to its party and audience only; 404 to everyone else.
    secret = {"type": "note.private", "confidential": True, "audience": ["IND"],
              "payload": {"text": "for India only"}}
    st, sr, _ = s.call("POST", "/v1/parties/CHN/records", token=chn, body=secret)
    c.eq(st, 201, "write a confidential note")
    path = f"/v1/records/{sr['id']}"
    c.eq(s.call("GET", path)[0], 404, "confidential, anonymous")
    ghost = dict(secret, audience=["IND", "ZZZ"])
    st, gr, _ = s.call("POST", "/v1/parties/CHN/records", token=chn, body=ghost)
    c.eq(st, 422, "an audience naming no party is refused")
    c.ok("ZZZ" in gr.get("error", {}).get("message", ""), "the refusal names the party")
    c.eq(s.call("GET", path, token=bra_obs)[0], 404, "confidential, not in the audience")
    c.eq(s.call("GET", path, token=ind)[0], 200, "confidential, in the audience")
    c.eq(s.call("GET", path, token=chn)[0], 200, "confidential, own party")
    st, lst, _ = s.call("GET", "/v1/records?type=note.private")
    c.eq(lst.get("records"), [], "confidential not listed to the public")
    st, lst, _ = s.call("GET", "/v1/parties/CHN/records?type=note.private", token=ind)
    c.eq(len(lst.get("records", [])), 1, "confidential listed to the audience")
    # Confidential with no audience: its own party only. The anonymous reader is a viewer of
    # no party, and "," || "" || "," must not match the empty audience (",,").
    hidden = {"type": "note.sealed", "confidential": True, "payload": {"secret": "s3cr3t"}}
    st, hr, _ = s.call("POST", "/v1/parties/CHN/records", token=chn, body=hidden)
    c.eq(st, 201, "write a confidential note with no audience")
    for lp in ("/v1/records", "/v1/parties/CHN/records", "/v1/records?type=note.sealed"):
        st, lst, _ = s.call("GET", lp + ("&" if "?" in lp else "?") + "limit=1000")
        c.ok(st == 200 and all(x["id"] != hr["id"] for x in lst.get("records", [])),
             f"no-audience confidential not listed anonymously ({lp})")
    c.eq(s.call("GET", f"/v1/records/{hr['id']}")[0], 404, "no-audience confidential, anonymous")
    st, lst, _ = s.call("GET", "/v1/parties/CHN/records?type=note.sealed", token=chn)
    c.eq(len(lst.get("records", [])), 1, "no-audience confidential listed to its party")

    # Large payloads: a page ends at 8 MiB of payload (8 * 2^20 = 8388608 bytes), with
    # next_after, however large the limit. Each payload below is {"t":"a...a"} with 10^6 a's,
    # 1000008 bytes stored: 8 fit (8000064), 9 do not (9000072), by hand.
    big = {"type": "note.big", "payload": {"t": "a" * 1000000}}
    for i in range(10):
        st, _, _ = s.call("POST", "/v1/parties/CHN/records", token=chn, body=big)
        c.eq(st, 201, f"write large note {i}")
    st, lst, _ = s.call("GET", "/v1/records?type=note.big&limit=1000")
    c.eq(st, 200, "a page of large records")
    c.eq(len(lst.get("records", [])), 8, "the page stops at 8 MiB of payload")
    c.ok("next_after" in lst, "a page cut by size says where the next starts")
    st, lst2, _ = s.call("GET", f"/v1/records?type=note.big&limit=1000&after={lst.get('next_after', 0)}")
    c.eq((st, len(lst2.get("records", []))), (200, 2), "the next page has the rest")
    c.ok("next_after" not in lst2, "the last page has no next_after")

    # Bad input.
    st, e, _ = s.call("POST", "/v1/parties/CHN/records", token=chn, raw=b'{"type":\n  "note",, }')
    c.eq(st, 400, "malformed JSON")
    c.eq((e["error"].get("line"), e["error"].get("column")), (2, 10), "position of the JSON error (the second comma)")
    st, text = s.raw(b"POST /v1/parties/CHN/records HTTP/1.1\r\nHost: t\r\n"
                     b"Connection: close\r\nAuthorization: Bearer " + chn.encode() +
                     b"\r\nContent-Type: application/json\r\nContent-Length: 1048577\r\n\r\n")
    c.eq(st, 413, "body over 1 MiB (2^20 bytes)")
    c.ok('"GSI_ELIMIT"' in text, "413 error body")
    c.eq(s.call("POST", "/v1/parties/CHN/records", token=chn, body={"type": "vote.cast"})[0],
         400, "generic endpoint records notes only")
    c.eq(s.call("GET", "/v1/nowhere")[0], 404, "unknown path")
    c.eq(s.call("PUT", "/v1/parties", raw=b"{}")[0], 405, "method not allowed")
    st, _, hdr = s.call("PATCH", "/v1/parties", raw=b"{}")
    c.eq(st, 405, "unknown method on a known path")
    c.ok("GET" in str(hdr.get("Allow", "")), "405 for an unknown method names the allowed ones")
    c.eq(s.call("PATCH", "/v1/nowhere", raw=b"{}")[0], 404, "unknown method on an unknown path")

    # The journal: entries, signed checkpoint, and proofs checked independently.
    cp = wait_checkpoint(s, r["index"] + 1)
    c.ok(cp is not None, "a checkpoint covers the writes")
    size, root = checkpoint_root(cp["note"])
    c.eq(size, cp["size"], "checkpoint size")
    st, text, hdr = s.call("GET", "/v1/journal/checkpoint", headers={"Accept": "text/plain"})
    c.ok(st == 200 and text.startswith(cp["origin"] + "\n"), "checkpoint as a signed note")
    c.ok("\n\n\u2014 " in text, "signed note has a signature line")
    st, key, _ = s.call("GET", "/v1/journal/key")
    c.ok(st == 200 and key["vkey"].startswith(cp["origin"] + "+"), "verifier key")
    st, ents, _ = s.call("GET", f"/v1/journal/entries?start=0&end={size}")
    c.eq(st, 200, "entries")
    c.eq(len(ents["entries"]), min(size, 1000), "entry count")
    leaves = {x["index"]: bytes.fromhex(x["leaf_hash"]) for x in ents["entries"]}
    if size <= 1000:
        c.eq(mth([leaves[i] for i in range(size)]), root, "root recomputed from the entries")
    idx = r["index"]
    st, pr, _ = s.call("GET", f"/v1/journal/proof/inclusion?index={idx}&size={size}")
    c.eq(st, 200, "inclusion proof")
    c.eq(bytes.fromhex(pr["root"]), root, "inclusion proof's root is the checkpoint's")
    c.ok(verify_inclusion(idx, size, leaves[idx], [bytes.fromhex(h) for h in pr["proof"]], root),
         "inclusion proof verifies (RFC 9162 2.1.3.2)")
    st, pr, _ = s.call("GET", f"/v1/journal/proof/consistency?from=1&to={size}")
    c.eq(st, 200, "consistency proof")
    c.ok(verify_consistency(1, size, leaves[0], root, [bytes.fromhex(h) for h in pr["proof"]]),
         "consistency proof verifies (RFC 9162 2.1.4.2)")
    half = max(1, size // 2)
    st, pr, _ = s.call("GET", f"/v1/journal/proof/consistency?from={half}&to={size}")
    c.ok(st == 200 and verify_consistency(half, size, bytes.fromhex(pr["root_from"]), root,
                                          [bytes.fromhex(h) for h in pr["proof"]]),
         f"consistency proof {half}->{size} verifies")
    c.eq(s.call("GET", f"/v1/journal/proof/inclusion?index={size}&size={size}")[0], 400,
         "inclusion index out of range")
    c.eq(s.call("GET", "/v1/journal/entries?start=0&end=2000")[0], 400, "too many entries")
    confidential_inclusion(c, s, chn, sr["id"])

    # Revocation: only one's own token.
    st, _, _ = s.call("DELETE", f"/v1/delegates/{my_id}", token=ind)
    c.eq(st, 403, "revoke another delegate's token")
    st, d, _ = s.call("DELETE", f"/v1/delegates/{my_id}", token=chn)
    c.eq(st, 200, "revoke one's own token")
    c.eq(s.call("GET", "/v1/me", token=chn)[0], 401, "a revoked token no longer works")


def nonstate(c, s, state_token, un_sec):
    """Non-state participants: added by a secretariat delegate only."""
    body = {"id": "X-SIPRI", "name": "Stockholm International Peace Research Institute"}
    c.eq(s.call("POST", "/v1/parties", body=body)[0], 401, "add a party without a token")
    c.eq(s.call("POST", "/v1/parties", token=state_token, body=body)[0], 403, "a state's delegate adds a party")
    st, p, hdr = s.call("POST", "/v1/parties", token=un_sec, body=body)
    c.eq(st, 201, "the secretariat adds a non-state participant")
    c.eq(hdr.get("Location"), "/v1/parties/X-SIPRI", "Location of the party")
    st, p, _ = s.call("GET", "/v1/parties/X-SIPRI")
    c.eq((st, p.get("kind")), (200, "nonstate"), "the new participant")
    c.eq(s.call("POST", "/v1/parties", token=un_sec, body=body)[0], 409, "the same id twice")
    c.eq(s.call("POST", "/v1/parties", token=un_sec, body={"id": "X-A"})[0], 400, "no name")


def entry_field(text):
    b = text.encode()
    return len(b).to_bytes(2, "big") + b


def bundle_path(idx, size):
    """The entry bundle holding entry idx in a tree of size (C2SP tlog-tiles: N in 3-digit
    groups, all but the last prefixed x; a partial bundle ends .p/W)."""
    n = idx // 256
    return tile_path(-1, n, min(256, size - n * 256))


def bundle_entry(bundle, k):
    """Entry k of a bundle: each entry is a big-endian u16 length and its bytes."""
    at = 0
    for _ in range(k):
        at += 2 + int.from_bytes(bundle[at:at + 2], "big")
    n = int.from_bytes(bundle[at:at + 2], "big")
    return bundle[at + 2:at + 2 + n]


def confidential_inclusion(c, s, token, rec_id):
    """The public journal lists a confidential act by index and leaf hash only, and its
    entry bundle holds only the blinded leaf data; a party to it reads the record (with its
    secret salt), rebuilds the gsi-record/v2 bytes, the entry bytes and the blinded leaf data
    as docs/internals/platform.md and journal.md spell them, and proves the record's
    inclusion under the signed root."""
    st, rec, _ = s.call("GET", f"/v1/records/{rec_id}", token=token)
    c.eq(st, 200, "the party reads its confidential record")
    salt = rec.get("salt", "")
    c.ok(re.fullmatch(r"[0-9a-f]{64}", salt) is not None, f"a 32-byte hex salt ({salt!r})")
    idx = rec["index"]
    cp = wait_checkpoint(s, idx + 1)
    size, root = checkpoint_root(cp["note"])
    st, ents, _ = s.call("GET", f"/v1/journal/entries?start={idx}&end={idx + 1}")
    pub = ents["entries"][0]
    c.eq(sorted(pub), ["confidential", "index", "leaf_hash"],
         "the public listing of a confidential act: index and leaf hash only")
    payload = json.dumps(rec["payload"], separators=(",", ":"), sort_keys=True)
    canon = (f"gsi-record/v2\nid {rec['id']}\ntype {rec['type']}\nparty {rec['party']}\n"
             f"delegate {rec['delegate']}\ntime {rec['time']}\nconfidential 1\n"
             f"audience {','.join(rec['audience'])}\njournal {idx}\nsalt {salt}\n"
             f"payload {len(payload.encode())}\n{payload}").encode()
    t = datetime.datetime.strptime(rec["time"], "%Y-%m-%dT%H:%M:%S.%fZ").replace(
        tzinfo=datetime.timezone.utc)
    epoch = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)
    time_us = (t - epoch) // datetime.timedelta(microseconds=1)
    entry = (b"GSIJ\x01" + entry_field(rec["type"]) + entry_field(rec["party"]) +
             entry_field(str(rec["delegate"]) if rec["delegate"] > 0 else "") +
             time_us.to_bytes(8, "big", signed=True) + entry_field(f"record/{rec['id']}") +
             hashlib.sha256(canon).digest())
    # journal.md, "Blinded entries": the leaf data is "GSIJ" 02 and the commitment.
    blinded = b"GSIJ\x02" + hashlib.sha256(b"gsi-journal-blind/1" + bytes.fromhex(salt) +
                                            entry).digest()
    leaf = hashlib.sha256(b"\x00" + blinded).digest()
    c.eq(leaf.hex(), pub["leaf_hash"], "the party's recomputed leaf hash is the public one")
    c.ok(hashlib.sha256(b"\x00" + entry).hexdigest() != pub["leaf_hash"],
         "the leaf is not the unblinded entry's")
    # The entry bundle a public mirror copies holds the 37 blinded bytes, no field of the act.
    with urllib.request.urlopen(s.base + "/log/" + bundle_path(idx, size), timeout=30) as r:
        bundle = r.read()
    c.eq(bundle_entry(bundle, idx % 256), blinded, "the entry bundle holds the blinded bytes")
    c.ok(rec["type"].encode() not in bundle, "the bundle does not name the act's type")
    st, pr, _ = s.call("GET", f"/v1/journal/proof/inclusion?index={idx}&size={size}")
    c.ok(st == 200 and verify_inclusion(idx, size, leaf, [bytes.fromhex(h) for h in pr["proof"]],
                                        root), "the party proves inclusion under the signed root")
    c.ok("salt" not in s.call("GET", "/v1/records?limit=1000")[1].get("records", [{}])[-1],
         "no salt in what the anonymous reader lists")


def mth(leaves):
    """Merkle Tree Hash of leaf hashes (RFC 9162 section 2.1.1), for sizes >= 1."""
    if len(leaves) == 1:
        return leaves[0]
    k = 1
    while k * 2 < len(leaves):
        k *= 2
    return hashlib.sha256(b"\x01" + mth(leaves[:k]) + mth(leaves[k:])).digest()


if __name__ == "__main__":
    run_script(steps)
