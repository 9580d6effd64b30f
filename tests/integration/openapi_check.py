"""Checks HTTP responses against the OpenAPI document the server serves (docs/api.yaml): the
operation is found by method and path template, the response by status (or `default`), and a
JSON body is validated against its schema. A small validator for the subset of JSON Schema that
OpenAPI 3.0 documents use here ($ref, type, required, properties, additionalProperties, items,
enum, minimum/maximum, min/maxLength, min/maxItems, oneOf/anyOf/allOf, format date-time),
written from the OpenAPI 3.0.3 and JSON Schema texts, independent of the server. Standard
library and PyYAML (Debian's python3-yaml) only."""

import re

import yaml

DATE_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")


class Spec:
    def __init__(self, text):
        self.doc = yaml.safe_load(text)
        self.paths = []
        for template, ops in self.doc["paths"].items():
            rx = "^" + re.sub(r"\\\{[^/]+\\\}", "[^/]+", re.escape(template)) + "$"
            self.paths.append((re.compile(rx), template, ops))

    def resolve(self, schema):
        while isinstance(schema, dict) and "$ref" in schema:
            ref = schema["$ref"]
            node = self.doc
            for part in ref.lstrip("#/").split("/"):
                node = node[part]
            schema = node
        return schema

    def operation(self, method, path):
        path = path.split("?", 1)[0]
        for rx, template, ops in self.paths:
            if rx.match(path):
                return template, ops.get(method.lower())
        return None, None

    def errors(self, value, schema, where="$"):
        """The ways `value` breaks `schema`, as a list of messages (empty when it conforms)."""
        s = self.resolve(schema)
        if not isinstance(s, dict):
            return []
        out = []
        for key in ("allOf",):
            for sub in s.get(key, []):
                out += self.errors(value, sub, where)
        for key in ("oneOf", "anyOf"):
            if key in s:
                ok = [sub for sub in s[key] if not self.errors(value, sub, where)]
                if (key == "oneOf" and len(ok) != 1) or (key == "anyOf" and not ok):
                    out.append(f"{where}: matches {len(ok)} of the {key} schemas")
        t = s.get("type")
        if t is not None and not _is_type(value, t):
            if value is None and s.get("nullable"):
                return out
            return out + [f"{where}: expected {t}, got {type(value).__name__}"]
        if "enum" in s and value not in s["enum"]:
            out.append(f"{where}: {value!r} is not one of {s['enum']}")
        if isinstance(value, str):
            if len(value) < s.get("minLength", 0) or len(value) > s.get("maxLength", 1 << 62):
                out.append(f"{where}: length {len(value)} outside the schema's bounds")
            if s.get("format") == "date-time" and not DATE_TIME.match(value):
                out.append(f"{where}: {value!r} is not an RFC 3339 date-time")
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            if "minimum" in s and value < s["minimum"]:
                out.append(f"{where}: {value} < minimum {s['minimum']}")
            if "maximum" in s and value > s["maximum"]:
                out.append(f"{where}: {value} > maximum {s['maximum']}")
        if isinstance(value, list):
            if len(value) < s.get("minItems", 0) or len(value) > s.get("maxItems", 1 << 62):
                out.append(f"{where}: {len(value)} items outside the schema's bounds")
            if "items" in s:
                for i, v in enumerate(value):
                    out += self.errors(v, s["items"], f"{where}[{i}]")
        if isinstance(value, dict):
            props = s.get("properties", {})
            for r in s.get("required", []):
                if r not in value:
                    out.append(f"{where}: required property '{r}' is missing")
            extra = s.get("additionalProperties", True)
            for k, v in value.items():
                if k in props:
                    out += self.errors(v, props[k], f"{where}.{k}")
                elif extra is False:
                    out.append(f"{where}: property '{k}' is not in the schema")
                elif isinstance(extra, dict):
                    out += self.errors(v, extra, f"{where}.{k}")
        return out

    def check_response(self, method, path, status, ctype, body):
        """Problems with one response, as a list of messages."""
        template, op = self.operation(method, path)
        if op is None:
            # Not an operation of the API (an unknown path, a method it does not allow): the
            # body is still the documented error object.
            if ctype.startswith("application/json"):
                return self.errors(body, {"$ref": "#/components/schemas/Error"})
            return []
        responses = op.get("responses", {})
        r = responses.get(str(status)) or responses.get("default")
        if r is None:
            return [f"{method} {template}: status {status} is not documented"]
        r = self.resolve(r)
        content = r.get("content")
        if not content:
            return [] if status == 304 or not body else []
        media = content.get(ctype.split(";", 1)[0].strip())
        if media is None:
            return [f"{method} {template} {status}: content type {ctype!r} is not documented"]
        if "schema" not in media or not ctype.startswith("application/json"):
            return []
        return [f"{method} {template} {status}: {e}" for e in self.errors(body, media["schema"])]


def _is_type(value, t):
    if t == "object":
        return isinstance(value, dict)
    if t == "array":
        return isinstance(value, list)
    if t == "string":
        return isinstance(value, str)
    if t == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if t == "number":
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if t == "boolean":
        return isinstance(value, bool)
    return True


def validate_all(checks, server, spec_text):
    """One check per response `server` recorded: it conforms to the document."""
    spec = Spec(spec_text)
    for method, path, status, ctype, body in server.responses:
        problems = spec.check_response(method, path, status, ctype, body)
        checks.ok(not problems, f"OpenAPI: {method} {path} -> {status}: {problems[:3]}")
    return len(server.responses)
