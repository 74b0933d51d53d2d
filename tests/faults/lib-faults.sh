# tests/faults/lib-faults.sh: helpers of the fault tests: a small
# filesystem of bounded size mounted for the data directory, and checks of
# quired's log for processes that died of a signal.
# SPDX-License-Identifier: GPL-3.0-or-later

# small_fs MEGABYTES: mount a tmpfs of that size on $T/data (root only;
# tmpfs stands for a small disk: it fails writes with ENOSPC when full and
# its shared mappings SIGBUS on holes, as a full ext4 does). Unmounted at
# exit. Skips the test when it cannot mount.
small_fs() {
	[ "$(id -u)" = 0 ] || skip_all "mounting a small filesystem needs root"
	mount -t tmpfs -o "size=${1}m,mode=0700" quire-faults "$T/data" 2>/dev/null ||
		skip_all "cannot mount a tmpfs (no CAP_SYS_ADMIN in this container?)"
	SMALL_FS="$T/data"
	trap 'small_fs_cleanup; cleanup; [ -z "${OPENAPI_FAILED:-}" ] || exit 1' EXIT
}

# At exit: the processes stop before the filesystem is unmounted (and the
# test directory removed by cleanup).
small_fs_cleanup() {
	stop_pids
	[ -n "${QUIRE_KEEP_TEST_DIR:-}" ] || umount -l "$SMALL_FS" 2>/dev/null
}

# fs_free: free kilobytes of the data directory's filesystem.
fs_free() { df -Pk "$T/data" | awk 'NR == 2 {print $4}'; }

# signal_deaths LOG SIGNAL: how many children quired saw die of SIGNAL.
signal_deaths() { grep -c "killed by signal $2\b" "$1" 2>/dev/null; }

# The system-call shim (iofault.c), built by make check.
IOFAULT_SO="$top_builddir/tests/faults/.libs/iofault.so"

# quired_start_shim VAR=VALUE...: quired (and every child) with iofault.so
# preloaded, watching $T/data; the arguments are more IOFAULT_* settings.
quired_start_shim() {
	[ -f "$IOFAULT_SO" ] || bail "tests/faults/iofault.so is not built"
	env LD_PRELOAD="$IOFAULT_SO" IOFAULT_ROOT="$T/data" "$@" "$QUIRED" >>"$T/logs/quired.log" 2>&1 &
	QUIRED_PID=$!
	PIDS="$PIDS $QUIRED_PID"
	wait_for 15 test -S "$QUIRE_SOCK" || { tail -20 "$T/logs/quired.log" >&2; bail "quired did not start"; }
}

# quired_kill9: kill quired and wait until its children are gone too
# (they die with it: PR_SET_PDEATHSIG).
quired_kill9() {
	local kids p
	kids=$(pgrep -P "$QUIRED_PID")
	kill -KILL "$QUIRED_PID" 2>/dev/null
	wait "$QUIRED_PID" 2>/dev/null
	for p in $kids; do
		for _ in $(seq 1 100); do kill -0 "$p" 2>/dev/null || break; sleep 0.05; done
	done
	rm -f "$QUIRE_SOCK"
}

# power_cut: the data directory as a power cut leaves it (powercut.py),
# which becomes the new baseline; the shadow starts again empty.
power_cut() {
	python3 "$top_srcdir/tests/faults/powercut.py" "$T/data" "$T/shadow" "$T/baseline" | sed 's/^/# /'
	rm -rf "$T/baseline" "$T/shadow"
	cp -a "$T/data" "$T/baseline"
	mkdir -p "$T/shadow"
}

# missing_docs FILE: how many ids of FILE do not answer 200 (GET).
missing_docs() {
	local id n=0
	while read -r id; do
		[ -n "$id" ] || continue
		req GET "/api/v1/documents/$id"
		[ "$STATUS" = 200 ] || { n=$((n + 1)); echo "# missing $id: $STATUS" >&2; }
	done <"$1"
	echo "$n"
}
