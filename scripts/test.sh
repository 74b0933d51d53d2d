#!/bin/sh
# scripts/test.sh: the whole test suite: install what is missing, build,
# `make check` (unit, CGI, lighttpd, Apache, Node, kill and extraction
# tests), then `make distcheck`. Exits non-zero when any test fails.
# SPDX-License-Identifier: GPL-3.0-or-later
set -eu
cd "$(dirname "$0")/.."
sh scripts/deps.sh
# the minimal Debian root portable.test runs the bundle in (root only;
# fetched here, with the dependencies, never by a test)
sh scripts/minbase.sh || true
autoreconf -fi
./configure
# as many jobs as cores, for the build and the tests alike: the tests
# mostly wait on servers and children, and `make -j2 check` is how every
# change is tested before it lands (a serial run of check and distcheck
# ran past CI's 90 minutes at stop 23)
jobs=$(nproc 2>/dev/null || echo 2)
make -j"$jobs"
# The logs of the tests that failed under DIR, printed after the summary
# (where a CI log's tail shows them).
failed_logs() {
	find "$1" -name '*.trs' 2>/dev/null | while read -r trs; do
		grep -q '^:test-result: \(FAIL\|ERROR\|XPASS\)' "$trs" || continue
		log=${trs%.trs}.log
		echo "=== $log"
		grep -n '^not ok\|^Bail out\|^#' "$log" | head -n 40
		tail -n 20 "$log"
	done
}
status=0
make -j"$jobs" check || status=$?
if [ $status -ne 0 ]; then
	failed_logs tests
	exit $status
fi
# A bounded libFuzzer run of every fuzz target (5 s each) when clang can
# build them (configure found -fsanitize=fuzzer).
if grep -q '^fuzz-short: $(FUZZ_TARGETS)' Makefile; then
	make fuzz-short FUZZ_SHORT_TIME=5
fi
status=0
make -j"$jobs" distcheck || status=$?
if [ $status -ne 0 ]; then
	failed_logs "$(ls -d quire-*/_build 2>/dev/null | head -n 1)"
	exit $status
fi
