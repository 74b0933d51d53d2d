#!/bin/bash
# callgrind-get.sh: instructions per request of GET /api/v1/documents/:id,
# counted by callgrind in the worker, repeatable where req/s is not. One
# quire worker runs under valgrind --tool=callgrind behind lighttpd; after
# a warm-up the counters are dumped and zeroed, CG_REQUESTS requests are
# sent with ab, and the second dump divided by CG_REQUESTS is the cost of a
# request (libfcgi included, start-up excluded; the minimal responder of
# fcgi-ratio.sh costs about 13.4k, almost all of it libfcgi). The
# per-function profile is kept in CG_OUT (default: not kept) for
# callgrind_annotate.
#   CG_REQUESTS (2000)  CG_OUT (directory)
# SPDX-License-Identifier: GPL-3.0-or-later
. "$top_srcdir/tests/lib.sh"
trap - INT TERM; trap 'exit 1' INT TERM
command -v valgrind >/dev/null || { echo "callgrind-get: valgrind not found, skipped"; exit 0; }
command -v ab >/dev/null || { echo "callgrind-get: ab not found, skipped"; exit 0; }
N=${CG_REQUESTS:-2000}

# cg_count NAME URL OUTFILE [AB_ARGS...]: warm up, dump, measure, dump.
# OUTFILE is the callgrind output of the serving process; dumps are
# OUTFILE.1, OUTFILE.2.
cg_count() {
	local name=$1 url=$2 out=$3; shift 3
	local pid=${out##*.}
	ab -q -n 200 -c 1 "$@" "$url" >/dev/null 2>&1
	callgrind_control -d "$pid" >/dev/null 2>&1 || bail "$name: callgrind_control failed"
	ab -q -n "$N" -c 1 "$@" "$url" >"$T/ab.$name" 2>&1
	local bad; bad=$(awk '/^Failed requests/ {f=$3} /^Non-2xx/ {f+=$3} END {print f+0}' "$T/ab.$name")
	callgrind_control -d "$pid" >/dev/null 2>&1 || bail "$name: callgrind_control failed"
	wait_for 10 test -s "$out.2" || bail "$name: no second dump"
	local ir; ir=$(awk '/^(summary|totals):/ {print $2; exit}' "$out.2")
	printf '%-8s %8d instructions/request (%d requests, failed %s)\n' "$name" \
		$(( ir / N )) "$N" "$bad"
	if [ -n "${CG_OUT:-}" ]; then mkdir -p "$CG_OUT" && cp "$out.2" "$CG_OUT/callgrind.$name"; fi
	return 0
}

quire_setup 1
cat >"$T/fcgi-wrap" <<EOF2
#!/bin/sh
exec valgrind -q --tool=callgrind --callgrind-out-file="$T/cg.quire.%p" "$top_builddir/src/quire.fcgi" "\$@"
EOF2
chmod +x "$T/fcgi-wrap"
export QUIRE_QUIRE_FCGI_PROGRAM="$T/fcgi-wrap"
QUIRE_TEST_HEARTBEAT=120
quired_start
KEY=$(new_key bench)
[ -n "$KEY" ] || bail "no API key"
lighttpd_start
wait_for 60 curl -s -o /dev/null -m 5 "$BASE/health" || bail "worker did not answer"
req POST /api/v1/documents '{"title": "benchmark", "content": "a short document for the read benchmark"}'
[ "$STATUS" = 201 ] || bail "create: $STATUS $BODY"
ID=$(json "$BODY" 'j["document"]["id"]')
cg_count quire "$BASE/api/v1/documents/$ID" "$(ls "$T"/cg.quire.* | head -1)" -H "Authorization: Bearer $KEY"

quired_stop
exit 0
