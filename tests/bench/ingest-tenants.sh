#!/bin/bash
# tests/bench/ingest-tenants.sh: ingestion beside the API with 1 and 2
# tenants, through lighttpd and quired's default pool. Prints figures;
# never fails on time.
#  1. Latency: tenant B creates, lists and chats for SECONDS while /health
#     is probed, alone (1 tenant) and while tenant A uploads the hostile
#     files of tests/upload/hostile.py (2 tenants): count, p50, p99, max
#     in ms, and how long B's small upload took to be embedded.
#  2. Throughput: DOCS text PDFs of PAGES pages uploaded by 1 tenant, then
#     by 2 tenants at once (DOCS each): documents/s and pages/s until all
#     are embedded, with list and /health latencies probed meanwhile.
#   BENCH_SECONDS (20), DOCS (4), PAGES (500), HOSTILE_PAGES (2000)
# SPDX-License-Identifier: GPL-3.0-or-later
set -u
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${top_builddir:=$top_srcdir}"
export top_srcdir top_builddir
. "$top_srcdir/tests/lib.sh"
trap - INT TERM; trap 'exit 1' INT TERM
SECS=${BENCH_SECONDS:-20}
DOCS=${DOCS:-4}
PAGES=${PAGES:-500}
[ -x "$top_builddir/extract/quire-extract" ] || { echo "ingest-tenants: quire-extract not built"; exit 0; }
quire_setup 2
printf 'extract_timeout = 30\nchat_rate_limit = 0\n' >>"$QUIRE_CONF"
quired_start
lighttpd_start
TP="$top_srcdir/tests/upload/tenants.py"
python3 "$top_srcdir/tests/upload/hostile.py" "$T/hostile" "${HOSTILE_PAGES:-2000}" >/dev/null
python3 "$top_srcdir/tests/upload/hostile.py" "$T/pages" "$PAGES" >/dev/null
show() {  # show LABEL JSON
	python3 - "$1" "$2" <<'PY'
import json, sys
j = json.load(open(sys.argv[2]))
for k, v in j["latency_ms"].items():
    print("%-10s %-7s n=%-4d p50=%6s ms  p99=%6s ms  max=%6s ms" % (sys.argv[1], k, v["n"], v["p50"], v["p99"], v["max"]))
print("%-10s B's small upload embedded after %s s; non-2xx answers: %d" % (sys.argv[1], j["b_upload_s"], j["nbad"]))
PY
}
echo "== latency of tenant B (ms), $SECS s each"
A=$(new_key tenant-a); B=$(new_key tenant-b)
timeout $((SECS + 200)) python3 "$TP" load "$BASE" "$A" "$B" - "$SECS" "$T/one.json" && show "1 tenant" "$T/one.json"
timeout $((SECS + 200)) python3 "$TP" load "$BASE" "$A" "$B" "$T/hostile" "$SECS" "$T/two.json" && show "2 tenants" "$T/two.json"
idle() { admin status 2>/dev/null | grep -q '^queue: ingest pending 0, processing 0,'; }
wait_for 600 idle || echo "(tenant A's hostile files still ingesting)"

echo "== throughput: $DOCS documents of $PAGES pages per tenant"
for n in 1 2; do
	keys=()
	for t in $(seq 1 "$n"); do
		k=$(new_key "tp-$n-$t")
		for d in $(seq 1 "$DOCS"); do keys+=("$k"); done
	done
	python3 "$TP" probe "$BASE" "${keys[0]}" 5 >"$T/probe-$n" 2>&1 &
	pp=$!
	out=$(timeout 900 python3 "$TP" ingest "$BASE" 800 "$T/pages/text.pdf" "${keys[@]}")
	wait "$pp"
	set -- $out
	docs=$(( n * DOCS ))
	python3 -c "import sys; s=float(sys.argv[1]); d=int(sys.argv[2]); p=int(sys.argv[3]); print('%d tenant(s): %d documents (%d pages) in %.2f s: %.2f documents/s, %.1f pages/s (not done: %s, failed: %s)' % (int(sys.argv[4]), d, d*p, s, d/s, d*p/s, sys.argv[5], sys.argv[6]))" "${1:-0}" "$docs" "$PAGES" "$n" "${2:-?}" "${3:-?}"
	sed 's/^/    during: /' "$T/probe-$n"
done
