#!/usr/bin/env python3
"""Check responses a test received against docs/openapi.yaml.

usage: openapi_check.py OPENAPI.yaml RESPONSES_DIR

RESPONSES_DIR holds index.tsv (N, method, path, status per line) and, per
response, N.h (its headers, as curl -D or a CGI wrote them) and N.b (its
body), written by tests/lib.sh's api_record. Each response must be one
the document describes: the path and method's operation (or, for a path
no operation matches, x-quire-unmatched's answers for the path's family)
lists its status; its media type is one the response lists; a JSON body
validates against the schema (JSON Schema 2020-12, as OpenAPI 3.1
defines); each event of a text/event-stream against x-quire-event.
Pages of the front server itself (text/html: its 502 while quired
restarts, say) are not Quire's and are skipped. Exits 1 listing every
response that does not match, and when the document itself has a $ref
that does not resolve."""
# SPDX-License-Identifier: GPL-3.0-or-later
import json
import re
import sys
import warnings

import yaml

warnings.filterwarnings("ignore", category=DeprecationWarning)
from jsonschema import Draft202012Validator, RefResolver  # noqa: E402


def load(spec_path):
    with open(spec_path, encoding="utf-8") as f:
        return yaml.safe_load(f)


def deref(spec, node):
    while isinstance(node, dict) and "$ref" in node:
        ref = node["$ref"]
        if not ref.startswith("#/"):
            raise KeyError(ref)
        cur = spec
        for part in ref[2:].split("/"):
            cur = cur[part.replace("~1", "/").replace("~0", "~")]
        node = cur
    return node


def broken_refs(spec):
    bad = []

    def walk(node):
        if isinstance(node, dict):
            if isinstance(node.get("$ref"), str):
                try:
                    deref(spec, {"$ref": node["$ref"]})
                except (KeyError, TypeError):
                    bad.append(node["$ref"])
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)
    walk(spec)
    return bad


def norm_path(p):
    """Segments as Quire's router sees them: repeated and trailing '/'
    do not count."""
    p = p.split("?", 1)[0].split("#", 1)[0]
    return "/" + "/".join(seg for seg in p.split("/") if seg)


def compile_paths(spec):
    """A template's {name} is one non-empty segment."""
    out = []
    for tmpl, item in spec.get("paths", {}).items():
        rx = "^" + re.sub(r"\\\{[^/]+?\\\}", "[^/]+", re.escape(norm_path(tmpl))) + "$"
        out.append((re.compile(rx), tmpl, item))
    return out


def content_type(headers):
    # The last header block (curl -D keeps a 100 Continue block first).
    blocks = re.split(r"\r?\n\r?\n", headers.strip())
    ct = ""
    for line in blocks[-1].splitlines() if blocks else []:
        if line.lower().startswith("content-type:"):
            ct = line.split(":", 1)[1].strip()
    return ct.split(";", 1)[0].strip().lower()


def find_response(spec, paths, method, path, status):
    """(response object or None, where it was looked for)"""
    p = norm_path(path)
    for rx, tmpl, item in paths:
        if rx.match(p):
            op = item.get(method.lower())
            if op is not None:
                return op.get("responses", {}).get(str(status)), "%s %s" % (method, tmpl)
            break
    for fam in spec.get("x-quire-unmatched", []):
        if p.startswith(fam["prefix"]) or fam["prefix"] == "/":
            return fam["responses"].get(str(status)), "x-quire-unmatched %s" % fam["prefix"]
    return None, "nothing"


def check_one(spec, validator_for, resp, ctype, body):
    resp = deref(spec, resp)
    content = resp.get("content")
    if not content:
        return None if body == "" else "a body where the document describes none"
    media = content.get(ctype) or content.get("*/*")
    if media is None:
        return "media type %r, not one of %s" % (ctype, sorted(content))
    if ctype == "application/json":
        try:
            doc = json.loads(body)
        except ValueError as e:
            return "not JSON: %s" % e
        errs = list(validator_for(media.get("schema", {})).iter_errors(doc))
        if errs:
            e = errs[0]
            return "schema: %s at /%s" % (e.message[:300], "/".join(map(str, e.absolute_path)))
    elif ctype == "text/event-stream" and "x-quire-event" in media:
        v = validator_for(media["x-quire-event"])
        for line in body.splitlines():
            if line.startswith("data: "):
                try:
                    ev = json.loads(line[6:])
                except ValueError as e:
                    return "event not JSON: %s" % e
                errs = list(v.iter_errors(ev))
                if errs:
                    return "event %s: %s" % (line[6:80], errs[0].message[:200])
    return None


def main():
    spec = load(sys.argv[1])
    rdir = sys.argv[2]
    problems = []
    if not str(spec.get("openapi", "")).startswith("3.1"):
        problems.append("the document is not OpenAPI 3.1")
    problems += ["unresolved $ref %s" % r for r in broken_refs(spec)]
    resolver = RefResolver(base_uri="", referrer=spec)
    cache = {}

    def validator_for(schema):
        key = id(schema)
        if key not in cache:
            cache[key] = Draft202012Validator(schema, resolver=resolver)
        return cache[key]

    paths = compile_paths(spec)
    checked = skipped = 0
    with open(rdir + "/index.tsv", encoding="utf-8", errors="replace") as idx:
        for line in idx:
            parts = line.rstrip("\n").split("\t")
            if len(parts) < 4:
                continue
            n, method, path, status = parts[:4]
            try:
                headers = open("%s/%s.h" % (rdir, n), "rb").read().decode("latin-1")
                body = open("%s/%s.b" % (rdir, n), "rb").read().decode("utf-8", "replace")
            except OSError:
                continue
            st = int(status) if status.isdigit() else 0
            ctype = content_type(headers)
            if st == 0 or ctype == "text/html":
                skipped += 1   # no answer at all, or the front server's own page
                continue
            checked += 1
            resp, where = find_response(spec, paths, method, path, st)
            if resp is None:
                problems.append("#%s %s %s -> %d: status not described (looked in %s)"
                                % (n, method, path, st, where))
                continue
            why = check_one(spec, validator_for, resp, ctype, body)
            if why:
                problems.append("#%s %s %s -> %d (%s): %s; body: %s"
                                % (n, method, path, st, where, why, body[:200]))
    print("%d responses checked against %s, %d not Quire's skipped"
          % (checked, sys.argv[1], skipped))
    for p in problems:
        print("MISMATCH " + p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
