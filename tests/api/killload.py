#!/usr/bin/env python3
"""killload.py: the client side of tests/api/kill.test (docs/reliability.md D5).

N concurrent clients create documents with unique titles through the front
server while workers are killed at random. Each create carries an
Idempotency-Key; on 5xx, a connection error or a timeout the client retries
the same create with the same key, so a retried create never duplicates.
Every create that got a 2xx is recorded (id + title) in an acknowledgement
log. When DURATION seconds have passed the clients start no new creates and
finish the one in flight (retrying until GRACE seconds after the end).

  killload.py BASE_URL KEY CLIENTS DURATION GRACE OUT.json [STOPFILE]
                   (STOPFILE: no new creates once it exists, even before
                   DURATION has passed)
  killload.py --list BASE_URL KEY OUT.json   (every document: id, title)

Standard library only. Every request and every loop is bounded in time.
"""
# SPDX-License-Identifier: GPL-3.0-or-later
import http.client
import json
import random
import sys
import threading
import os
import time
import urllib.parse
import uuid


def conn_for(base, timeout):
    u = urllib.parse.urlsplit(base)
    return http.client.HTTPConnection(u.hostname, u.port or 80, timeout=timeout)


def request(base, method, path, key, body=None, headers=None, timeout=10):
    """(status, parsed JSON or None); status is None on a connection error."""
    h = {"Authorization": "Bearer " + key}
    if headers:
        h.update(headers)
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        h["Content-Type"] = "application/json"
    c = conn_for(base, timeout)
    try:
        c.request(method, path, body=data, headers=h)
        r = c.getresponse()
        raw = r.read()
        try:
            j = json.loads(raw) if raw else None
        except ValueError:
            j = None
        return r.status, j, r.getheader("Retry-After")
    except (OSError, http.client.HTTPException):
        return None, None, None
    finally:
        c.close()


class Client(threading.Thread):
    def __init__(self, cid, base, key, end, hard_end, run_id, stop=None):
        super().__init__(daemon=True)
        self.stop = stop
        self.cid, self.base, self.key = cid, base, key
        self.end, self.hard_end, self.run_id = end, hard_end, run_id
        self.acked = []        # [id, title]
        self.unacked = []      # titles whose create never got a 2xx
        self.statuses = {}
        self.retries = 0
        self.replayed = 0
        self.no_retry_after = 0  # 503 answers without Retry-After
        self.errors = []       # unexpected answers
        self.finished = False

    def count(self, status):
        k = str(status)
        self.statuses[k] = self.statuses.get(k, 0) + 1

    def create(self, n):
        title = "kill-%s-c%d-%d" % (self.run_id, self.cid, n)
        ikey = str(uuid.uuid4())
        body = {"title": title, "content": "document %d of client %d, %s" % (n, self.cid, ikey)}
        first_id = None
        attempt = 0
        while time.monotonic() < self.hard_end:
            attempt += 1
            st, j, retry_after = request(self.base, "POST", "/api/v1/documents", self.key,
                                         body, {"Idempotency-Key": ikey}, timeout=10)
            self.count(st)
            if st == 503 and not retry_after:
                self.no_retry_after += 1
            if st in (200, 201):
                try:
                    doc_id = j["document"]["id"]
                except (TypeError, KeyError):
                    self.errors.append("2xx without a document id: %r" % (j,))
                    return
                if st == 200:
                    self.replayed += 1
                if first_id and first_id != doc_id:
                    self.errors.append("%s: two ids %s %s" % (title, first_id, doc_id))
                first_id = doc_id
                self.acked.append([doc_id, title])
                return
            if st is None or st >= 500 or st == 429:
                self.retries += 1
                time.sleep(random.uniform(0.02, 0.2) * min(attempt, 5))
                continue
            self.errors.append("%s: unexpected status %s %r" % (title, st, j))
            self.unacked.append(title)
            return
        self.unacked.append(title)

    def run(self):
        n = 0
        while time.monotonic() < self.end and not (self.stop and os.path.exists(self.stop)):
            n += 1
            self.create(n)
        self.finished = True


def list_all(base, key, out):
    docs, offset, total = [], 0, None
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        st, j, _ = request(base, "GET", "/api/v1/documents?limit=1000&offset=%d" % offset, key,
                           timeout=30)
        if st != 200:
            time.sleep(0.2)
            continue
        page = j["documents"]
        total = j["pagination"]["total"]
        docs.extend([d["id"], d["title"]] for d in page)
        offset += len(page)
        if not page or offset >= total:
            break
    with open(out, "w") as f:
        json.dump({"total": total, "documents": docs}, f)
    return 0 if total is not None and len(docs) == total else 1


def main():
    if sys.argv[1] == "--list":
        return list_all(sys.argv[2], sys.argv[3], sys.argv[4])
    base, key = sys.argv[1], sys.argv[2]
    nclients, duration, grace, out = int(sys.argv[3]), float(sys.argv[4]), float(sys.argv[5]), sys.argv[6]
    run_id = uuid.uuid4().hex[:8]
    now = time.monotonic()
    stop = sys.argv[7] if len(sys.argv) > 7 else None
    clients = [Client(i, base, key, now + duration, now + duration + grace, run_id, stop)
               for i in range(nclients)]
    for c in clients:
        c.start()
    for c in clients:
        c.join(max(0.1, now + duration + grace + 15 - time.monotonic()))
    statuses = {}
    for c in clients:
        for k, v in c.statuses.items():
            statuses[k] = statuses.get(k, 0) + v
    res = {
        "run_id": run_id,
        "clients": nclients,
        "finished": sum(1 for c in clients if c.finished and not c.is_alive()),
        "acked": [a for c in clients for a in c.acked],
        "unacked": [u for c in clients for u in c.unacked],
        "statuses": statuses,
        "retries": sum(c.retries for c in clients),
        "replayed": sum(c.replayed for c in clients),
        "no_retry_after": sum(c.no_retry_after for c in clients),
        "errors": [e for c in clients for e in c.errors][:50],
        "seconds": round(time.monotonic() - now, 1),
    }
    with open(out, "w") as f:
        json.dump(res, f)
    return 0


if __name__ == "__main__":
    sys.exit(main())
