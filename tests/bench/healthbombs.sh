#!/bin/bash
# healthbombs.sh: /health latency while 50 clients upload zip bombs at once
# (RELIABILITY P8), through lighttpd and quired (2 workers, the default
# pool): the probes' percentiles alone and under the uploads, how many were
# not answered, and the uploads' answers. Prints figures only.
#   BENCH_CLIENTS (50)  BENCH_WORKERS (2)  BENCH_SECONDS (20)
# SPDX-License-Identifier: GPL-3.0-or-later
. "$top_srcdir/tests/lib.sh"
trap - INT TERM; trap 'exit 1' INT TERM
[ -x "$top_builddir/extract/quire-extract" ] || { echo "healthbombs: quire-extract not built, skipped"; exit 0; }
quire_setup "${BENCH_WORKERS:-2}"
python3 "$top_srcdir/tests/upload/hostile.py" "$T/hostile" 10 >/dev/null || bail "hostile.py failed"
KEY=$(new_key bench) || bail "no key"
printf 'ingest_account_queue = 1000\n' >>"$QUIRE_CONF"
quired_start
lighttpd_start
echo "$(nproc) CPUs, ${BENCH_WORKERS:-2} workers"
timeout 300 python3 "$top_srcdir/tests/bench/healthbombs.py" "$BASE" "$KEY" "$T/hostile/bomb.docx" \
	"${BENCH_CLIENTS:-50}" "${BENCH_SECONDS:-20}"
