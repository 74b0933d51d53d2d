#!/bin/bash
# The soak (docs/reliability.md D16): quired with 3 workers and 2
# ingest processes behind lighttpd under mixed load (JSON creates with
# Idempotency-Key retried on 5xx, file uploads through quire-extract)
# while every process kind is killed with SIGKILL in turn: a worker, an
# ingest process, quire-embed, a quire-extract child, and quired itself
# (restarted by this script, as systemd would). QUIRE_SOAK_CYCLES kills
# (default 1000), bounded by QUIRE_SOAK_SECONDS (default 1500). After each
# kill service must come back (health 200) within QUIRE_SOAK_HANG_SECONDS
# (default 30), else it counts as a hang. Then: 0 acknowledged writes lost, no duplicates, every document
# final (its ingest job completed or failed), verify clean, no growth of
# region files or open descriptors. Prints the figures. Not part of make
# check: run it with "make soak". TAP output.
# SPDX-License-Identifier: GPL-3.0-or-later
. "$top_srcdir/tests/lib.sh"
command -v python3 >/dev/null || skip_all "python3 is needed"
CYCLES=${QUIRE_SOAK_CYCLES:-1000}
MAXSEC=${QUIRE_SOAK_SECONDS:-1500}
HANG=${QUIRE_SOAK_HANG_SECONDS:-30}   # no service this long after a kill is a hang
quire_setup 3
echo "ingest_processes = 2" >>"$QUIRE_CONF"
quired_start
KEY=$(new_key acme)
lighttpd_start
LOG="$T/logs/quired.log"
jfile() { python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$1" "$2" 2>/dev/null; }
health_ok() { [ "$(curl -s -m 2 -o /dev/null -w '%{http_code}' "$BASE/health")" = 200 ]; }
regions() { ls "$T/data/db" | grep -c '^__db\.'; }
fds() { ls /proc/"$QUIRED_PID"/fd 2>/dev/null | wc -l; }
regions0=$(regions)
fds0=$(fds)

STOP="$T/stop"
timeout $((MAXSEC + 120)) python3 "$top_srcdir/tests/api/killload.py" \
	"$BASE" "$KEY" 4 $((MAXSEC + 1)) 60 "$T/load.json" "$STOP" 2>"$T/logs/killload.err" &
load_pid=$!
# Uploads run in rounds (the upload driver has no stop file); each round's
# acknowledgements are checked at the end.
(
	r=0
	while [ ! -e "$STOP" ]; do
		r=$((r + 1))
		timeout 120 python3 "$top_srcdir/tests/api/backupload.py" load "$BASE" "$KEY" 2 20 \
			"$T/up.$r.json" >/dev/null 2>&1
	done
) &
up_pid=$!

declare -A kills=([worker]=0 [ingest]=0 [embed]=0 [extract]=0 [quired]=0)
kinds=(worker ingest embed extract quired)
hangs=0 total=0 longest=0
start=$(date +%s)
elapsed() { echo $(( $(date +%s) - start )); }
victim_of() {
	case $1 in
	worker) pgrep -P "$QUIRED_PID" -f quire.fcgi | shuf -n 1 ;;
	ingest) pgrep -P "$QUIRED_PID" -f quire-ingest | shuf -n 1 ;;
	embed) pgrep -P "$QUIRED_PID" -f quire-embed | head -1 ;;
	extract)   # only this quired's: children of its ingest processes
		for g in $(pgrep -P "$QUIRED_PID" -f quire-ingest); do pgrep -P "$g"; done | shuf -n 1 ;;
	quired) echo "$QUIRED_PID" ;;
	esac
}
# quired after a kill -9: its children die with it (PDEATHSIG), but until
# they have, the data directory lock refuses a new quired; retry.
restart_quired() {
	local n
	for n in $(seq 1 50); do
		"$QUIRED" >>"$T/logs/quired.log" 2>&1 &
		QUIRED_PID=$!
		PIDS="$PIDS $QUIRED_PID"
		sleep 0.3
		kill -0 "$QUIRED_PID" 2>/dev/null && return 0
		wait "$QUIRED_PID" 2>/dev/null
	done
	return 1
}
i=0 misses=0
while [ "$total" -lt "$CYCLES" ] && [ "$(elapsed)" -lt "$MAXSEC" ]; do
	kind=${kinds[$((i % 5))]}
	v=$(victim_of "$kind")
	if [ -z "$v" ]; then
		# quire-extract runs only while a file is parsed: look again a
		# few times (about 1 s) before moving on to the next kind.
		misses=$((misses + 1))
		if [ "$kind" = extract ] && [ "$misses" -lt 20 ]; then sleep 0.02; continue; fi
		misses=0 i=$((i + 1))
		continue
	fi
	misses=0 i=$((i + 1))
	kill -9 "$v" 2>/dev/null || continue
	kills[$kind]=$((kills[$kind] + 1))
	total=$((total + 1))
	t0=$(date +%s%N)
	if [ "$kind" = quired ]; then
		for _ in $(seq 1 100); do kill -0 "$v" 2>/dev/null || break; sleep 0.05; done
		wait "$v" 2>/dev/null
		restart_quired || { hangs=$((hangs + 1)); diag "quired did not restart"; break; }
	fi
	if ! wait_for "$HANG" health_ok; then
		hangs=$((hangs + 1))
		diag "no service $HANG s after killing $kind $v"
	fi
	ms=$(( ($(date +%s%N) - t0) / 1000000 ))
	echo "$kind $ms" >>"$T/service.ms"
	[ $((total % 50)) = 0 ] && diag "progress: $total kills in $(elapsed) s, hangs $hangs"
	[ "$ms" -gt "$longest" ] && longest=$ms
	sleep "0.$(printf '%03d' $(( RANDOM % 150 + 50 )))"
done
touch "$STOP"
secs=$(elapsed)
diag "$total kills in $secs s: worker ${kills[worker]}, ingest ${kills[ingest]}, embed ${kills[embed]}, extract ${kills[extract]}, quired ${kills[quired]}; longest time to service ${longest} ms; hangs $hangs"
[ "$total" -ge "$CYCLES" ]; ok $? "$CYCLES kill -9 cycles done ($total in $secs s)"
all=1
for k in "${kinds[@]}"; do [ "${kills[$k]}" -gt 0 ] || all=0; done
is "$all" 1 "every process kind was killed (worker ${kills[worker]}, ingest ${kills[ingest]}, embed ${kills[embed]}, extract ${kills[extract]}, quired ${kills[quired]})"
diag "time from kill to service (ms), by kind: $(python3 -c '
import collections, sys
d = collections.defaultdict(list)
for line in open(sys.argv[1]):
    k, v = line.split(); d[k].append(int(v))
def q(v, p): v = sorted(v); return v[min(len(v) - 1, int(p * len(v)))]
print("; ".join("%s n=%d median %d p99 %d max %d" % (k, len(v), q(v, .5), q(v, .99), max(v)) for k, v in sorted(d.items())))
' "$T/service.ms" 2>/dev/null)"
is "$hangs" 0 "0 hangs: service back within $HANG s after every kill (longest ${longest} ms)"

wait "$load_pid"; rc=$?
is "$rc" 0 "the create driver finished within its bound"
wait "$up_pid"
is "$(jfile "$T/load.json" 'j["finished"]')" 4 "every create client finished (no hung request)"
timeout 300 python3 "$top_srcdir/tests/api/killload.py" --list "$BASE" "$KEY" "$T/list.json"
ok $? "every document is listed"
check=$(python3 - "$T/load.json" "$T/list.json" "$T"/up.*.json <<'EOF'
import json, sys, collections
load = json.load(open(sys.argv[1]))
docs = json.load(open(sys.argv[2]))["documents"]
ids = set(i for i, _ in docs)
titles = collections.Counter(t for _, t in docs)
acked = dict((t, i) for i, t in load["acked"])
lost = [t for t in acked if titles[t] == 0]
twice = [t for t, n in titles.items() if n > 1 and t in acked]
up = []
for p in sys.argv[3:]:
    try:
        up += json.load(open(p))["acked"]
    except Exception:
        pass
uplost = [a["id"] for a in up if a["id"] not in ids]
print("acked_creates=%d acked_uploads=%d lost=%d uplost=%d duplicated=%d" % (
    len(acked), len(up), len(lost), len(uplost), len(twice)))
EOF
)
diag "$check"
like "$check" " lost=0 " "0 acknowledged creates lost"
like "$check" " uplost=0 " "0 acknowledged uploads lost"
like "$check" "duplicated=0" "no acknowledged create exists twice"
queue() { "$QUIRE_ADMIN" status 2>/dev/null | sed -n 's/^queue: ingest //p'; }
drained() { queue | grep -q '^pending 0, processing 0,'; }
wait_for 300 drained; ok $? "every document final: the ingest queue drains ($(queue))"
total_docs=$(jfile "$T/list.json" 'j["total"]')
ended=$(queue | sed -n 's/.*completed \([0-9]*\), failed \([0-9]*\)/\1 + \2/p')
is "$(( ended ))" "$total_docs" "every ingest job ended: completed + failed = documents ($ended = $total_docs)"
recov=$(grep -c "recovery [0-9]* took" "$LOG")
diag "recoveries logged (this quired's log, all restarts): $recov; region files $regions0 -> $(regions); quired fds $fds0 -> $(fds)"
[ "$(regions)" -le "$regions0" ]; ok $? "no growth in region files ($regions0 -> $(regions))"
[ "$(fds)" -le $((fds0 + 4)) ]; ok $? "no descriptor leak in quired ($fds0 -> $(fds))"
out=$(timeout 300 "$QUIRE_ADMIN" verify 2>&1)
like "$out" "consistent" "verify after the soak is clean"
done_testing
exit "$tap_failed"
