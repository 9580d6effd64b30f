#!/usr/bin/python3
"""Forums and conferences over HTTP against `gsi serve` (SQLite, or the PostgreSQL URL given):
a conference convened with its agenda, participants that accept or decline (a state, a
non-state participant), sessions, an outcome document linked to a consultation, and every
rule-breaking attempt refused with nothing written.

Usage: forum_http.py GSI [POSTGRESQL_URL]. Prints "checks: N passed, M failed"."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gsi_http import run_script  # noqa: E402

CONVENE = {"kind": "conference", "title": "Conference on demining and export control",
           "participants": ["KEN", "BRA", "X-ISS"],
           "agenda": ["Demining cooperation", "Export control"], "domain": "wmd-arms-control",
           "start": "2027-05-10T09:00:00Z", "end": "2027-05-12T17:00:00Z", "venue": "Nairobi"}
SESSION = {"title": "Opening session", "start": "2027-05-10T09:00:00Z",
           "end": "2027-05-10T12:00:00Z", "items": ["Demining cooperation"], "chair": "KEN"}


def run(c, s, t):
    st, f, hdr = s.call("POST", "/v1/forums", t["CHN"], CONVENE)
    c.eq(st, 201, "CHN convenes a conference")
    fid = f.get("case")
    c.eq(hdr.get("Location"), f"/v1/forums/{fid}", "its Location")
    path = f"/v1/forums/{fid}"
    for who, verb, want in (("KEN", "accept", 201), ("BRA", "decline", 201),
                            ("BRA", "accept", 201), ("X", "accept", 201)):
        c.eq(s.call("POST", f"{path}/{verb}", t[who], {})[0], want, f"{who} {verb}s")
    c.eq(s.call("POST", f"{path}/session", t["CHN"], SESSION)[0], 201, "a session")
    st, o, _ = s.call("POST", f"{path}/outcome", t["CHN"],
                      {"title": "Chair's summary", "text": "The participants agreed to ...",
                       "consultation": 12})
    c.eq(st, 201, "an outcome document linked to consultation 12")
    st, rec, _ = s.call("GET", f"/v1/records/{o.get('record')}")
    c.eq(rec.get("payload", {}).get("consultation") if st == 200 else st, 12,
         "the outcome's record keeps the link")
    st, g, _ = s.call("GET", path)
    c.eq(st, 200, "the forum")
    c.eq({p["party"]: p["state"] for p in g.get("parties", [])},
         {"BRA": "accepted", "KEN": "accepted", "X-ISS": "accepted"}, "the participants' answers")
    c.eq([a["type"] for a in g.get("acts", [])][-2:], ["forum.session", "forum.outcome"],
         "sessions and outcomes are its acts")
    st, lst, _ = s.call("GET", "/v1/forums?party=X-ISS")
    c.eq([x["id"] for x in lst.get("forums", [])], [fid], "listed for its non-state participant")
    return fid, path


def refusals(c, s, t, fid, path):
    st, r0, _ = s.call("POST", f"{path}/session", t["CHN"], {**SESSION, "title": "Second"})
    size0 = r0.get("tree_size")
    attempts = [
        ("not invited", "accept", t["SEN"], {}, 403, None),
        ("accepting twice", "accept", t["KEN"], {}, 409, "already accepted"),
        ("declining after accepting", "decline", t["KEN"], {}, 409, None),
        ("an outcome by a participant", "outcome", t["KEN"], {"title": "x", "text": "y"}, 403,
         None),
        ("a session on an item not on the agenda", "session", t["CHN"],
         {**SESSION, "items": ["Weather"]}, 422, "/items/0"),
        ("a session after the conference", "session", t["CHN"],
         {**SESSION, "start": "2027-06-01T09:00:00Z", "end": "2027-06-01T10:00:00Z"}, 422,
         "/start"),
        ("a link that is not an id", "outcome", t["CHN"],
         {"title": "x", "text": "y", "consultation": "twelve"}, 422, "/consultation"),
        ("acting for another party", "outcome", t["KEN"],
         {"title": "x", "text": "y", "party": "CHN"}, 403, None),
        ("no token", "close", None, {}, 401, None),
    ]
    for what, verb, tok, body, want, text in attempts:
        st, b, _ = s.call("POST", f"{path}/{verb}", tok, body)
        c.eq(st, want, f"refused: {what}")
        if text is not None:
            msg = b.get("error", {}).get("message", "") if isinstance(b, dict) else str(b)
            c.ok(text in msg, f"{what}: the message says {text!r}: {msg!r}")
    st, _, _ = s.call("POST", "/v1/forums", t["CHN"], {**CONVENE, "end": "2027-05-01T00:00:00Z"})
    c.eq(st, 422, "refused: a conference that ends before it starts")
    st, r1, _ = s.call("POST", f"{path}/close", t["CHN"], {})
    c.eq(st, 201, "the convenor closes it")
    c.eq(r1.get("tree_size", 0) - size0, 1, "nothing journalled by the refused attempts")
    c.eq(s.call("POST", f"{path}/outcome", t["CHN"], {"title": "x", "text": "y"})[0], 409,
         "refused: an outcome after the close")


def steps(c, env, serve):
    t = {p: env.delegate(p) for p in ("CHN", "BRA", "KEN", "SEN")}
    un = env.delegate("UN", role="secretariat")
    server = serve()
    st, _, _ = server.call("POST", "/v1/parties", un,
                           {"id": "X-ISS", "name": "Institute for Security Studies"})
    c.eq(st, 201, "a think tank joins as a non-state participant")
    t["X"] = env.delegate("X-ISS")
    fid, path = run(c, server, t)
    refusals(c, server, t, fid, path)


if __name__ == "__main__":
    run_script(steps)
