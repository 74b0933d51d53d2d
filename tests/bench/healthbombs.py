#!/usr/bin/env python3
# healthbombs.py: /health latency while 50 clients upload bombs (P8).
# SPDX-License-Identifier: GPL-3.0-or-later
"""healthbombs.py BASE KEY FILE CLIENTS SECONDS: probe /health every 50 ms
for 5 s alone, then for SECONDS while CLIENTS threads upload FILE
(multipart) one request after another; print the probes' percentiles and
how many went unanswered (30 s timeout) in each phase, and the uploads'
answers and times. Exit 0; figures only."""
import http.client
import sys
import threading
import time
import urllib.parse

sys.dont_write_bytecode = True


def request(base, method, path, body=None, headers=None, timeout=30):
    u = urllib.parse.urlsplit(base)
    c = http.client.HTTPConnection(u.hostname, u.port, timeout=timeout)
    t0 = time.monotonic()
    try:
        c.request(method, path, body=body, headers=headers or {})
        r = c.getresponse()
        r.read()
        return r.status, (time.monotonic() - t0) * 1000
    except Exception:
        return None, (time.monotonic() - t0) * 1000
    finally:
        c.close()


def probe(base, seconds, out, stop=None):
    end = time.monotonic() + seconds
    while time.monotonic() < end and not (stop and stop.is_set()):
        out.append(request(base, "GET", "/health"))
        time.sleep(0.05)


def pct(v, p):
    return v[min(len(v) - 1, int(len(v) * p))] if v else float("nan")


def report(name, probes):
    ok = sorted(ms for st, ms in probes if st == 200)
    bad = [st for st, ms in probes if st != 200]
    print(f"{name:8} probes {len(probes):4}  answered 200: {len(ok):4}  other/none: "
          f"{len(bad)} {sorted(set(map(str, bad)))}  p50 {pct(ok, .5):.1f} ms  "
          f"p95 {pct(ok, .95):.1f}  p99 {pct(ok, .99):.1f}  max {ok[-1] if ok else float('nan'):.1f}")


def main():
    base, key, path, clients, seconds = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), float(sys.argv[5])
    data = open(path, "rb").read()
    name = path.rsplit("/", 1)[-1]
    b = "healthbombsboundary"
    body = (f"--{b}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\n"
            f"Content-Type: application/octet-stream\r\n\r\n").encode() + data + f"\r\n--{b}--\r\n".encode()
    hdr = {"Authorization": "Bearer " + key, "Content-Type": "multipart/form-data; boundary=" + b}
    idle = []
    probe(base, min(seconds, 5), idle)
    loaded, ups = [], []
    end = time.monotonic() + seconds

    def client():
        while time.monotonic() < end:
            ups.append(request(base, "POST", "/api/v1/documents", body, hdr, 60))

    prober = threading.Thread(target=probe, args=(base, seconds, loaded))
    prober.start()
    threads = [threading.Thread(target=client) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    prober.join()
    print(f"{clients} clients uploading {name} ({len(data)} bytes) for {seconds:.0f} s, "
          "/health probed every 50 ms")
    report("idle", idle)
    report("loaded", loaded)
    codes = {}
    for st, ms in ups:
        codes[st] = codes.get(st, 0) + 1
    times = sorted(ms for st, ms in ups)
    print(f"uploads  answers {codes}  p50 {pct(times, .5):.0f} ms  max {times[-1]:.0f} ms")


main()
