#!/bin/bash
# fcgi-ratio.sh: how close Quire's read path comes to the FastCGI ceiling.
# In one run, with the same lighttpd configuration (etc/lighttpd/quire.conf)
# and the same wrk settings:
#   quire:    GET /api/v1/documents/:id, quired with 2 workers
#   minimal:  the same URL answered by tests/bench/min_responder (libfcgi,
#             2 processes, a fixed 200-byte JSON body)
# The two are run alternately BENCH_ROUNDS times; prints req/s, p50 and p99
# of every run, the median req/s of each, and the median of the per-round
# ratios quire/minimal (target >= 0.8), and the CPU time the responder
# processes spent per request (from /proc: steadier than req/s when other
# work shares the machine). Prints figures only; never fails on them.
#   BENCH_SECONDS (10)  BENCH_CONNECTIONS (32)  BENCH_THREADS (2)
#   BENCH_ROUNDS (3)
# SPDX-License-Identifier: GPL-3.0-or-later
. "$top_srcdir/tests/lib.sh"
trap - INT TERM; trap 'exit 1' INT TERM
WRK=${WRK:-$(command -v wrk || echo /usr/bin/wrk)}
MIN="$top_builddir/tests/bench/min_responder"
[ -x "$WRK" ] || { echo "fcgi-ratio: wrk not found, skipped"; exit 0; }
[ -x "$MIN" ] || { echo "fcgi-ratio: $MIN not built (make tests/bench/min_responder)"; exit 1; }
SECS=${BENCH_SECONDS:-10}
CONNS=${BENCH_CONNECTIONS:-32}
THREADS=${BENCH_THREADS:-2}
ROUNDS=${BENCH_ROUNDS:-3}

TICK=$(getconf CLK_TCK)

# cpu_ticks PID...: user + system CPU of the processes, in clock ticks.
cpu_ticks() {
	local p t=0 f
	for p in "$@"; do
		f=$(cut -d' ' -f14,15 "/proc/$p/stat" 2>/dev/null) || continue
		t=$((t + ${f% *} + ${f#* }))
	done
	echo "$t"
}

# wrk_run NAME URL PIDS [ARGS...]: run wrk, print one line, set RPS and
# CPU_US (CPU microseconds the responder processes PIDS spent per request:
# less disturbed by other load on the machine than req/s).
wrk_run() {
	local name=$1 url=$2 pids=$3; shift 3
	local out c0 c1 n
	c0=$(cpu_ticks $pids)
	out=$(timeout $((SECS + 30)) "$WRK" -t"$THREADS" -c"$CONNS" -d"${SECS}s" --latency "$@" "$url" 2>&1)
	c1=$(cpu_ticks $pids)
	RPS=$(printf '%s\n' "$out" | awk '/^Requests\/sec:/ {print $2}')
	n=$(printf '%s\n' "$out" | awk '/requests in/ {print $1}')
	CPU_US=$(awk -v d=$((c1 - c0)) -v n="${n:-0}" -v hz="$TICK" 'BEGIN { if (n > 0) printf "%.1f", d * 1e6 / hz / n }')
	local p50 p99 non2xx
	p50=$(printf '%s\n' "$out" | awk '$1 == "50%" {print $2}')
	p99=$(printf '%s\n' "$out" | awk '$1 == "99%" {print $2}')
	non2xx=$(printf '%s\n' "$out" | awk -F: '/Non-2xx/ {gsub(/ /, "", $2); print $2}')
	printf '%-8s %10s req/s   p50 %9s   p99 %9s   non-2xx %s   cpu %s us/req\n' "$name" \
		"${RPS:-?}" "${p50:-?}" "${p99:-?}" "${non2xx:-0}" "${CPU_US:-?}"
	[ -n "$RPS" ] || printf '%s\n' "$out" | sed 's/^/  wrk: /' | head -20
}

quire_setup 2
quired_start
KEY=$(new_key bench)
[ -n "$KEY" ] || bail "no API key"
lighttpd_start
req POST /api/v1/documents '{"title": "benchmark", "content": "a short document for the read benchmark"}'
[ "$STATUS" = 201 ] || bail "create: $STATUS $BODY"
ID=$(json "$BODY" 'j["document"]["id"]')
QUIRE_BASE=$BASE
req GET "/api/v1/documents/$ID"
[ "$STATUS" = 200 ] || bail "get: $STATUS $BODY"
echo "GET /api/v1/documents/:id: ${#BODY} bytes of JSON from quire"

# The minimal responder behind a second lighttpd with the same config.
"$MIN" "$T/run/min.sock" 2 >>"$T/logs/min.log" 2>&1 &
MIN_PID=$!
PIDS="$PIDS $MIN_PID"
wait_for 5 test -S "$T/run/min.sock" || bail "min_responder did not start"
QUIRE_SOCK="$T/run/min.sock" lighttpd_start
MIN_BASE=$BASE
sz=$(curl -s -m 5 "$MIN_BASE/api/v1/documents/$ID" | wc -c)
echo "the same URL: $sz bytes of JSON from min_responder"

# Other load on the machine moves both figures; alternating the runs and
# taking medians keeps a burst from landing on one side only.
echo "wrk -t$THREADS -c$CONNS -d${SECS}s, lighttpd $(lighttpd -v 2>/dev/null | head -1 | cut -d' ' -f1), $(nproc) CPUs, $ROUNDS rounds alternating"
min_pids=$(pgrep -P "$MIN_PID" | tr '\n' ' ')
quire_pids=$(pgrep -P "$QUIRED_PID" -x quire.fcgi | tr '\n' ' ')
min_all="" quire_all="" ratios="" min_cpu="" quire_cpu=""
for round in $(seq 1 "$ROUNDS"); do
	wrk_run minimal "$MIN_BASE/api/v1/documents/$ID" "$min_pids"
	min_rps=$RPS min_cpu="$min_cpu $CPU_US"
	wrk_run quire "$QUIRE_BASE/api/v1/documents/$ID" "$quire_pids" \
		-H "Authorization: Bearer $KEY"
	quire_rps=$RPS quire_cpu="$quire_cpu $CPU_US"
	if [ -n "$min_rps" ] && [ -n "$quire_rps" ]; then
		min_all="$min_all $min_rps" quire_all="$quire_all $quire_rps"
		ratios="$ratios $(awk -v q="$quire_rps" -v m="$min_rps" 'BEGIN { printf "%.3f", q / m }')"
	fi
done
median() { printf '%s\n' $1 | sort -g | awk '{v[NR] = $1} END { if (NR) print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }
if [ -n "$ratios" ]; then
	printf 'median of %d: minimal %s req/s, quire %s req/s\n' "$(echo $ratios | wc -w)" \
		"$(median "$min_all")" "$(median "$quire_all")"
	echo "ratios per round:$ratios"
	awk -v r="$(median "$ratios")" \
		'BEGIN { printf "ratio quire/minimal (median of rounds): %.3f (target >= 0.800)%s\n", r, (r >= 0.8 ? "" : "  BELOW TARGET") }'
fi
printf 'responder CPU per request (median): minimal %s us, quire %s us\n' \
	"$(median "$min_cpu")" "$(median "$quire_cpu")"
recs=$(grep -c "recovery [0-9]* took" "$T/logs/quired.log")
echo "quired recoveries during the run: $((recs - 1))"
quired_stop
exit 0
