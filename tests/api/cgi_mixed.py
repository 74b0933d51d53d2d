#!/usr/bin/env python3
"""cgi_mixed.py BASE KEY N: N concurrent mixed requests through a front
server (health, list, JSON create, multipart upload, chat, chat stream),
all started together; prints one line per request ("kind status seconds")
and exits 0 when every one answered 2xx. Each request is bounded (60 s)."""
# SPDX-License-Identifier: GPL-3.0-or-later
import json, sys, threading, time, urllib.request, uuid

base, key, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
AUTH = {"Authorization": "Bearer " + key}
SCOPE = {"X-External-Org-Id": "acme", "X-External-User-Id": "u1", "X-External-Roles": '["employee"]'}


def multipart(name, data):
    b = uuid.uuid4().hex
    body = (f"--{b}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\n"
            f"Content-Type: text/plain\r\n\r\n").encode() + data + f"\r\n--{b}--\r\n".encode()
    return body, "multipart/form-data; boundary=" + b


def request(i):
    kind = ["health", "list", "create", "upload", "chat", "stream"][i % 6]
    headers, data, method, path = dict(AUTH), None, "GET", "/api/v1/documents?limit=5"
    if kind == "health":
        path, headers = "/health", {}
    elif kind == "create":
        method, path = "POST", "/api/v1/documents"
        data = json.dumps({"title": f"Load {i}", "content": f"Mixed load document {i}."}).encode()
        headers["Content-Type"] = "application/json"
    elif kind == "upload":
        method, path = "POST", "/api/v1/documents"
        data, ct = multipart(f"load-{i}.txt", f"An uploaded file number {i}.\n".encode() * 50)
        headers["Content-Type"] = ct
    elif kind in ("chat", "stream"):
        method, path = "POST", "/api/ai/chat" + ("/stream" if kind == "stream" else "")
        data = json.dumps({"message": "What does the load document say?"}).encode()
        headers.update(SCOPE)
        headers["Authorization"] = "ApiKey " + key
        headers["Content-Type"] = "application/json"
    t0 = time.time()
    try:
        r = urllib.request.urlopen(urllib.request.Request(base + path, data=data, headers=headers,
                                                          method=method), timeout=60)
        status = r.status
        r.read()
    except urllib.error.HTTPError as e:
        status = e.code
        e.read()
    except Exception as e:
        status = "error:" + type(e).__name__
    results[i] = (kind, status, time.time() - t0)


results = [None] * n
start = threading.Barrier(n)


def run(i):
    start.wait()
    request(i)


threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
for t in threads:
    t.start()
for t in threads:
    t.join(90)
bad = 0
for r in results:
    print("%s %s %.2f" % r if r else "unfinished - -")
    bad += not r or not isinstance(r[1], int) or not 200 <= r[1] < 300
sys.exit(1 if bad else 0)
