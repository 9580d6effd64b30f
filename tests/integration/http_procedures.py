#!/usr/bin/python3
"""Procedures over HTTP, end to end, on a fresh database: the concerns register and
notifications played as real sequences by delegates of real parties, every rule broken once
(each refusal checked for its status and for writing nothing), the feed's ETag, the brief naming
the overdue party, every response checked against the OpenAPI document, and `gsi journal verify`
after a clean stop. Deadlines are judged with `at=` (and the brief's --now): no step sleeps.

    http_procedures.py GSI_BINARY [DB_URL]     (no DB_URL: a fresh SQLite file)

Expected values come from the rules as documented (docs/internals/procedures.md) and from the
data files, not from the server: maritime concerns are due for acknowledgement 2 days after
lodging; OSCE has 57 participating states (data/parties/members.csv, osce.org), so a
notification from one of them to "OSCE" has 56 recipients.
"""

import csv
import datetime
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gsi_http import SOURCE_ROOT as ROOT, run_script  # noqa: E402
from openapi_check import validate_all  # noqa: E402


def iso(dt):
    return dt.strftime("%Y-%m-%dT%H:%M:%SZ")


def now():
    return datetime.datetime.now(datetime.timezone.utc)


def members(org):
    with open(os.path.join(ROOT, "data", "parties", "members.csv")) as f:
        return sorted(r["member"] for r in csv.DictReader(f) if r["org"] == org)


def point(lon, lat):
    return {"type": "Point", "coordinates": [lon, lat]}


BOX = {"type": "Polygon", "coordinates": [[[170, 10], [171, 10], [171, 11], [170, 11], [170, 10]]]}


def launch(hours, to=("CHN",)):
    start = now() + datetime.timedelta(hours=hours)
    return {"type": "missile_launch", "to": list(to), "window_start": iso(start),
            "window_end": iso(start + datetime.timedelta(hours=6)),
            "launch_area": point(63.3, 45.9), "impact_area": BOX, "missile": "test"}


def journal_size(s):
    return s.call("GET", "/v1/health")[1]["journal_size"]


def steps(c, env, serve):
    tok = {p: env.delegate(p) for p in ("USA", "CHN", "IND", "BRA")}
    tok["CHN-observer"] = env.delegate("CHN", role="observer")
    osce = members("OSCE")
    c.eq(len(osce), 57, "OSCE participating states in data/parties/members.csv")
    for p in osce:
        if p not in tok:
            tok[p] = env.delegate(p)
    server = serve()
    concern_sequence(c, env, server, tok)
    launch_rule(c, server, tok)
    exercise_osce(c, server, tok, osce)
    rules_broken(c, server, tok)
    feed(c, server, tok)
    cli_notify(c, env, server)
    validate_all(c, server, server.call("GET", "/v1/openapi.yaml")[1])


def concern_sequence(c, env, s, tok):
    """Lodged by USA to three; acknowledged by two; answered by one; overdue for the third."""
    body = {"to": ["CHN", "IND", "BRA"], "domain": "maritime", "title": "Fishing fleet near the reef",
            "text": "Our coast guard reports 200 vessels inside our exclusive economic zone.",
            "means": "negotiation"}
    st, r, h = s.call("POST", "/v1/concerns", token=tok["USA"], body=body)
    c.eq(st, 201, "concern lodged")
    cid = r["case"]
    c.eq(h.get("Location"), f"/v1/concerns/{cid}", "Location of the concern")
    for p in ("CHN", "IND"):
        c.eq(s.call("POST", f"/v1/concerns/{cid}/acknowledge", token=tok[p])[0], 201,
             f"{p} acknowledges")
    st, _, _ = s.call("POST", f"/v1/concerns/{cid}/answer", token=tok["CHN"],
                      body={"text": "Our fleet fishes in waters we consider our own; we propose talks."})
    c.eq(st, 201, "CHN answers")
    st, g, _ = s.call("GET", f"/v1/concerns/{cid}")
    c.eq(st, 200, "concern read")
    states = {p["party"]: p["state"] for p in g["parties"]}
    c.eq(states, {"CHN": "answered", "IND": "acknowledged", "BRA": "lodged"}, "each party's state")
    c.eq(g["overdue"], [], "nobody overdue at once")
    c.eq(g["state"], "open", "concern open")
    c.eq([a["type"] for a in g["acts"]],
         ["concern.lodge", "concern.acknowledge", "concern.acknowledge", "concern.answer"],
         "its acts, oldest first")
    # Maritime: acknowledge within 2 days. Three days on, BRA is overdue; IND (answer due in 14
    # days) and CHN (answered) are not.
    later = iso(now() + datetime.timedelta(days=3))
    st, g, _ = s.call("GET", f"/v1/concerns/{cid}?at={later}")
    c.eq(g["overdue"], ["BRA"], "three days on, BRA is overdue")
    st, lst, _ = s.call("GET", f"/v1/concerns?overdue=true&party=BRA&at={later}")
    c.eq(st, 200, "overdue list")
    c.eq([x["id"] for x in lst["concerns"]], [cid], "BRA's overdue concerns")
    for p in ("IND", "CHN", "USA"):
        st, lst, _ = s.call("GET", f"/v1/concerns?overdue=true&party={p}&at={later}")
        c.eq(lst["concerns"], [], f"{p} has no overdue concern")
    # The brief names BRA with its overdue concern among its reasons.
    actuals = os.path.join(ROOT, "data", "views", "cm_actuals_2018_2022.csv")
    b = env.run("warn", "brief", "--actuals", actuals, "--samples", "50", "--top", "3",
                "--format", "csv", "--now", later, check=False)
    c.eq(b.returncode, 0, f"brief with --db runs ({b.stderr.strip()})")
    rows = list(csv.DictReader(b.stdout.splitlines()))
    bra = [r for r in rows if r.get("iso3") == "BRA"]
    c.ok(len(bra) == 1 and "1 overdue concern" in bra[0]["reasons"],
         f"the brief names BRA's overdue concern: {bra}")
    c.eq([r["iso3"] for r in rows if "overdue concern" in r.get("reasons", "")], ["BRA"],
         "no other country has an overdue concern in the brief")
    b = env.run("warn", "brief", "--actuals", actuals, "--samples", "50", "--top", "3",
                "--format", "csv", check=False)
    c.ok("overdue concern" not in b.stdout, "judged now, nobody is overdue in the brief")


def launch_rule(c, s, tok):
    size = journal_size(s)
    st, e, _ = s.call("POST", "/v1/notifications", token=tok["USA"], body=launch(23))
    c.eq(st, 422, "launch notified 23 hours ahead is refused")
    msg = e["error"]["message"]
    c.ok("no later than 24 hours" in msg and "1988" in msg, f"the refusal names the rule: {msg}")
    c.eq(journal_size(s), size, "nothing written by the refusal")
    sent = launch(25)
    st, r, _ = s.call("POST", "/v1/notifications", token=tok["USA"], body=sent)
    c.eq(st, 201, "launch notified 25 hours ahead is accepted")
    c.eq(r["act"], "notification.missile_launch", "its act type")
    st, g, _ = s.call("GET", f"/v1/notifications/{r['case']}")
    c.eq((g["type"], g["state"], g["parties"][0]["state"]), ("missile_launch", "active", "sent"),
         "the notification awaits CHN's acknowledgement")
    c.eq(s.call("POST", f"/v1/notifications/{r['case']}/acknowledge", token=tok["CHN"])[0], 201,
         "CHN acknowledges")
    # Amended: the original stays in its record; CHN must acknowledge the new version.
    st, _, _ = s.call("POST", f"/v1/notifications/{r['case']}/amend", token=tok["USA"],
                      body={k: v for k, v in launch(30).items() if k != "type"})
    c.eq(st, 201, "the sender amends it")
    st, g, _ = s.call("GET", f"/v1/notifications/{r['case']}")
    c.eq((g["version"], g["parties"][0]["state"]), (2, "sent"), "version 2 awaits CHN again")
    first = g["acts"][0]["record"]
    st, rec, _ = s.call("GET", f"/v1/records/{first}")
    c.eq(rec["payload"]["window_start"], sent["window_start"], "the original is kept in its record")
    c.ok(rec["payload"]["window_start"] != g["data"]["window_start"], "and differs from the amendment")
    later = iso(now() + datetime.timedelta(hours=13))
    st, g, _ = s.call("GET", f"/v1/notifications/{r['case']}?at={later}")
    c.eq(g["overdue"], ["CHN"], "unacknowledged past its 12-hour deadline: flagged")
    c.eq(s.call("POST", f"/v1/notifications/{r['case']}/cancel", token=tok["USA"],
                body={"reason": "postponed"})[0], 201, "the sender cancels it")
    c.eq(s.call("POST", f"/v1/notifications/{r['case']}/acknowledge", token=tok["CHN"])[0], 409,
         "a cancelled notification cannot be acknowledged")


def exercise_osce(c, s, tok, osce):
    start = now() + datetime.timedelta(days=43)
    body = {"type": "exercise", "to": ["OSCE"], "name": "Northern Shield", "start": iso(start),
            "end": iso(start + datetime.timedelta(days=10)),
            "area": {"type": "Polygon", "coordinates": [[[20, 50], [24, 50], [24, 54], [20, 54], [20, 50]]]},
            "troops": 12000, "tanks": 120}
    st, r, _ = s.call("POST", "/v1/notifications", token=tok["USA"], body=body)
    c.eq(st, 201, "exercise notified 43 days ahead")
    nid = r["case"]
    st, g, _ = s.call("GET", f"/v1/notifications/{nid}")
    want = [p for p in osce if p != "USA"]
    c.eq([p["party"] for p in g["parties"]], want, "the 56 other OSCE participating states")
    bad = [p for p in want
           if s.call("POST", f"/v1/notifications/{nid}/acknowledge", token=tok[p])[0] != 201]
    c.eq(bad, [], "every recipient acknowledges")
    st, g, _ = s.call("GET", f"/v1/notifications/{nid}?at={iso(now() + datetime.timedelta(days=30))}")
    c.eq({p["state"] for p in g["parties"]}, {"acknowledged"}, "all acknowledged")
    c.eq(g["overdue"], [], "nobody overdue")
    body["start"] = iso(now() + datetime.timedelta(days=41))
    st, e, _ = s.call("POST", "/v1/notifications", token=tok["USA"], body=body)
    c.eq(st, 422, "12,000 troops notified 41 days ahead is refused")
    c.ok("42 days" in e["error"]["message"] and "Vienna Document" in e["error"]["message"],
         f"the refusal names the rule: {e['error']['message']}")


def rules_broken(c, s, tok):
    body = {"to": ["CHN", "IND"], "domain": "nuclear", "title": "Test site", "text": "Why?"}
    st, r, _ = s.call("POST", "/v1/concerns", token=tok["USA"], body=body)
    cid = r["case"]
    c.eq(s.call("POST", f"/v1/concerns/{cid}/acknowledge", token=tok["CHN"])[0], 201, "CHN acknowledges")
    conf = dict(body, to=["CHN"], title="Confidential", confidential=True)
    st, r, _ = s.call("POST", "/v1/concerns", token=tok["USA"], body=conf)
    secret = r["case"]
    size = journal_size(s)

    def refused(status, what, method, path, token=None, body=None, code=None, msg=None):
        st, e, _ = s.call(method, path, token=token, body=body)
        c.eq(st, status, what)
        if code is not None:
            c.eq(e["error"]["code"], code, f"{what}: code")
        if msg is not None:
            c.ok(msg in e["error"]["message"], f"{what}: message {e['error']['message']!r} has {msg!r}")

    refused(401, "no token", "POST", f"/v1/concerns/{cid}/acknowledge", code="GSI_EAUTH")
    refused(403, "acting for another party", "POST", f"/v1/concerns/{cid}/acknowledge",
            tok["CHN"], {"party": "IND"}, "GSI_EFORBIDDEN", "non-interference")
    refused(403, "lodging for another party", "POST", "/v1/concerns", tok["CHN"],
            dict(body, party="USA", to=["IND"]), "GSI_EFORBIDDEN")
    refused(403, "an observer acts", "POST", f"/v1/concerns/{cid}/acknowledge",
            tok["CHN-observer"], None, "GSI_EFORBIDDEN")
    refused(403, "answering a concern not addressed to you", "POST", f"/v1/concerns/{cid}/answer",
            tok["BRA"], {"text": "x"}, "GSI_EFORBIDDEN", "not addressed to BRA")
    refused(403, "withdrawing another party's concern", "POST", f"/v1/concerns/{cid}/withdraw",
            tok["CHN"], None, "GSI_EFORBIDDEN")
    refused(409, "acknowledging twice", "POST", f"/v1/concerns/{cid}/acknowledge", tok["CHN"],
            None, "GSI_ECONFLICT", "already acknowledged")
    # A confidential concern: 404 to others, as for one that does not exist.
    refused(404, "reading a confidential concern (another party)", "GET",
            f"/v1/concerns/{secret}", tok["IND"], code="GSI_ENOTFOUND")
    refused(404, "reading a confidential concern (anonymous)", "GET", f"/v1/concerns/{secret}")
    refused(404, "acknowledging a confidential concern not addressed to you", "POST",
            f"/v1/concerns/{secret}/acknowledge", tok["IND"])
    refused(404, "its record", "GET", f"/v1/records/{secret}", tok["IND"])
    st, e, _ = s.call("GET", f"/v1/concerns/{secret + 1000}", token=tok["IND"])
    st2, e2, _ = s.call("GET", f"/v1/concerns/{secret}", token=tok["IND"])
    c.eq(e2["error"]["message"].replace(str(secret), "N"),
         e["error"]["message"].replace(str(secret + 1000), "N"), "hidden reads as missing")
    c.eq(s.call("GET", f"/v1/concerns/{secret}", token=tok["CHN"])[0], 200, "CHN, addressed, reads it")
    ids = [x["id"] for x in s.call("GET", "/v1/concerns?limit=1000", token=tok["IND"])[1]["concerns"]]
    c.ok(secret not in ids and cid in ids, "lists leave it out for others")
    ids = [x["id"] for x in s.call("GET", "/v1/concerns?limit=1000")[1]["concerns"]]
    c.ok(secret not in ids, "and for the anonymous reader")
    idx = s.call("GET", f"/v1/records/{secret}", token=tok["USA"])[1]["index"]
    st, ent, _ = s.call("GET", f"/v1/journal/entries?start={idx}&end={idx + 1}")
    c.eq(sorted(ent["entries"][0].keys()), ["confidential", "index", "leaf_hash"],
         "the public journal shows only its index and leaf hash")
    # Bad payloads, each naming its field.
    bad = launch(30)
    bad["impact_area"] = {"type": "Polygon", "coordinates": [[[170, 10], [171, 10], [171, 11], [170, 12]]]}
    refused(422, "a polygon that does not close", "POST", "/v1/notifications", tok["USA"], bad,
            "GSI_EDATA", "/impact_area/coordinates/0: the ring does not close")
    bad = launch(30)
    bad["launch_area"] = point(63.3, 95)
    refused(422, "a latitude out of range", "POST", "/v1/notifications", tok["USA"], bad,
            "GSI_EDATA", "/launch_area/coordinates/1: expected a latitude in [-90, 90]")
    refused(422, "a text over its 20,000-byte cap", "POST", "/v1/concerns", tok["USA"],
            dict(body, text="a" * 30000), "GSI_EDATA", "/text: expected a string of 1 to 20000 bytes")
    refused(422, "an unknown domain", "POST", "/v1/concerns", tok["USA"], dict(body, domain="space"),
            "GSI_EDATA", "/domain:")
    refused(422, "an unknown kind of notification", "POST", "/v1/notifications", tok["USA"],
            dict(launch(30), type="rumour"), "GSI_EDATA", "/type:")
    refused(422, "a shorter deadline than the domain's", "POST", "/v1/concerns", tok["USA"],
            dict(body, ack_days=1), "GSI_EDATA", "/ack_days:")
    # A 10 MB text: the body is refused before it is read (the server takes 1 MiB at most).
    st, text = s.raw(b"POST /v1/concerns HTTP/1.1\r\nHost: t\r\nConnection: close\r\n"
                     b"Authorization: Bearer " + tok["USA"].encode() +
                     b"\r\nContent-Type: application/json\r\nContent-Length: 10485860\r\n\r\n")
    c.eq(st, 413, "a 10 MB text")
    c.ok('"GSI_ELIMIT"' in text, "413 error body")
    c.eq(journal_size(s), size, "nothing written by any refusal")


def feed(c, s, tok):
    since = iso(now() - datetime.timedelta(minutes=10))
    st, f1, h1 = s.call("GET", f"/v1/notifications?since={since}")
    c.eq(st, 200, "the feed")
    etag = h1.get("ETag")
    c.ok(etag is not None and etag.startswith('"'), f"an ETag: {etag}")
    st, body, h = s.call("GET", f"/v1/notifications?since={since}", headers={"If-None-Match": etag})
    c.eq(st, 304, "unchanged: 304")
    c.eq(body, "", "304 has no body")
    st, _, _ = s.call("POST", "/v1/notifications", token=tok["IND"],
                      body={"type": "disaster", "to": ["ALL"], "hazard": "flood",
                            "time": iso(now() - datetime.timedelta(hours=3)),
                            "area": point(88.4, 22.6), "description": "Monsoon floods."})
    c.eq(st, 201, "a disaster notification to all")
    st, f2, h2 = s.call("GET", f"/v1/notifications?since={since}", headers={"If-None-Match": etag})
    c.eq(st, 200, "changed: 200")
    c.ok(h2.get("ETag") != etag, "with a new ETag")
    c.eq(len(f2["notifications"]), len(f1["notifications"]) + 1, "and the new notification")
    last = f2["notifications"][-1]["last_record"]
    st, f3, _ = s.call("GET", f"/v1/notifications?after={last}")
    c.eq(f3["notifications"], [], "nothing after the last one seen")


def cli_notify(c, env, s):
    """gsi notify FILE: the same act from the command line, the same rule."""
    path = os.path.join(env.tmp, "launch.json")
    size = journal_size(s)
    with open(path, "w") as f:
        json.dump(launch(23, to=("IND",)), f)
    p = env.run("notify", path, "--party", "USA", check=False)
    c.eq(p.returncode, 65, f"gsi notify refuses a late launch with exit 65 ({p.stderr.strip()})")
    c.ok("24 hours" in p.stderr and path in p.stderr, "and names the file and the rule")
    c.eq(journal_size(s), size, "nothing written")
    with open(path, "w") as f:
        json.dump(launch(26, to=("IND",)), f)
    p = env.run("notify", path, "--party", "USA", "--format", "json", check=False)
    c.eq(p.returncode, 0, f"gsi notify sends a launch 26 hours ahead ({p.stderr.strip()})")
    sent = json.loads(p.stdout)[0] if p.returncode == 0 else {}
    st, g, _ = s.call("GET", f"/v1/notifications/{sent.get('notification', 0)}")
    c.eq((st, g.get("owner"), [x["party"] for x in g.get("parties", [])]), (200, "USA", ["IND"]),
         "and the API shows it")


if __name__ == "__main__":
    run_script(steps)
