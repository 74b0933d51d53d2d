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
make -j"$(nproc 2>/dev/null || echo 2)"
status=0
make check || status=$?
if [ $status -ne 0 ]; then
	for f in $(find tests -name '*.log' ! -name 'test-suite.log'); do
		grep -q '^not ok\|^Bail out\|^ERROR' "$f" 2>/dev/null && { echo "=== $f"; tail -n 60 "$f"; }
	done
	exit $status
fi
# A bounded libFuzzer run of every fuzz target (5 s each) when clang can
# build them (configure found -fsanitize=fuzzer).
if grep -q '^fuzz-short: $(FUZZ_TARGETS)' Makefile; then
	make fuzz-short FUZZ_SHORT_TIME=5
fi
make distcheck
