#!/bin/bash
# tests/bench/blank-pages.sh: what hostile multi-page files cost quire-extract
# (the work bounds): blank PDF pages without a text layer (a 48 dpi
# preview finds no ink, nothing is rendered for OCR or sent to Tesseract),
# blank 300-dpi bilevel TIFF pages (bits counted, no Tesseract), text
# TIFF pages read by Tesseract for comparison, and a file over the page cap
# (refused before its first page). Prints pages/s and wall time per file.
# Figures only: it never fails on time. Not in TESTS.
#   QUIRE_EXTRACT  the extractor (default $top_builddir/extract/quire-extract)
#   PAGES          pages of each blank file (default 500)
# SPDX-License-Identifier: GPL-3.0-or-later
set -u
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${top_builddir:=$top_srcdir}"
QX=${QUIRE_EXTRACT:-$top_builddir/extract/quire-extract}
PAGES=${PAGES:-500}
[ -x "$QX" ] || { echo "skip: $QX not built"; exit 77; }
if [ -z "${QUIRE_PLUGIN_DIR:-}" ]; then
	QUIRE_PLUGIN_DIR=$(mktemp -d /tmp/quire-bench-plugins.XXXXXX)
	for so in "$top_builddir"/plugins/*/.libs/*.so; do ln -sf "$so" "$QUIRE_PLUGIN_DIR/"; done
	export QUIRE_PLUGIN_DIR
fi
W=$(mktemp -d /tmp/quire-bench.XXXXXX)
trap 'rm -rf "$W"' EXIT

PYTHONDONTWRITEBYTECODE=1 python3 - "$top_srcdir/tests/fixtures/ocr" "$W" "$PAGES" <<'PY'
import importlib.util, os, sys
spec = importlib.util.spec_from_file_location("pages", os.path.join(sys.argv[1], "pages.py"))
m = importlib.util.module_from_spec(spec)
spec.loader.exec_module(m)
out, n = sys.argv[2], int(sys.argv[3])
w, h = 2550, 3300                     # a letter page at 300 dpi
rows = [[0] * w for _ in range(h)]
rows[100][100] = rows[2000][1500] = 1  # dust
blank = (w, h, m.page_bytes(w, rows))
tw, th, trows = m.read_1bit(os.path.join(sys.argv[1], "page-1bit.bmp"))
text = (tw, th, m.page_bytes(tw, trows))
open(os.path.join(out, "blank.pdf"), "wb").write(m.pdf(n))
open(os.path.join(out, "blank.tif"), "wb").write(m.tiff([blank] * n))
open(os.path.join(out, "text.tif"), "wb").write(m.tiff([text] * 10))
open(os.path.join(out, "over.pdf"), "wb").write(m.pdf(30000))
PY

one() {  # one FILE PAGES WHAT [limits...]
	local f=$1 n=$2 what=$3 t0 t1 rc; shift 3
	t0=$(date +%s%N)
	"$QX" "$@" "$W/$f" >/dev/null 2>&1; rc=$?
	t1=$(date +%s%N)
	awk -v ms=$(( (t1 - t0) / 1000000 )) -v n="$n" -v w="$what" -v rc="$rc" \
		'BEGIN { printf "%-44s %8d ms  %10.1f pages/s  (exit %d)\n", w, ms, ms ? n * 1000 / ms : 0, rc }'
}
echo "quire-extract on hostile multi-page files ($PAGES blank pages each)"
one blank.pdf "$PAGES" "PDF, blank pages without text layer"
one blank.tif "$PAGES" "TIFF, blank 300-dpi bilevel pages"
one text.tif 10 "TIFF, text pages (Tesseract, for scale)"
one over.pdf 30000 "PDF of 30,000 pages over the 5,000 cap"
