# tests/extract/xlib.sh: what the extraction tests share, sourced after
# tests/lib.sh: quire-extract and its exit codes, a test directory with the
# built plugins (kept when QUIRE_KEEP_TEST_DIR is set, like every test's),
# running a file, looking for text in the output (a failing check prints
# what was looked for and what came out), hostile files, and the corpus.
# SPDX-License-Identifier: GPL-3.0-or-later
QX="$top_builddir/extract/quire-extract"
# the shared corpus beside the checkout (../shared), where there is one
CORPUS="${QUIRE_CORPUS:-$top_srcdir/../shared/corpus}"
[ -d "$CORPUS" ] || [ -n "${QUIRE_CORPUS:-}" ] || CORPUS=/work/shared/corpus
BLOCKS="$top_srcdir/tests/fixtures/text/blocks.py"
EX_UNSUPPORTED=10 EX_ENCRYPTED=11 EX_CORRUPT=12 EX_TOO_LARGE=13 EX_TIMEOUT=14
EX_EMPTY=15 EX_INTERNAL=16
XTIMEOUT=${XTIMEOUT:-60}

# xsetup NAME [SUBDIR...]: T=/tmp/quire-NAME.XXXXXX with logs/, plugins/
# (every built plugin, QUIRE_PLUGIN_DIR) and the SUBDIRs. lib.sh's exit
# trap removes it.
xsetup() {
	T=$(mktemp -d "/tmp/quire-$1.XXXXXX") || bail "mktemp failed"
	shift
	mkdir -p "$T/logs"
	for d in "$@"; do mkdir -p "$T/$d"; done
	plugin_dir "$T/plugins"
}

# xneed_qx: skip the rest when quire-extract is not built (the plugin's own
# checks before it still count).
xneed_qx() {
	[ -x "$QX" ] && return 0
	ok 0 "# SKIP quire-extract not built yet"
	done_testing
	exit 0
}

# run FILE [--json] [quire-extract options]: --text output (the JSON Lines
# with --json) in OUT, the exit code in RC, wall milliseconds in MS;
# stderr goes to $T/logs/stderr.
run() {
	local f=$1 t0 mode=--text; shift
	[ "${1:-}" = --json ] && { mode=; shift; }
	t0=$(date +%s%N)
	OUT=$(timeout "$XTIMEOUT" "$QX" $mode "$@" "$f" 2>>"$T/logs/stderr")
	RC=$?
	MS=$(( ($(date +%s%N) - t0) / 1000000 ))
}

# norm: runs of white space (U+00A0 and tabs included) as one space
norm() { sed 's/\xc2\xa0/ /g' | tr -s ' \n\f\r\t' ' '; }
# has STRING: STRING is in OUT, white space normalised
has() {
	XLOOKED="text '$1'"
	printf '%s' "$OUT" | norm | grep -qF -- "$(printf '%s' "$1" | norm)"
}
# line STRING: a whole line of OUT, tabs kept
line() {
	XLOOKED="the line '$1'"
	printf '%s\n' "$OUT" | grep -qxF -- "$1"
}
# exact STRING: STRING in OUT as is
exact() {
	XLOOKED="exactly '$1'"
	printf '%s' "$OUT" | grep -qF -- "$1"
}
# in_order STRING...: each string on a line of OUT, on later lines in turn
in_order() {
	local at=0 n
	XLOOKED="in this order: $*"
	for s in "$@"; do
		n=$(printf '%s\n' "$OUT" | awk -v from="$at" -v s="$s" 'NR > from && index($0, s) { print NR; exit }')
		[ -n "$n" ] || return 1
		at=$n
	done
}
# block ARGS: tests/fixtures/text/blocks.py over OUT (JSON Lines)
block() { printf '%s\n' "$OUT" | python3 "$BLOCKS" "$@"; }

# ok wraps lib.sh's: after a failing check that looked in OUT (has, line,
# exact), say what was looked for and what came out.
eval "lib_ok() $(declare -f ok | tail -n +2)"
ok() {
	lib_ok "$@"
	if [ "$1" -ne 0 ] && [ -n "${XLOOKED:-}" ]; then
		diag "  looked for $XLOOKED"
		diag "  in the output (RC ${RC:-?}): '$(printf '%s' "${OUT:-}" | norm | cut -c1-600)'"
	fi
	XLOOKED=
}

# bad FILE CODE DESCRIPTION [options]: a hostile or broken file ends in its
# exit code, and is not left running (well inside the run's timeout).
bad() {
	local f=$1 code=$2 what=$3; shift 3
	run "$f" "$@"
	is "$RC" "$code" "$what: exit $code"
	[ "$MS" -lt 10000 ]; ok $? "$what: done in ${MS} ms (< 10 s)"
}

# corpus FMT [PERCENT]: at least PERCENT (90) of the shared corpus's FMT
# files pass the corpus's score.py; skipped where ../shared is not there.
corpus() {
	local out line pct=${2:-90}
	if [ ! -f "$CORPUS/score.py" ]; then
		ok 0 "# SKIP no corpus at $CORPUS"
		return
	fi
	out=$(python3 "$CORPUS/score.py" --only "$1" -- env QUIRE_PLUGIN_DIR="$T/plugins" "$QX" --text)
	printf '%s\n' "$out" | grep '^FAIL' | sed 's/^/# /'
	line=$(printf '%s\n' "$out" | awk -F'\t' -v f="$1" '$1 == f {print $2}')
	[ -n "$line" ] && [ "${line#*/}" -gt 0 ] && [ $(( ${line%/*} * 100 )) -ge $(( ${line#*/} * pct )) ]
	ok $? "corpus $1: ${line:-no rows} files pass (at least $pct%)"
}
