#!/usr/bin/env python3
"""tests/upload/tenants.py: the client side of tests/upload/tenants.test
and tests/bench/ingest-tenants.sh. Standard library only; every request
has a timeout and every loop a deadline.

  tenants.py load BASE KEY_A KEY_B HOSTILE_DIR SECONDS OUT.json
      Tenant A uploads the hostile files of hostile.py (blank.pdf,
      frames.tif, bomb.docx, noise.png one per request, then many/* as 16
      files in one request) while tenant B, for SECONDS, creates a JSON
      document, lists documents and asks the chat in turn, and a prober
      asks /health every 100 ms; after 1 s B uploads a small text file and
      polls until its embedding status is completed (HOSTILE_DIR "-": no
      tenant A, the baseline). OUT.json: per kind
      (create, list, chat, health) the count, p50, p99 and max in ms, the
      non-2xx answers, B's upload completion time, A's document ids.
  tenants.py ingest BASE SECONDS FILE KEY [KEY...]
      Each key (a tenant) uploads FILE and waits (at most SECONDS) until
      every one completed; prints the wall time, the documents not done
      and those that failed, for throughput figures.
  tenants.py probe BASE KEY SECONDS
      Only the latency probes (list and /health) for SECONDS; prints
      p50/p99/max for each.
"""
# SPDX-License-Identifier: GPL-3.0-or-later
import http.client
import json
import os
import sys
import threading
import time
import urllib.parse
import uuid

SCOPE = {"X-External-Org-Id": "acme", "X-External-User-Id": "user-1",
         "X-External-Roles": '["employee"]'}


def call(base, method, path, key=None, body=None, headers=None, timeout=10):
    """(status, parsed JSON or None, seconds); status None on a connection error."""
    u = urllib.parse.urlsplit(base)
    h = dict(headers or {})
    if key:
        h["Authorization"] = "Bearer " + key
    if isinstance(body, (dict, list)):
        body = json.dumps(body).encode()
        h["Content-Type"] = "application/json"
    t0 = time.monotonic()
    c = http.client.HTTPConnection(u.hostname, u.port, timeout=timeout)
    try:
        c.request(method, path, body=body, headers=h)
        r = c.getresponse()
        data = r.read()
        st = r.status
    except (OSError, http.client.HTTPException):
        return None, None, time.monotonic() - t0
    finally:
        c.close()
    try:
        j = json.loads(data) if data else None
    except ValueError:
        j = None
    return st, j, time.monotonic() - t0


def multipart(files, field):
    """(body, content type) of a form with each (name, bytes) under field."""
    b = "----quire%s" % uuid.uuid4().hex
    out = bytearray()
    for name, data in files:
        out += ("--%s\r\nContent-Disposition: form-data; name=\"%s\"; filename=\"%s\"\r\n"
                "Content-Type: application/octet-stream\r\n\r\n" % (b, field, name)).encode()
        out += data + b"\r\n"
    out += ("--%s--\r\n" % b).encode()
    return bytes(out), "multipart/form-data; boundary=" + b


def upload(base, key, files, path="/api/v1/documents", field="file", timeout=60):
    body, ct = multipart(files, field)
    return call(base, "POST", path, key, body, {"Content-Type": ct}, timeout=timeout)


def stats(xs):
    if not xs:
        return {"n": 0, "p50": None, "p99": None, "max": None}
    s = sorted(xs)

    def q(p):
        return round(1000 * s[min(len(s) - 1, int(p * len(s)))], 1)
    return {"n": len(s), "p50": q(0.50), "p99": q(0.99), "max": round(1000 * s[-1], 1)}


def embed_status(base, key, doc):
    st, j, _ = call(base, "GET", "/api/v1/documents/%s/embeddings/status" % doc, key)
    return j.get("status") if st == 200 and j else None


def load(base, key_a, key_b, hostile, seconds, out):
    lat = {"create": [], "list": [], "chat": [], "health": []}
    bad = []
    res = {"a_docs": [], "a_errors": [], "b_upload_s": None}
    end = time.monotonic() + seconds

    def tenant_a():
        if hostile == "-":
            return   # B alone: the baseline
        for name in ("blank.pdf", "frames.tif", "bomb.docx", "noise.png"):
            data = open(os.path.join(hostile, name), "rb").read()
            st, j, _ = upload(base, key_a, [(name, data)])
            if st == 201:
                res["a_docs"].append(j["document"]["id"])
            else:
                res["a_errors"].append("%s: %s" % (name, st))
        many = sorted(os.listdir(os.path.join(hostile, "many")))
        files = [(n, open(os.path.join(hostile, "many", n), "rb").read()) for n in many]
        st, j, _ = upload(base, key_a, files, "/external/sources/custom", "files")
        if st != 200:
            res["a_errors"].append("16 files: %s" % st)
        res["a_many"] = [n for n, _ in files]

    def tenant_b():
        i = 0
        while time.monotonic() < end:
            i += 1
            st, _, dt = call(base, "POST", "/api/v1/documents", key_b,
                             {"title": "B note %d" % i, "content": "Tenant B's note %d on pumps." % i})
            lat["create"].append(dt)
            if st != 201:
                bad.append("create %s" % st)
            st, _, dt = call(base, "GET", "/api/v1/documents?limit=20", key_b)
            lat["list"].append(dt)
            if st != 200:
                bad.append("list %s" % st)
            st, _, dt = call(base, "POST", "/api/ai/chat", key_b,
                             {"message": "How often are the pumps checked?"}, SCOPE)
            lat["chat"].append(dt)
            if st != 200:
                bad.append("chat %s" % st)
            time.sleep(0.05)

    def b_upload():
        time.sleep(1)
        t0 = time.monotonic()
        st, j, _ = upload(base, key_b, [("b-small.txt", b"Tenant B's small file about valves.\n")])
        if st != 201:
            bad.append("b upload %s" % st)
            return
        doc = j["document"]["id"]
        while time.monotonic() < end + 60:
            if embed_status(base, key_b, doc) == "completed":
                res["b_upload_s"] = round(time.monotonic() - t0, 2)
                return
            time.sleep(0.1)

    def health():
        while time.monotonic() < end:
            st, _, dt = call(base, "GET", "/health")
            lat["health"].append(dt)
            if st != 200:
                bad.append("health %s" % st)
            time.sleep(0.1)

    threads = [threading.Thread(target=f) for f in (tenant_a, tenant_b, b_upload, health)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(seconds + 120)
    res["latency_ms"] = {k: stats(v) for k, v in lat.items()}
    res["bad"] = bad[:20]
    res["nbad"] = len(bad)
    with open(out, "w") as f:
        json.dump(res, f)
    return 0


def ingest(base, seconds, path, keys):
    data = open(path, "rb").read()
    name = os.path.basename(path)
    t0 = time.monotonic()
    docs = []
    for k in keys:
        st, j, _ = upload(base, k, [(name, data)])
        if st != 201:
            print("upload failed: %s" % st)
            return 1
        docs.append((k, j["document"]["id"]))
    left, failed = list(docs), 0
    while left and time.monotonic() < t0 + seconds:
        still = []
        for k, d in left:
            st = embed_status(base, k, d)
            if st == "failed":
                failed += 1
            elif st != "completed":
                still.append((k, d))
        left = still
        time.sleep(0.1)
    print("%.2f %d %d" % (time.monotonic() - t0, len(left), failed))
    return 0 if not left else 1


def probe(base, key, seconds):
    end = time.monotonic() + seconds
    lat = {"list": [], "health": []}
    while time.monotonic() < end:
        lat["list"].append(call(base, "GET", "/api/v1/documents?limit=20", key)[2])
        lat["health"].append(call(base, "GET", "/health")[2])
        time.sleep(0.05)
    for k, v in lat.items():
        s = stats(v)
        print("%s n=%d p50=%sms p99=%sms max=%sms" % (k, s["n"], s["p50"], s["p99"], s["max"]))
    return 0


def main():
    a = sys.argv
    if a[1] == "load":
        return load(a[2], a[3], a[4], a[5], float(a[6]), a[7])
    if a[1] == "ingest":
        return ingest(a[2], float(a[3]), a[4], a[5:])
    if a[1] == "probe":
        return probe(a[2], a[3], float(a[4]))
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main())
