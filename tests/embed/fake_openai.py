#!/usr/bin/env python3
"""A small local server speaking the OpenAI embeddings protocol, for tests.

POST /v1/embeddings {"model", "input": [..]} -> {"data": [{"index", "embedding"}], ...}
Embeddings are deterministic (hash of the text), DIMS floats.
Failure modes, from a control file re-read on every request (JSON, may be
absent): {"mode": "ok|429|500|malformed|timeout|hang|slow|gate|wrongdims",
"count": N} applies the mode to the next N requests (then "ok"); "every": K
applies it to every K-th request instead; "after": N lets N requests pass
("ok") first. "gate" holds a request (up to 60 s) until the control file
names another mode. "slow" answers after "delay"
seconds (0.25 by default), "timeout" after 5 s, "hang" after 30 s. Requests
are counted in STATE_DIR/count; each is logged as a JSON line in
STATE_DIR/requests.jsonl when it arrives: {"n", "t" (epoch seconds), "mode",
"authorization" (the header, or null), "dimensions" (or null), "inputs"}.
usage: fake_openai.py PORT STATE_DIR [DIMS]
"""
# SPDX-License-Identifier: GPL-3.0-or-later
import hashlib, http.server, json, os, struct, sys, threading, time

PORT, STATE = int(sys.argv[1]), sys.argv[2]
DIMS = int(sys.argv[3]) if len(sys.argv) > 3 else 64
CONTROL = os.path.join(STATE, "control.json")
COUNT = os.path.join(STATE, "count")
LOG = os.path.join(STATE, "requests.jsonl")
LOCK = threading.Lock()


def vector(text, dims):
    out, i = [], 0
    while len(out) < dims:
        h = hashlib.sha256(f"{i}:{text}".encode()).digest()
        out.extend(v / 2**31 for v in struct.unpack("<8i", h))
        i += 1
    return out[:dims]


def bump():
    n = int(open(COUNT).read()) if os.path.exists(COUNT) else 0
    open(COUNT, "w").write(str(n + 1))
    return n + 1


def mode_for(n):
    """The mode for request n and the control's delay for "slow"."""
    try:
        c = json.load(open(CONTROL))
    except (OSError, ValueError):
        return "ok", 0.25
    m, delay = c.get("mode", "ok"), float(c.get("delay", 0.25))
    if c.get("after", 0) > 0:
        c["after"] -= 1
        json.dump(c, open(CONTROL, "w"))
        return "ok", delay
    if "every" in c:
        return (m if n % int(c["every"]) == 0 else "ok"), delay
    if c.get("count", 0) > 0:
        c["count"] -= 1
        json.dump(c, open(CONTROL, "w"))
        return m, delay
    return ("ok" if "count" in c else m), delay


class H(http.server.BaseHTTPRequestHandler):
    def log_message(self, *a):
        pass

    def send(self, code, body, headers=()):
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        for k, v in headers:
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
        if self.path.rstrip("/") != "/v1/embeddings":
            return self.send(404, {"error": {"message": "not found"}})
        inputs = body.get("input", [])
        if isinstance(inputs, str):
            inputs = [inputs]
        with LOCK:
            n = bump()
            mode, delay = mode_for(n)
            with open(LOG, "a") as f:
                f.write(json.dumps({"n": n, "t": time.time(), "mode": mode,
                                    "authorization": self.headers.get("Authorization"),
                                    "dimensions": body.get("dimensions"),
                                    "inputs": len(inputs)}) + "\n")
        if mode == "429":
            return self.send(429, {"error": {"message": "Rate limit exceeded"}}, [("Retry-After", "1")])
        if mode == "500":
            return self.send(500, {"error": {"message": "internal server error"}})
        if mode == "malformed":
            return self.send(200, b'{"data": [ {"embedding": [0.1, ')
        if mode == "timeout":
            time.sleep(5)
        if mode == "gate":
            for _ in range(600):
                try:
                    if json.load(open(CONTROL)).get("mode") != "gate":
                        break
                except (OSError, ValueError):
                    break
                time.sleep(0.1)
        if mode == "hang":
            time.sleep(30)
        if mode == "slow":
            time.sleep(delay)
        dims = DIMS - 1 if mode == "wrongdims" else DIMS
        data = [{"object": "embedding", "index": i, "embedding": vector(t, dims)}
                for i, t in enumerate(inputs)]
        self.send(200, {"object": "list", "data": data, "model": body.get("model"),
                        "usage": {"prompt_tokens": 0, "total_tokens": 0}})


http.server.ThreadingHTTPServer(("127.0.0.1", PORT), H).serve_forever()
