#!/bin/sh
# run.sh: one bounded libFuzzer run of a target built in tests/fuzz/.
#   run.sh TOP_SRCDIR NAME SECONDS
# Seeds: tests/fuzz/corpus/NAME and, for a plugin, its tests/fixtures
# folder; new inputs go to tests/fuzz/found-NAME, crashes to tests/fuzz/.
# SPDX-License-Identifier: GPL-3.0-or-later
set -e
top=$1 name=$2 secs=$3
seeds="$top/tests/fuzz/corpus/$name"
maxlen=262144
# OCR: only its small seeds and short inputs (Tesseract takes seconds on
# the fixture pages; the target caps images at 250000 pixels).
if [ "$name" = ocr ]; then
	maxlen=32768
elif [ -d "$top/tests/fixtures/$name" ]; then
	seeds="$seeds $top/tests/fixtures/$name"
fi
dict=
[ -f "$top/tests/fuzz/$name.dict" ] && dict="-dict=$top/tests/fuzz/$name.dict"
mkdir -p "tests/fuzz/found-$name"
# libgsf's own leaks (tests/fuzz/lsan.supp) are told apart by their full
# stack: the slow unwinder, for the legacy target (all OLE2 through libgsf;
# 6 times slower). For ooxml only in short runs (CI's fuzz-short: a false
# leak report must not fail a build): libxml2's many allocations make it 25
# times slower there, and OLE2 is only its encrypted packages' wrapper.
# OCR too: Tesseract's own leak (lsan.supp) is known by a frame inside it.
slow_unwind=$name
[ "$name" = ooxml ] && [ "$secs" -le 10 ] && slow_unwind=legacy
[ "$name" = ocr ] && slow_unwind=legacy
case $slow_unwind in
legacy)
	LSAN_OPTIONS="suppressions=$top/tests/fuzz/lsan.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
	ASAN_OPTIONS="fast_unwind_on_malloc=0${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
	export LSAN_OPTIONS ASAN_OPTIONS ;;
esac
echo "fuzz: $name for $secs s"
# shellcheck disable=SC2086
exec "tests/fuzz/fuzz_$name" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
	-max_len="$maxlen" -print_final_stats=1 $dict -artifact_prefix=tests/fuzz/ \
	"tests/fuzz/found-$name" $seeds
