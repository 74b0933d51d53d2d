#!/bin/bash
# cgi-modes.sh: what a CGI-only host costs, behind one lighttpd: requests
# per second and latency of GET /api/v1/documents/:id, sequential and 8 at
# once, and how long an upload takes to be answered (a small text file and
# an image whose OCR takes seconds), for
#   fastcgi:  lighttpd mod_fastcgi to quired (the reference)
#   relay:    lighttpd mod_cgi, quire.cgi relaying to an on-demand quired
#   serial:   lighttpd mod_cgi, quire.cgi serving in the CGI (cgi_mode = serial)
# Prints figures only; never fails on them. BENCH_N (200) requests per run.
# SPDX-License-Identifier: GPL-3.0-or-later
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/api/cgi-host.sh"
trap - INT TERM; trap 'exit 1' INT TERM
N=${BENCH_N:-200}
OCR="$top_srcdir/tests/fixtures/ocr/dense1.png"

# measure LABEL: the figures of one mode against BASE (KEY set).
measure() {
	local id
	id=$(curl -s -H "Authorization: Bearer $KEY" -H 'Content-Type: application/json' \
		--data-binary '{"title": "Bench", "content": "A document to read back."}' \
		"$BASE/api/v1/documents" | python3 -c 'import json,sys; print(json.load(sys.stdin)["document"]["id"])')
	python3 - "$1" "$BASE" "$KEY" "$id" "$N" "$OCR" <<'PY'
import concurrent.futures as cf, statistics, sys, time, urllib.request, uuid
label, base, key, doc, n, ocr = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5]), sys.argv[6]
H = {"Authorization": "Bearer " + key}
def get(_):
    t = time.time()
    urllib.request.urlopen(urllib.request.Request(f"{base}/api/v1/documents/{doc}", headers=H), timeout=60).read()
    return time.time() - t
def upload(name, data, ctype):
    b = uuid.uuid4().hex
    body = (f"--{b}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\n"
            f"Content-Type: {ctype}\r\n\r\n").encode() + data + f"\r\n--{b}--\r\n".encode()
    h = dict(H); h["Content-Type"] = "multipart/form-data; boundary=" + b
    t = time.time()
    urllib.request.urlopen(urllib.request.Request(f"{base}/api/v1/documents", data=body, headers=h), timeout=60).read()
    return time.time() - t
def pct(xs, p):
    xs = sorted(xs); return xs[min(len(xs) - 1, int(len(xs) * p))] * 1000
for conc in (1, 8):
    t0 = time.time()
    with cf.ThreadPoolExecutor(conc) as ex:
        lat = list(ex.map(get, range(n)))
    dt = time.time() - t0
    print(f"{label:8s} GET x{n}, {conc} at once: {n / dt:7.1f} req/s  p50 {pct(lat, .5):6.1f} ms  p95 {pct(lat, .95):6.1f} ms")
small = [upload(f"s{i}.txt", b"A small uploaded text.\n" * 40, "text/plain") for i in range(10)]
print(f"{label:8s} upload of a 1 kB text, answered: median {statistics.median(small) * 1000:6.1f} ms  max {max(small) * 1000:6.1f} ms")
t = upload("dense1.png", open(ocr, "rb").read(), "image/png")
print(f"{label:8s} upload of an image to OCR (seconds of extraction), answered in {t * 1000:6.1f} ms")
PY
}

site_setup ondemand "idle_exit = 600"
lighttpd_cgi_start
measure relay
stop_ondemand
# The same data directory served by quired and lighttpd's mod_fastcgi.
cleanup; T="" PIDS=""

site_setup ondemand
as_web "$QUIRED" >>"$T/logs/quired.log" 2>&1 &
PIDS="$PIDS $!"
wait_for 15 test -S "$QUIRE_SOCK" || bail "quired did not start"
lighttpd_start
measure fastcgi
cleanup; T="" PIDS=""

site_setup serial
lighttpd_cgi_start
measure serial
