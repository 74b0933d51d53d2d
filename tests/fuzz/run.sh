#!/bin/sh
# run.sh: one bounded libFuzzer run of a target built in tests/fuzz/.
#   run.sh TOP_SRCDIR NAME SECONDS
# Seeds: tests/fuzz/corpus/NAME and, for a plugin, its tests/fixtures
# folder; new inputs go to tests/fuzz/found-NAME, crashes to tests/fuzz/.
# SPDX-License-Identifier: GPL-3.0-or-later
set -e
top=$1 name=$2 secs=$3
seeds="$top/tests/fuzz/corpus/$name"
[ -d "$top/tests/fixtures/$name" ] && seeds="$seeds $top/tests/fixtures/$name"
dict=
[ -f "$top/tests/fuzz/$name.dict" ] && dict="-dict=$top/tests/fuzz/$name.dict"
mkdir -p "tests/fuzz/found-$name"
echo "fuzz: $name for $secs s"
# shellcheck disable=SC2086
exec "tests/fuzz/fuzz_$name" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
	-max_len=262144 -print_final_stats=1 $dict -artifact_prefix=tests/fuzz/ \
	"tests/fuzz/found-$name" $seeds
