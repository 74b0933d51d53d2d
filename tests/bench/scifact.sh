#!/bin/bash
# tests/bench/scifact.sh: search quality on BEIR SciFact (training queries)
# through the API: keyword, semantic (builtin vectors) and hybrid; prints
# nDCG@10 and Recall@100 from ../shared/bench/eval.py. Needs ../shared/bench
# (or BENCH_DATA naming it).
# SPDX-License-Identifier: GPL-3.0-or-later
set -u
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${top_builddir:=$top_srcdir}"
. "$top_srcdir/tests/lib.sh"
bench="${BENCH_DATA:-$top_srcdir/../shared/bench}"
[ -d "$bench/scifact" ] || { echo "no $bench/scifact: nothing to measure"; exit 0; }
quire_setup 2
[ -n "${SCIFACT_CONF:-}" ] && printf "%b\n" "$SCIFACT_CONF" >>"$QUIRE_CONF"
quired_start
KEY=$(new_key bench)
lighttpd_start
kb=$(admin kb list --account bench | awk -F'\t' '$2 == "default" {print $1}')
QUIRE_ADMIN="$QUIRE_ADMIN" python3 "$top_srcdir/tests/bench/scifact.py" "$BASE" "$KEY" "$kb" "$bench" "$T"
