#!/bin/bash
# creates.sh: durable document creates per second through lighttpd and
# quired (2 workers; commits are synchronous, DB_TXN_SYNC), with 1 and with
# 8 concurrent clients (wrk + tests/bench/post.lua, every request a new
# document). The ingestion that follows each create (chunks, embed jobs) runs
# in the worker after the answer and is part of the load. Prints figures
# only; never fails on them.
#   BENCH_SECONDS (10)  BENCH_WORKERS (2)
# SPDX-License-Identifier: GPL-3.0-or-later
. "$top_srcdir/tests/lib.sh"
trap - INT TERM; trap 'exit 1' INT TERM
WRK=${WRK:-$(command -v wrk || echo /usr/bin/wrk)}
[ -x "$WRK" ] || { echo "creates: wrk not found, skipped"; exit 0; }
SECS=${BENCH_SECONDS:-10}

quire_setup "${BENCH_WORKERS:-2}"
quired_start
QUIRE_BENCH_KEY=$(new_key bench)
export QUIRE_BENCH_KEY
[ -n "$QUIRE_BENCH_KEY" ] || bail "no API key"
lighttpd_start
KEY=$QUIRE_BENCH_KEY req POST /api/v1/documents '{"title": "warm-up", "content": "warm"}'
[ "$STATUS" = 201 ] || bail "create: $STATUS $BODY"

echo "POST /api/v1/documents, ${SECS}s each, $(nproc) CPUs, ${BENCH_WORKERS:-2} workers"
for c in 1 8; do
	t=$(( c < 2 ? 1 : 2 ))
	out=$(timeout $((SECS + 30)) "$WRK" -t"$t" -c"$c" -d"${SECS}s" --latency \
		-s "$top_srcdir/tests/bench/post.lua" "$BASE/api/v1/documents" 2>&1)
	rps=$(printf '%s\n' "$out" | awk '/^Requests\/sec:/ {print $2}')
	p50=$(printf '%s\n' "$out" | awk '$1 == "50%" {print $2}')
	p99=$(printf '%s\n' "$out" | awk '$1 == "99%" {print $2}')
	res=$(printf '%s\n' "$out" | grep '^created ')
	printf '%d client(s): %10s creates/s   p50 %9s   p99 %9s   (%s)\n' "$c" "${rps:-?}" \
		"${p50:-?}" "${p99:-?}" "${res:-no summary}"
	[ -n "$rps" ] || printf '%s\n' "$out" | sed 's/^/  wrk: /' | head -20
done
total=$(KEY=$QUIRE_BENCH_KEY req GET '/api/v1/documents?limit=1'; json "$BODY" 'j["pagination"]["total"]')
echo "documents stored: $total"
recs=$(grep -c "recovery [0-9]* took" "$T/logs/quired.log")
echo "quired recoveries during the run: $((recs - 1))"
quired_stop
exit 0
