#!/usr/bin/python3
"""Stored forecast runs end to end: `gsi warn run --db` on the shipped ViEWS actuals, then
`gsi serve`, and every forecast and hotspot route checked against figures computed without
the database: the actuals read from the CSV here, and the brief that `gsi warn brief
--actuals` computes from the CSV alone (same model, seed and draws).

    warn_http.py GSI_BINARY [DB_URL]     (no DB_URL: a fresh SQLite file)
"""

import csv
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gsi_http import SOURCE_ROOT as ROOT, run_script  # noqa: E402

ACTUALS = os.path.join(ROOT, "data", "views", "cm_actuals_2018_2022.csv")


def month(mid):
    """ViEWS month id (1 = 1980-01) as YYYY-MM."""
    return f"{1980 + (mid - 1) // 12:04d}-{(mid - 1) % 12 + 1:02d}"


def csv_actuals(country_id):
    with open(ACTUALS) as f:
        rows = [r for r in csv.DictReader(f) if int(r["country_id"]) == country_id]
    return {month(int(r["month_id"])): float(r["ged_sb"]) for r in rows}


def steps(c, env, serve):
    eth = env.delegate("ETH")
    ken = env.delegate("KEN")
    server = serve()
    st, e, _ = server.call("GET", "/v1/forecasts/latest")
    c.eq(st, 404, "no run stored yet: 404")
    c.ok("gsi warn run" in e["error"]["message"], "the 404 says what to run")
    st, e, _ = server.call("GET", "/v1/hotspots")
    c.eq(st, 404, "no hotspots before a run")
    r = env.run("warn", "run", "--actuals", ACTUALS, "--top", "5")
    c.ok("Run 2022-12.1 stored" in r.stdout, "gsi warn run names the stored run")
    c.ok("total" in r.stderr, "gsi warn run times its steps")
    check_run(c, server)
    check_hotspots(c, server, eth, ken)
    check_brief(c, env, server)


def brief_from_csv():
    """The brief computed from the CSV alone, no database (seed 1, 1000 draws, as the run)."""
    p = subprocess.run([sys.argv[1], "warn", "brief", "--actuals", ACTUALS, "--top", "0",
                        "--format", "json"], capture_output=True, text=True, timeout=300)
    return json.loads(p.stdout)


def check_run(c, s):
    st, run, _ = s.call("GET", "/v1/forecasts/latest")
    c.eq(st, 200, "latest run")
    for k, v in (("run", "2022-12.1"), ("through", "2022-12"), ("first_month", "2023-01"),
                 ("horizon", 12), ("model", "gsi"), ("seed", 1), ("draws", 1000)):
        c.eq(run.get(k), v, f"run field {k}")
    c.ok(run.get("created", "").endswith("Z") and "T" in run["created"], "created is RFC 3339")
    st, same, _ = s.call("GET", "/v1/forecasts/2022-12.1")
    c.eq(same, run, "the run by id is the latest run")
    st, same, _ = s.call("GET", "/v1/forecasts/2022-12")
    c.eq(same, run, "the run by data month is the latest run")
    brief = brief_from_csv()
    c.eq(len(run["countries"]), len(brief), "every country of the actuals")
    bad = []
    for got, want in zip(run["countries"], brief):
        iso3 = want["iso3"] or "XKX"
        # Means and quantiles are stored rounded to cents: within 0.005 of the brief's.
        cents = {"median_12m": want["median_12m"], "lo90_12m": want["lo90"],
                 "hi90_12m": want["hi90"], "mean_12m": want["mean_12m"]}
        exact = {"iso3": iso3, "rank": want["rank"], "p_ge_25_12m": want["p_ge_25"],
                 "past_12m": want["past_12m"]}
        for k, v in cents.items():
            if abs(got.get(k, -1) - v) > 0.005 + 1e-9 * abs(v):
                bad.append((iso3, k, got.get(k), v))
        for k, v in exact.items():
            if got.get(k) != v:
                bad.append((iso3, k, got.get(k), v))
        if not 0 <= got.get("p_ge_25_next", -1) <= 1:
            bad.append((iso3, "p_ge_25_next", got.get("p_ge_25_next"), "[0, 1]"))
    c.eq(bad[:5], [], "served figures equal the brief computed from the CSV alone")

    st, eth, _ = s.call("GET", "/v1/forecasts/2022-12.1/countries/ETH")
    c.eq(st, 200, "Ethiopia's series")
    want = csv_actuals(57)  # ViEWS country 57 is Ethiopia (data/ref/views_countries.csv)
    months = [month(m) for m in range(481, 517)]
    c.eq([a["month"] for a in eth["actuals"]], months, "36 months of actuals, 2020-01..2022-12")
    c.eq([a["deaths"] for a in eth["actuals"]], [want[m] for m in months],
         "the actuals are the CSV's")
    c.eq([f["month"] for f in eth["forecast"]], [month(m) for m in range(517, 529)],
         "12 forecast months 2023-01..2023-12")
    ordered = all(f["q05"] <= f["q25"] <= f["q50"] <= f["q75"] <= f["q95"] for f in eth["forecast"])
    c.ok(ordered, "quantiles are ordered")
    top_eth = [x for x in run["countries"] if x["iso3"] == "ETH"][0]
    c.eq(eth["forecast"][0]["p_ge_25"], top_eth["p_ge_25_next"], "p_ge_25_next is month 1's")
    c.ok(len(eth["reasons"]) >= 3, "reasons listed")
    st, e, _ = s.call("GET", "/v1/forecasts/2022-12.1/countries/ZZZ")
    c.eq(st, 404, "unknown country in a run")
    st, e, _ = s.call("GET", "/v1/forecasts/2031-01.1")
    c.eq(st, 404, "unknown run")


def check_hotspots(c, s, eth, ken):
    st, hs, _ = s.call("GET", "/v1/hotspots")
    c.eq(st, 200, "hotspots of the latest run")
    c.eq(hs["run"], "2022-12.1", "hotspots name their run")
    c.eq([h["rank"] for h in hs["hotspots"]], list(range(1, len(hs["hotspots"]) + 1)), "ranked")
    ids = {h["iso3"]: h["id"] for h in hs["hotspots"]}
    c.eq(ids.get("ETH"), "ETH-2023-01", "hotspot id is ISO3 and the first forecast month")
    st, two, _ = s.call("GET", "/v1/hotspots?run=2022-12.1&limit=2")
    c.eq(two["hotspots"], hs["hotspots"][:2], "limit and run")
    # Links: a public note, a confidential one for KEN, and one about another hotspot.
    notes = [(eth, "ETH", {"type": "note.concern", "payload": {"hotspot": "ETH-2023-01",
                                                               "text": "cross-border raids"}}),
             (ken, "KEN", {"type": "note", "confidential": True, "audience": ["ETH"],
                           "payload": {"hotspot": "ETH-2023-01"}}),
             (ken, "KEN", {"type": "note", "payload": {"hotspot": "SOM-2023-01"}})]
    for tok, party, body in notes:
        st, _, _ = s.call("POST", f"/v1/parties/{party}/records", token=tok, body=body)
        c.eq(st, 201, f"note by {party}")
    # A concern lodged through the concerns register, linked by its "hotspot" field.
    body = {"to": ["KEN"], "domain": "hotspots", "title": "Tigray ceasefire monitoring",
            "text": "We ask for consultations on the ceasefire.", "hotspot": "ETH-2023-01"}
    st, r, _ = s.call("POST", "/v1/concerns", token=eth, body=body)
    c.eq(st, 201, "concern lodged on the hotspot")
    st, h, _ = s.call("GET", "/v1/hotspots/ETH-2023-01")
    c.eq(st, 200, "hotspot page")
    c.eq([x["type"] for x in h["linked"]["concerns"]], ["concern.lodge"],
         "the concern is linked under concerns")
    listed = [x for x in hs["hotspots"] if x["iso3"] == "ETH"][0]
    c.eq({k: h[k] for k in listed}, listed, "the page carries the listed hotspot")
    c.eq(len(h["series"]["forecast"]), 12, "the page carries the forecast")
    linked = h["linked"]
    c.eq([x["party"] for x in linked["other"]], ["ETH"], "anonymous: the public link only")
    st, h, _ = s.call("GET", "/v1/hotspots/ETH-2023-01", token=ken)
    c.eq(sorted(x["party"] for x in h["linked"]["other"]), ["ETH", "KEN"],
         "KEN sees its confidential link too")
    st, _, _ = s.call("GET", "/v1/hotspots/ETH-2023-02")
    c.eq(st, 404, "no run on that data month")
    st, _, _ = s.call("GET", "/v1/hotspots/eth-2023-01")
    c.eq(st, 404, "malformed hotspot id")


def check_brief(c, env, s):
    """gsi warn brief --db: each alert and what was opened on it, silence marked after N days."""
    st, run, _ = s.call("GET", "/v1/forecasts/latest")
    st, hs, _ = s.call("GET", "/v1/hotspots")
    alerts = [h for h in hs["hotspots"] if h["alerts"]]
    created = run["created"][:19] + "Z"
    r = env.run("warn", "brief", "--now", created, "--format", "json")
    rows = json.loads(r.stdout)
    c.eq([x["hotspot"] for x in rows], [h["id"] for h in alerts], "one row per alert, by rank")
    by = {x["hotspot"]: x for x in rows}
    c.eq(by["ETH-2023-01"]["opened"], 3, "every link to Ethiopia's alert (the CLI sees all)")
    c.eq(by["ETH-2023-01"]["status"], "responded", "a linked alert has a response")
    silent = [x for x in rows if x["opened"] == 0]
    c.ok(len(silent) > 0 and all(x["status"] == "open" for x in silent),
         "at the run's own time the others are open, not yet overdue")
    r = env.run("warn", "brief", "--now", "2099-01-01T00:00:00Z", "--days", "30",
                "--format", "json")
    rows = json.loads(r.stdout)
    c.ok(all(x["status"] == "NO RESPONSE" for x in rows if x["opened"] == 0),
         "after 30 days the silent alerts are marked")
    c.eq([x["status"] for x in rows if x["hotspot"] == "ETH-2023-01"], ["responded"],
         "the answered one is not")


if __name__ == "__main__":
    run_script(steps, verify=False)
