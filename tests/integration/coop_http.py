#!/usr/bin/python3
"""Cooperation over HTTP against `gsi serve` (SQLite, or the PostgreSQL URL given):
offers and requests as procedures, matches with their reasons, the max-min fair allocation
re-run and journalled after each act, and every rule-breaking attempt refused with nothing
written. Expected shares are worked out by hand beside each check.

Usage: coop_http.py GSI [POSTGRESQL_URL]. Prints "checks: N passed, M failed"."""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gsi_http import run_script  # noqa: E402

DAYS = {"start": "2027-03-01", "end": "2027-03-10"}


def offer(title, places, languages, regions=None):
    o = {"domain": "wmd-arms-control", "title": title, "places": places,
         "languages": languages, **DAYS}
    if regions:
        o["regions"] = regions
    return o


def request(title, places, languages):
    return {"domain": "wmd-arms-control", "title": title, "places": places,
            "languages": languages}


def shares(s):
    st, a, _ = s.call("GET", "/v1/cooperation/allocations")
    return st, {x["party"]: x["allocated"] for x in a.get("shares", [])}, a


def scenario(c, s, t):
    # X (CHN): 2 places, English, open to all regions. Y (FRA): 1 place, English or French,
    # Africa only. Requests: BRA (Americas) English, KEN (Africa) English, SEN (Africa)
    # French, 3 places each.
    st, x, _ = s.call("POST", "/v1/cooperation/offers", t["CHN"], offer("Demining, X", 2, ["en"]))
    c.eq(st, 201, "CHN offers X")
    st, y, _ = s.call("POST", "/v1/cooperation/offers", t["FRA"],
                      offer("Demining, Y", 1, ["en", "fr"], ["Africa"]))
    c.eq(st, 201, "FRA offers Y")
    ids = {}
    for party, lang in (("BRA", "en"), ("KEN", "en"), ("SEN", "fr")):
        st, r, _ = s.call("POST", "/v1/cooperation/requests", t[party],
                          request(f"Deminers from {party}", 3, [lang]))
        c.eq(st, 201, f"{party} requests places")
        ids[party] = r.get("case")
    # Each act is journalled with the allocation it leads to: two entries an act.
    c.eq(r.get("tree_size", 0) - x.get("tree_size", 0), 8, "4 acts after X: 8 journal entries")

    # Matches for SEN: Y has all four reasons; X lacks the language (and is ranked after).
    st, m, _ = s.call("GET", f"/v1/cooperation/matches?request={ids['SEN']}&top=0")
    c.eq(st, 200, "matches")
    ms = m.get("matches", [])
    c.eq([(e["offer"], e["rank"]) for e in ms], [(y["case"], 1), (x["case"], 2)],
         "SEN's matches: Y first, then X")
    c.eq(ms[1]["missing"] if len(ms) > 1 else None, ["language"], "X misses the language")
    st, m, _ = s.call("GET", f"/v1/cooperation/matches?request={ids['BRA']}&compatible=true")
    c.eq([e["offer"] for e in m.get("matches", [])], [x["case"]],
         "BRA is compatible with X only (Y is for Africa)")

    # Three places, three parties: one each is the max-min share (BRA and KEN on X, SEN on Y).
    st, sh, a = shares(s)
    c.eq(st, 200, "allocations")
    c.eq(sh, {"BRA": 1, "KEN": 1, "SEN": 1}, "one place each")
    c.eq(a.get("allocated"), 3, "all 3 places allocated")
    c.eq(sorted((g["party"], g["offer"]) for g in a.get("grants", [])),
         [("BRA", x["case"]), ("KEN", x["case"]), ("SEN", y["case"])], "the grants")

    # FRA withdraws Y: SEN fits no other offer; BRA and KEN keep X's two places.
    st, w, _ = s.call("POST", f"/v1/cooperation/offers/{y['case']}/withdraw", t["FRA"],
                      {"reason": "instructors unavailable"})
    c.eq(st, 201, "FRA withdraws Y")
    st, sh, a = shares(s)
    c.eq(sh, {"BRA": 1, "KEN": 1, "SEN": 0}, "recomputed when the offer is withdrawn")
    c.eq(a.get("as_of"), w.get("record"), "the allocation reflects the withdrawal")
    st, rec, _ = s.call("GET", f"/v1/records/{w['record'] + 1}")
    c.eq(rec.get("type") if st == 200 else st, "cooperation.allocation",
         "the re-run allocation is journalled right after the act")

    # CHN amends X to 4 places: BRA and KEN get 2 each (3 places each requested).
    st, _, _ = s.call("POST", f"/v1/cooperation/offers/{x['case']}/amend", t["CHN"],
                      offer("Demining, X", 4, ["en"]))
    c.eq(st, 201, "CHN amends X")
    st, sh, _ = shares(s)
    c.eq(sh, {"BRA": 2, "KEN": 2, "SEN": 0}, "after the amendment")
    return x, y, ids


def refusals(c, s, t, x, y, ids):
    """Every attempt to break a rule is refused, and the journal does not grow."""
    st, before, _ = s.call("GET", "/v1/cooperation/allocations")
    st0, r0, _ = s.call("POST", "/v1/cooperation/requests", t["KEN"], request("probe", 1, ["en"]))
    size0 = r0.get("tree_size")
    attempts = [
        ("no token", "POST", "/v1/cooperation/offers", None, offer("x", 1, ["en"]), 401, None),
        ("acting for another party", "POST", "/v1/cooperation/offers", t["KEN"],
         {**offer("x", 1, ["en"]), "party": "CHN"}, 403, None),
        ("an observer acting", "POST", "/v1/cooperation/requests", t["obs"],
         request("x", 1, ["en"]), 403, None),
        ("withdrawing another party's offer", "POST",
         f"/v1/cooperation/offers/{x['case']}/withdraw", t["KEN"], {}, 403, None),
        ("amending another party's request", "POST",
         f"/v1/cooperation/requests/{ids['BRA']}/amend", t["KEN"], request("x", 1, ["en"]), 403,
         None),
        ("withdrawing twice", "POST", f"/v1/cooperation/offers/{y['case']}/withdraw", t["FRA"],
         {}, 409, None),
        ("amending a withdrawn offer", "POST", f"/v1/cooperation/offers/{y['case']}/amend",
         t["FRA"], offer("x", 1, ["en"]), 409, None),
        ("a language that is not a code", "POST", "/v1/cooperation/offers", t["CHN"],
         offer("x", 1, ["English"]), 422, "/languages/0"),
        ("a domain that is not one of the 20", "POST", "/v1/cooperation/offers", t["CHN"],
         {**offer("x", 1, ["en"]), "domain": "demining"}, 422, "/domain"),
        ("an end before the start", "POST", "/v1/cooperation/offers", t["CHN"],
         {**offer("x", 1, ["en"]), "end": "2027-02-01"}, 422, "/end"),
        ("a region that is not a UN region", "POST", "/v1/cooperation/offers", t["CHN"],
         offer("x", 1, ["en"], ["Atlantis"]), 422, "/regions/0"),
        ("no places", "POST", "/v1/cooperation/requests", t["KEN"], request("x", 0, ["en"]), 422,
         "/places"),
        ("an unknown field", "POST", "/v1/cooperation/requests", t["KEN"],
         {**request("x", 1, ["en"]), "priority": 1}, 422, "priority"),
        ("a request without a region from a party that is not a state", "POST",
         "/v1/cooperation/requests", t["X"], request("x", 1, ["en"]), 422, "/region"),
        ("a case that does not exist", "POST", "/v1/cooperation/offers/999999/withdraw",
         t["CHN"], {}, 404, None),
    ]
    for what, method, path, tok, body, want, field in attempts:
        st, b, _ = s.call(method, path, tok, body)
        c.eq(st, want, f"refused: {what}")
        if field is not None:
            msg = b.get("error", {}).get("message", "") if isinstance(b, dict) else str(b)
            c.ok(field in msg, f"{what}: the message names {field}: {msg!r}")
    tok = t["CHN"]
    st, _ = s.raw(b"POST /v1/cooperation/offers HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                  b"Authorization: Bearer " + tok.encode() + b"\r\n"
                  b"Content-Type: application/json\r\nContent-Length: 10485760\r\n"
                  b"Connection: close\r\n\r\n")
    c.eq(st, 413, "refused: a 10 MB body")
    st, r1, _ = s.call("POST", "/v1/cooperation/requests/%d/withdraw" % r0["case"], t["KEN"], {})
    c.eq(r1.get("tree_size", 0) - size0, 2, "nothing journalled by the refused attempts")
    st, after, _ = s.call("GET", "/v1/cooperation/allocations")
    c.eq(after.get("shares"), before.get("shares"), "the allocation is as it was")


def steps(c, env, serve):
    t = {p: env.delegate(p) for p in ("CHN", "FRA", "BRA", "KEN", "SEN")}
    t["obs"] = env.delegate("BRA", role="observer")
    server = serve()
    un = env.delegate("UN", role="secretariat")
    st, p, _ = server.call("POST", "/v1/parties", un,
                           {"id": "X-ISS", "name": "Institute for Security Studies"})
    t["X"] = env.delegate("X-ISS") if st == 201 else None
    c.eq(st, 201, "a think tank joins as a non-state party")
    x, y, ids = scenario(c, server, t)
    # The CLI reads the same open offers and requests from the database.
    out = env.run("cooperation", "allocate", "--format", "json", check=False)
    c.eq(out.returncode, 0, f"gsi cooperation allocate --db ({out.stderr})")
    cli = {r["party"]: r["allocated"] for r in json.loads(out.stdout or "[]")}
    c.eq(cli, shares(server)[1], "the CLI's allocation is the API's")
    out = env.run("cooperation", "match", "--compatible", "--format", "json", check=False)
    c.eq(sorted((r["request"], r["offer"]) for r in json.loads(out.stdout or "[]")),
         sorted([(str(ids["BRA"]), str(x["case"])), (str(ids["KEN"]), str(x["case"]))]),
         "gsi cooperation match --db: BRA and KEN fit X, SEN fits nothing open")
    refusals(c, server, t, x, y, ids)


if __name__ == "__main__":
    run_script(steps)
