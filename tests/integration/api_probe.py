"""api_probe.py GSI [DB_URL] — sends bad values for every parameter of every route and checks
that each is refused with a 4xx JSON error, never a 2xx or a 5xx.

The routes and their parameters come from the OpenAPI document the server itself serves
(/v1/openapi.yaml), so a route added to docs/api.yaml is probed without a change here. What a
bad value is follows from the parameter's schema, as docs/api.yaml states the rules
("Query and path parameters" in its description):

- an integer: not written in canonical decimal (a sign, a leading zero, a fraction, an
  exponent, hex, empty, past 2^63), or outside its minimum/maximum;
- a string with an enum: a value not in it (and the error message names every allowed value);
- a string with a pattern: a value that does not match it;
- a date-time: text that is not an RFC 3339 UTC time;
- any other string names something (a party, a run, a state, a source): a name that exists
  nowhere is refused, not answered with an empty list;
- a path id that names nothing: 404.

Unknown query parameters are ignored (the answer equals the one without them); a repeated
parameter counts by its first value. Both are checked too. The values the probe sends are
made up here from the rules above, not taken from the server's answers. Standard library and
PyYAML only; prints "checks: N passed, M failed"."""

import os
import re
import sys
import urllib.parse

import yaml

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gsi_http import Checks, Env, Server  # noqa: E402

BAD_INTEGERS = ["abc", "", "-1", "+1", "01", "007", "1.5", "1e3", "0x10", " 1", "1 ",
                "99999999999999999999", "9223372036854775808"]
BAD_PATH_IDS = ["0", "01", "+1", "-1", "abc", "1.0", "99999999999999999999", "999999"]
BAD_TIMES = ["yesterday", "2026-13-01T00:00:00Z", "2026-12-03", "2026-12-03T09:00:00+01:00x"]
NAMES_NOTHING = ["zzbogus", "ZZZ", "Bad Value!"]


def resolve(doc, node):
    while isinstance(node, dict) and "$ref" in node:
        cur = doc
        for part in node["$ref"].lstrip("#/").split("/"):
            cur = cur[part]
        node = cur
    return node


def params_of(doc, ops, op):
    out = []
    for p in (ops.get("parameters") or []) + (op.get("parameters") or []):
        p = resolve(doc, p)
        if p.get("in") in ("query", "path"):
            out.append((p, resolve(doc, p.get("schema") or {})))
    return out


def bad_values(p, schema):
    """The bad values for one parameter, each with the reason it is bad."""
    if schema.get("type") == "integer":
        vals = BAD_INTEGERS if p["in"] == "query" else BAD_PATH_IDS
        out = [(v, "not a canonical integer") for v in vals]
        if "minimum" in schema:
            out.append((str(schema["minimum"] - 1), "below the minimum"))
        if "maximum" in schema:
            out.append((str(schema["maximum"] + 1), "above the maximum"))
        return out
    if "enum" in schema:
        allowed = [str(v) for v in schema["enum"]]
        return [(v, "not in the enum") for v in ("zzbogus", "", allowed[0].upper() + "x")
                if v not in allowed]
    if "pattern" in schema:
        rx = re.compile(schema["pattern"])
        return [(v, "does not match the pattern") for v in ("Bad Value!", "", "a" * 200)
                if not rx.search(v)]
    if schema.get("format") == "date-time":
        return [(v, "not an RFC 3339 UTC time") for v in BAD_TIMES]
    return [(v, "names nothing") for v in NAMES_NOTHING]


def good_path(template, good):
    return re.sub(r"\{([^}]+)\}", lambda m: good.get(m.group(1), "1"), template)


def is_error(c, st, body, hdr, what):
    ctype = hdr.get("Content-Type", "") if hdr is not None else ""
    ok = c.ok(400 <= st < 500, f"{what}: status {st}, want 4xx ({str(body)[:200]})")
    ok = ok and c.ok(ctype.startswith("application/json") and isinstance(body, dict)
                     and isinstance(body.get("error"), dict)
                     and isinstance(body["error"].get("message"), str),
                     f"{what}: a JSON error body ({ctype}: {str(body)[:200]})")
    return ok


def probe_route(c, s, doc, template, ops, token, good):
    for method, op in ops.items():
        if method not in ("get", "post", "delete"):
            continue
        params = params_of(doc, ops, op)
        tok = token if method != "get" else None
        body = {} if method == "post" else None
        for p, schema in params:
            for val, why in bad_values(p, schema):
                q = urllib.parse.quote(val, safe="")
                if p["in"] == "path":
                    if p["name"].endswith("+"):
                        path = template.replace("{" + p["name"] + "}", "zz/" + q)
                    else:
                        path = template.replace("{" + p["name"] + "}", q)
                    path = good_path(path, good)
                else:
                    path = good_path(template, good) + "?" + p["name"] + "=" + q
                what = f"{method.upper()} {path} ({p['in']} {p['name']} {why})"
                if p["in"] == "path" and val == "":
                    continue
                st, b, h = s.call(method.upper(), path, token=tok, body=body)
                if is_error(c, st, b, h, what) and "enum" in schema:
                    msg = b["error"]["message"]
                    missing = [v for v in schema["enum"] if str(v) not in msg]
                    c.ok(not missing, f"{what}: the message names every allowed value "
                                      f"(missing {missing}): {msg}")


def probe_unknown_and_repeated(c, s, doc, good):
    """Unknown parameters are ignored and a repeated one counts by its first value, on every
    GET route whose good form answers 200."""
    for template, ops in doc["paths"].items():
        op = ops.get("get")
        if op is None or "{path+}" in template:
            continue
        path = good_path(template, good)
        st, body, _ = s.call("GET", path)
        if st != 200:
            continue
        st2, body2, _ = s.call("GET", path + "?zz_unknown=1")
        c.eq((st2, sorted(body2) if isinstance(body2, dict) else type(body2)),
             (st, sorted(body) if isinstance(body, dict) else type(body)),
             f"GET {path}?zz_unknown=1 is answered as without it")
        for p, schema in params_of(doc, ops, op):
            if p["in"] != "query" or schema.get("type") != "integer":
                continue
            lo = schema.get("minimum", 0)
            st3, b3, h3 = s.call("GET", f"{path}?{p['name']}=abc&{p['name']}={lo}")
            is_error(c, st3, b3, h3, f"GET {path}?{p['name']}=abc&{p['name']}={lo} (first "
                                      "value counts)")


def probe_bodies(c, s, doc, token, good):
    """Every POST that takes a JSON body refuses one that is not JSON, one that is not an
    object, and (where its schema allows no other properties) one with a property it does not
    list."""
    for template, ops in doc["paths"].items():
        op = ops.get("post")
        if op is None or "requestBody" not in op:
            continue
        content = op["requestBody"].get("content", {})
        if "application/json" not in content:
            continue
        schema = resolve(doc, content["application/json"].get("schema") or {})
        path = good_path(template, good)
        bodies = [(b"{not json", "malformed JSON"), (b"[]", "not an object"),
                  (b'"text"', "not an object")]
        if schema.get("additionalProperties") is False:
            bodies.append((b'{"zz_unknown": 1}', "an unknown property"))
        for raw, why in bodies:
            st, b, h = s.call("POST", path, token=token, raw=raw)
            is_error(c, st, b, h, f"POST {path} with {why}")


def probe_records_body(c, s, token):
    """A record's audience: each party once, and only on a confidential record."""
    for body, why in (({"type": "note", "payload": {}, "audience": ["IND", "IND"],
                        "confidential": True}, "an audience naming a party twice"),
                      ({"type": "note", "payload": {}, "audience": ["IND"]},
                       "an audience on a public record"),
                      ({"type": "note", "payload": {}, "audience": [],
                        "confidential": False}, "an empty audience on a public record")):
        st, b, h = s.call("POST", "/v1/parties/CHN/records", token=token, body=body)
        is_error(c, st, b, h, f"POST /v1/parties/CHN/records with {why}")


def main():
    c = Checks()
    env = Env(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else None)
    server = None
    try:
        env.init()
        chn = env.delegate("CHN")
        server = Server(env)
        s = server
        # Something to name: a record (id 1), the delegate (id 1), party CHN, country CHN.
        st, _, _ = s.call("POST", "/v1/parties/CHN/records", token=chn,
                          body={"type": "note", "payload": {"text": "probe"}})
        c.eq(st, 201, "a record to name")
        good = {"id": "1", "iso3": "CHN", "run": "latest", "path+": "0/000"}
        st, doc_text, _ = s.call("GET", "/v1/openapi.yaml")
        c.eq(st, 200, "the OpenAPI document")
        doc = yaml.safe_load(doc_text)
        # Party routes name parties by id, not by number.
        for template, ops in doc["paths"].items():
            g = dict(good)
            if template.startswith("/v1/parties/"):
                g["id"] = "CHN"
            probe_route(c, s, doc, template, ops, chn, g)
        probe_unknown_and_repeated(c, s, doc, good)
        writer = env.delegate("CHN", name="body probe")
        probe_bodies(c, s, doc, writer, good)
        probe_records_body(c, s, writer)
        # The routes that name a party by id answer 404 for one that does not exist.
        for path in ("/v1/parties/ZZZ", "/v1/parties/ZZZ/delegates", "/v1/parties/ZZZ/records",
                     "/v1/records?party=ZZZ", "/v1/concerns?party=ZZZ"):
            st, b, h = s.call("GET", path)
            c.eq(st, 404, f"GET {path} names no party")
        # Well-formed names of nothing: a country code no country has, a request never opened.
        for path in ("/v1/events/countries/ZZZ/trend", "/v1/cooperation/matches?request=999999"):
            st, b, h = s.call("GET", path)
            c.eq(st, 404, f"GET {path} names nothing")
        c.eq(server.stop(), 0, "gsi serve exits 0 on SIGTERM")
        server = None
    except Exception as e:  # a broken step is one failure, and the tally still prints
        c.ok(False, f"exception: {e!r}")
    finally:
        if server is not None:
            server.kill9()
        env.cleanup()
    c.finish()


if __name__ == "__main__":
    main()
