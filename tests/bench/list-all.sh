#!/bin/bash
# tests/bench/list-all.sh [N]: the whole ChatIQ list (GET /api/v1/documents
# without limit) over N documents (default 100,000) of one account, served
# by quire.fcgi as a CGI: prints the wall time, the bytes answered and the
# process's peak RSS (the list streams in windows of 500: its own heap
# stays bounded; the RSS also counts the Berkeley DB cache pages the
# reads touch, which grow with N up to the cache size). Figures only;
# never a test. Measured here (a loaded 2-core machine, 256 MB cache):
# 100,000 documents, 15.3 MB in 0.8 s, peak RSS 163 MB; 20,000 documents
# 67 MB (what grows with N is the database cache the reads touch). Needs
# tests/bench/bench_list built (make tests/bench/bench_list) and GNU time
# (/usr/bin/time, Debian package time).
# SPDX-License-Identifier: GPL-3.0-or-later
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
n=${1:-100000}
out=$(QUIRE_BENCH_KEEP=1 nice "$top/tests/bench/bench_list" "$n")
printf '%s\n' "$out" | grep -v '^datadir '
db=$(printf '%s\n' "$out" | sed -n 's/^datadir //p')
dir=$(mktemp -d /tmp/quire-bench-listall.XXXXXX)
trap 'rm -rf "$dir" "$db"' EXIT
mv "$db" "$dir/db"   # quire's layout: the environment in DATADIR/db
export QUIRE_CONF="$dir/quire.conf"
printf 'datadir = %s\ndb_cache_mb = %s\n' "$dir" "${QUIRE_BENCH_CACHE_MB:-256}" >"$QUIRE_CONF"
key=$("$top/src/quire-admin" key create --account bench 2>/dev/null)
for run in 1 2; do
	/usr/bin/time -f '%e %M' -o "$dir/time" env REQUEST_METHOD=GET REQUEST_URI=/api/v1/documents \
		QUERY_STRING= GATEWAY_INTERFACE=CGI/1.1 HTTP_AUTHORIZATION="Bearer $key" \
		"$top/src/quire.fcgi" >"$dir/body" 2>/dev/null
	read -r secs kb <"$dir/time"
	docs=$(sed '1,/^\r\{0,1\}$/d' "$dir/body" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["documents"]))')
	echo "whole list, run $run: $docs documents, $(stat -c %s "$dir/body") bytes in $secs s, peak RSS $kb KiB"
done
