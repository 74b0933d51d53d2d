#!/bin/bash
# tests/bench/embed-pipeline.sh: figures for the embedding pipeline (prints,
# never gates):
#  1. time from creating 1,000 text documents through lighttpd to all of
#     them completed, builtin backend;
#  2. throughput of the openai backend against the local protocol server
#     with request batch sizes 1, 16 and 128.
# Usage: top_srcdir=... top_builddir=... bash tests/bench/embed-pipeline.sh
# SPDX-License-Identifier: GPL-3.0-or-later
set -u
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${top_builddir:=$top_srcdir}"
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/embed/embed-lib.sh"
ok() { :; }

quire_setup 2
quired_start
KEY=$(new_key bench)
lighttpd_start
body=$(python3 -c 'import json; print(json.dumps({"title": "Bench", "content": "A short document about retrieval and embeddings, long enough for one chunk. " * 20}))')
start=$(date +%s.%N)
python3 - "$BASE" "$KEY" "$body" <<'PY'
import http.client, sys, threading, urllib.parse
base, key, body = sys.argv[1:4]
u = urllib.parse.urlparse(base)
def run(n):
    c = http.client.HTTPConnection(u.hostname, u.port, timeout=30)
    for _ in range(n):
        c.request("POST", "/api/v1/documents", body, {"Authorization": "Bearer " + key, "Content-Type": "application/json"})
        r = c.getresponse(); r.read()
        assert r.status == 201, r.status
ts = [threading.Thread(target=run, args=(125,)) for _ in range(8)]
[t.start() for t in ts]; [t.join() for t in ts]
PY
created=$(date +%s.%N)
for i in $(seq 1 600); do
	out=$(admin check-embeddings 2>/dev/null)
	printf '%s' "$out" | grep -q "^documents_completed 1000" && break
	sleep 0.1
done
finished=$(date +%s.%N)
python3 -c "import sys; s,c,f=map(float,sys.argv[1:]); print(f'1,000 documents: created in {c-s:.2f} s (8 clients), all completed {f-s:.2f} s after the first create')" "$start" "$created" "$finished"
quired_stop
cleanup; T=""; PIDS=""

for batch in 1 16 128; do
	quire_setup 1
	fake_start 256
	cat >>"$QUIRE_CONF" <<EOF
embed_request_batch = $batch
embed_batch = 256
embed_concurrency = 4
EOF
	KEY=$(new_key bench)
	for i in $(seq 1 20); do create_doc "Doc $i" 120 >/dev/null; done
	chunks=$(admin check-embeddings | sed -n 's/^chunks //p')
	s=$(date +%s.%N)
	"$top_builddir/src/quire-embed" --once 2>/dev/null
	e=$(date +%s.%N)
	python3 -c "import sys; s,e,n,b,r=map(float,sys.argv[1:]); print(f'openai backend, request batch {int(b):3d}: {int(n)} chunks in {e-s:.2f} s = {n/(e-s):.0f} chunks/s ({int(r)} requests)')" "$s" "$e" "$chunks" "$batch" "$(fake_requests)"
	cleanup; T=""; PIDS=""
done
