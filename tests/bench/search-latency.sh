#!/bin/sh
# tests/bench/search-latency.sh: search latency in a warm worker at 10,000
# and 100,000 chunks (keyword, semantic, hybrid; p50 and p95, top_k 10),
# through libquire as a worker runs it: see tests/bench/bench_search.c.
# Prints figures; never fails on a time. SEARCH_SIZES and SEARCH_QUERIES
# override the sizes (comma-separated) and the queries per method;
# BENCH_IVF_TRAIN=0 leaves the vector index's lists untrained (the prefilter).
# SPDX-License-Identifier: GPL-3.0-or-later
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${top_builddir:=$top_srcdir}"
export top_srcdir
# the inverted file's centroids trained at each size (quire-admin reindex's
# step), so hybrid past search_exact_max goes through the lists; 0: not
: "${BENCH_IVF_TRAIN:=1}"
export BENCH_IVF_TRAIN
exec "$top_builddir/tests/bench/bench_search" "${SEARCH_SIZES:-10000,100000}" "${SEARCH_QUERIES:-300}"
