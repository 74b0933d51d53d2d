#!/usr/bin/env python3
"""A small local server speaking OpenAI's chat completions protocol, for tests.

POST /v1/chat/completions {"model", "messages", "stream"} answers, from the
first numbered source of the system prompt ("[1] Title ..." then its text):
"From the sources: <first sentence of source 1> [1]" (and " See also [2]."
when there is a second source), as SSE chunks of one word each
(data: {"choices": [{"delta": {"content": ...}}]}), then data: [DONE].
The last request body is kept in STATE_DIR/last_request.json, the request
count in STATE_DIR/count, the wall-clock times the first and the last
chunk went out in STATE_DIR/first_chunk and STATE_DIR/last_chunk, and the
time a client hung up mid-answer in STATE_DIR/aborted.

Modes, from STATE_DIR/control.json re-read on every request (may be absent):
{"mode": "ok|slow|500|429|hang|json|error_event|garbage", "delay": S, "count": N}
  slow         sleep "delay" seconds (default 0.3) before every chunk
  500, 429     an HTTP error with an OpenAI error object
  hang         sleep 30 s before answering (a timeout upstream)
  json         ignore "stream" and answer one JSON completion
  error_event  one token, then data: {"error": {"message": "model overloaded"}}
  garbage      one token, then a line that is not JSON
"count" applies the mode to the next N requests only.
usage: fake_chat.py PORT STATE_DIR
"""
# SPDX-License-Identifier: GPL-3.0-or-later
import http.server, json, os, re, sys, threading, time

PORT, STATE = int(sys.argv[1]), sys.argv[2]
CONTROL = os.path.join(STATE, "control.json")
LOCK = threading.Lock()


def path(name):
    return os.path.join(STATE, name)


def bump():
    n = int(open(path("count")).read()) if os.path.exists(path("count")) else 0
    open(path("count"), "w").write(str(n + 1))


def control():
    try:
        c = json.load(open(CONTROL))
    except (OSError, ValueError):
        return {"mode": "ok"}
    if "count" in c:
        if c["count"] <= 0:
            return {"mode": "ok"}
        c["count"] -= 1
        json.dump(c, open(CONTROL, "w"))
    return c


def answer_for(body):
    system = next((m["content"] for m in body.get("messages", []) if m.get("role") == "system"), "")
    sources = re.split(r"\n\[(\d+)\] ", "\n" + system.split("Sources:\n", 1)[-1])
    texts = {}
    for i in range(1, len(sources) - 1, 2):
        lines = sources[i + 1].split("\n", 1)
        texts[int(sources[i])] = lines[1] if len(lines) > 1 else ""
    if not texts:
        return "I could not find it in the documents."
    text = " ".join(texts[1].split())
    first = re.split(r"(?<=[.!?])\s", text, 1)[0]
    out = "From the sources: %s [1]" % first
    if 2 in texts:
        out += " See also [2]."
    return out


class H(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.0"

    def log_message(self, *a):
        pass

    def send_json(self, code, obj, headers=()):
        data = json.dumps(obj).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        for k, v in headers:
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def chunk(self, obj):
        line = obj if isinstance(obj, str) else json.dumps(obj)
        self.wfile.write(("data: %s\n\n" % line).encode())
        self.wfile.flush()
        now = "%.6f" % time.time()
        if not os.path.exists(path("first_chunk.tmp")):
            open(path("first_chunk.tmp"), "w").write(now)
        open(path("last_chunk"), "w").write(now)

    def do_POST(self):
        raw = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        if self.path.rstrip("/") != "/v1/chat/completions":
            return self.send_json(404, {"error": {"message": "not found"}})
        body = json.loads(raw or b"{}")
        with LOCK:
            bump()
            c = control()
            body["_authorization"] = self.headers.get("Authorization", "")
            json.dump(body, open(path("last_request.json"), "w"))
        mode = c.get("mode", "ok")
        if mode == "500":
            return self.send_json(500, {"error": {"message": "internal server error"}})
        if mode == "429":
            return self.send_json(429, {"error": {"message": "Rate limit reached"}}, [("Retry-After", "7")])
        if mode == "hang":
            time.sleep(30)
        text = answer_for(body)
        if mode == "json" or not body.get("stream"):
            return self.send_json(200, {"choices": [{"index": 0, "message": {"role": "assistant", "content": text}}]})
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.end_headers()
        # Concurrent requests share these files: another thread may have
        # removed or renamed it between a check and the call (an exception
        # here closed the connection unanswered, a 502 in Quire's chat).
        try:
            os.unlink(path("first_chunk.tmp"))
        except FileNotFoundError:
            pass
        try:
            self.stream(text, mode, float(c.get("delay", 0.3)) if mode == "slow" else 0)
        except (BrokenPipeError, ConnectionResetError):
            # The client (Quire) hung up: it stopped listening mid-answer.
            open(path("aborted"), "w").write("%.6f" % time.time())

    def stream(self, text, mode, delay):
        words = text.split(" ")
        for i, w in enumerate(words):
            if delay:
                time.sleep(delay)
            piece = w if i == 0 else " " + w
            self.chunk({"choices": [{"index": 0, "delta": {"content": piece}}]})
            if i == 0 and mode == "error_event":
                return self.chunk({"error": {"message": "model overloaded"}})
            if i == 0 and mode == "garbage":
                return self.chunk("{not json")
        self.chunk({"choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]})
        self.chunk("[DONE]")
        try:
            os.replace(path("first_chunk.tmp"), path("first_chunk"))
        except FileNotFoundError:
            pass


http.server.ThreadingHTTPServer(("127.0.0.1", PORT), H).serve_forever()
