#!/bin/bash
# recovery-time.sh: log growth and recovery time (docs/reliability.md D14).
# For each checkpoint interval (BENCH_CHECKPOINTS, "5 3600": frequent, and
# effectively none), 8 clients create documents through lighttpd for
# BENCH_SECONDS (20) (wrk + post.lua); then the log files are counted,
# quired and every child are killed with SIGKILL, and the recovery of the
# next start is timed (quired's "recovery 0 took" line). With frequent
# checkpoints the log files are removed as they are passed (quire-admin
# checkpoint: txn_checkpoint + log_archive), so the log and the recovery
# stay bounded; without, both grow with the writes. Prints figures only.
# SPDX-License-Identifier: GPL-3.0-or-later
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/faults/lib-faults.sh"
trap - INT TERM; trap 'exit 1' INT TERM
WRK=${WRK:-$(command -v wrk || echo /usr/bin/wrk)}
[ -x "$WRK" ] || { echo "recovery-time: wrk not found, skipped"; exit 0; }
SECS=${BENCH_SECONDS:-20}

logs() {  # number and megabytes of log files
	local n=0 kb=0
	n=$(ls "$T/data/db"/log.* 2>/dev/null | wc -l)
	kb=$(du -ck "$T/data/db"/log.* 2>/dev/null | tail -1 | cut -f1)
	echo "$n log files, $((kb / 1024)) MB"
}

echo "checkpoint interval | creates in ${SECS}s | log before kill -9 | recovery (ms) | log after"
for ckpt in ${BENCH_CHECKPOINTS:-5 3600}; do
	quire_setup 2
	echo "checkpoint_interval = $ckpt" >>"$QUIRE_CONF"
	QUIRE_BENCH_KEY=$(new_key bench)
	export QUIRE_BENCH_KEY
	quired_start
	lighttpd_start
	out=$(timeout $((SECS + 30)) "$WRK" -t2 -c8 -d"${SECS}s" \
		-s "$top_srcdir/tests/bench/post.lua" "$BASE/api/v1/documents" 2>&1)
	created=$(printf '%s\n' "$out" | awk '/created/ {for (i = 1; i <= NF; i++) if ($i ~ /^[0-9]+$/) {print $i; exit}}')
	before=$(logs)
	quired_kill9
	: >"$T/logs/restart.log"
	"$QUIRED" >>"$T/logs/restart.log" 2>&1 &
	QUIRED_PID=$!
	PIDS="$PIDS $QUIRED_PID"
	wait_for 120 grep -q "recovery 0 took" "$T/logs/restart.log"
	ms=$(sed -n 's/.*recovery 0 took \([0-9]*\) ms.*/\1/p' "$T/logs/restart.log")
	"$QUIRE_ADMIN" checkpoint >/dev/null 2>&1
	echo "$ckpt s | ${created:-?} | $before | ${ms:-?} | $(logs) after a checkpoint"
	cleanup
	PIDS=""
done
