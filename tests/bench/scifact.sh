#!/bin/bash
# tests/bench/scifact.sh: search quality on BEIR SciFact (training queries)
# through the API: keyword, semantic (builtin vectors) and hybrid; prints
# nDCG@10 and Recall@100 from ../shared/bench/eval.py. Needs ../shared/bench
# (or BENCH_DATA naming it).
# SCIFACT_CONF: lines added to the configuration (\n between lines).
# SCIFACT_SWEEP: settings to compare on one load, variants separated by
# '|' (\n between a variant's lines): after the first measurement quired
# restarts with each variant added to the configuration and the queries run
# again (search settings only: the stored data stays as loaded).
# SCIFACT_DIR: keep the loaded store there (a link to the test directory)
# and, when it holds one already, query it again without loading (after a
# rebuild of the search code; an index version change needs a new load).
# SPDX-License-Identifier: GPL-3.0-or-later
set -u
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${top_builddir:=$top_srcdir}"
. "$top_srcdir/tests/lib.sh"
bench="${BENCH_DATA:-$top_srcdir/../shared/bench}"
[ -d "$bench/scifact" ] || { echo "no $bench/scifact: nothing to measure"; exit 0; }
if [ -n "${SCIFACT_DIR:-}" ]; then
	export QUIRE_KEEP_TEST_DIR=1
fi
if [ -n "${SCIFACT_DIR:-}" ] && [ -f "$SCIFACT_DIR/idmap.json" ]; then
	T=$(cd "$SCIFACT_DIR" && pwd -P)
	QUIRE_CONF="$T/quire.conf"
	QUIRE_SOCK="$T/run/quire.sock"
	export QUIRE_CONF QUIRE_PLUGIN_DIR="$T/plugins"
	export QUIRE_QUIRE_EXTRACT_PROGRAM="$top_builddir/extract/quire-extract"
	cp "$T/loaded.conf" "$QUIRE_CONF"
else
	quire_setup 2
	cp "$QUIRE_CONF" "$T/loaded.conf"
	[ -z "${SCIFACT_DIR:-}" ] || ln -sfn "$T" "$SCIFACT_DIR"
fi
[ -n "${SCIFACT_CONF:-}" ] && printf "%b\n" "$SCIFACT_CONF" >>"$QUIRE_CONF"
quired_start
KEY=$(new_key bench)
export SCIFACT_ADMIN_KEY=$(new_key ops admin)   # GET /metrics (the stage breakdown)
lighttpd_start
kb=$(admin kb list --account bench | awk -F'\t' '$2 == "default" {print $1}')
export SCIFACT_IDMAP="$T/idmap.json"
QUIRE_ADMIN="$QUIRE_ADMIN" python3 "$top_srcdir/tests/bench/scifact.py" "$BASE" "$KEY" "$kb" "$bench" "$T"
[ -n "${SCIFACT_SWEEP:-}" ] || exit 0
cp "$QUIRE_CONF" "$T/base.conf"
IFS='|' read -r -a variants <<<"$SCIFACT_SWEEP"
for v in "${variants[@]}"; do
	quired_stop
	cp "$T/base.conf" "$QUIRE_CONF"
	printf "%b\n" "$v" >>"$QUIRE_CONF"
	quired_start
	echo "== $(printf "%b" "$v" | tr '\n' ' ')"
	QUIRE_ADMIN="$QUIRE_ADMIN" python3 "$top_srcdir/tests/bench/scifact.py" "$BASE" "$KEY" "$kb" "$bench" "$T"
done
