#!/bin/bash
# tests/bench/extract-vs-tools.sh: quire-extract --text against the stock
# tools on the same inputs: a generated 50-page PDF against pdftotext, a
# generated ~2 MB DOCX against docx2txt, a generated ~2 MB HTML page against
# pandoc, one 300-dpi page image against the tesseract command (both with
# OMP_THREAD_LIMIT=1). Targets: PDF >= 1.0x pdftotext, DOCX >= 2x docx2txt,
# HTML >= 20x pandoc, OCR within 1.2x of tesseract. Prints pages/s and MB/s side by side
# and quire-extract's peak RSS (/usr/bin/time -v). Figures only: it never
# fails on time. Not in TESTS.
#   QUIRE_EXTRACT  the extractor (default $top_builddir/extract/quire-extract)
#   RUNS           repetitions per tool (default 20)
# SPDX-License-Identifier: GPL-3.0-or-later
set -u
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${top_builddir:=$top_srcdir}"
QX=${QUIRE_EXTRACT:-$top_builddir/extract/quire-extract}
RUNS=${RUNS:-20}
[ -x "$QX" ] || { echo "skip: $QX not built"; exit 77; }
if [ -z "${QUIRE_PLUGIN_DIR:-}" ]; then
	QUIRE_PLUGIN_DIR=$(mktemp -d /tmp/quire-bench-plugins.XXXXXX)
	for so in "$top_builddir"/plugins/*/.libs/*.so; do ln -sf "$so" "$QUIRE_PLUGIN_DIR/"; done
	export QUIRE_PLUGIN_DIR
fi
W=$(mktemp -d /tmp/quire-bench.XXXXXX)
trap 'rm -rf "$W"' EXIT

PYTHONDONTWRITEBYTECODE=1 python3 - "$top_srcdir/tests/fixtures/pdf" "$W" <<'PY'
import sys, zipfile, random
sys.path.insert(0, sys.argv[1])
from gen import pdf
out = sys.argv[2]
random.seed(7)
words = ('knowledge base extraction plugin archive stream reader paragraph heading table '
         'sandbox limit archive document search chunk embed vector index token page text').split()
def line():
    return ' '.join(random.choice(words) for _ in range(12))
pages = [[line() if (i % 8) else '' for i in range(48)] for _ in range(50)]
open(out + '/bench.pdf', 'wb').write(pdf(pages))
W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
body = ''.join('<w:p><w:r><w:t>%s %s</w:t></w:r></w:p>' % (line(), line()) for _ in range(40000))
R = 'http://schemas.openxmlformats.org'
with zipfile.ZipFile(out + '/bench.docx', 'w', zipfile.ZIP_DEFLATED) as z:
    z.writestr('[Content_Types].xml', '<?xml version="1.0"?><Types xmlns="%s/package/2006/content-types">'
               '<Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" '
               'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>' % R)
    z.writestr('_rels/.rels', '<?xml version="1.0"?><Relationships xmlns="%s/package/2006/relationships">'
               '<Relationship Id="rId1" Type="%s/officeDocument/2006/relationships/officeDocument" '
               'Target="word/document.xml"/></Relationships>' % (R, R))
    z.writestr('word/document.xml', '<?xml version="1.0"?><w:document %s><w:body>%s</w:body></w:document>' % (W, body))
html = ['<!DOCTYPE html><html><head><meta charset="utf-8"><title>bench</title></head><body>']
for i in range(6000):
    if i % 20 == 0:
        html.append('<h2>Section %d</h2>' % i)
    html.append('<p>%s <b>%s</b> %s</p>' % (line(), line(), line()))
    if i % 50 == 0:
        html.append('<table><tr><th>a</th><th>b</th></tr><tr><td>%s</td><td>%s</td></tr></table>' % (line(), line()))
html.append('</body></html>')
open(out + '/bench.html', 'w').write('\n'.join(html))
PY
command -v pdftoppm >/dev/null && pdftoppm -r 300 -f 1 -l 1 -png "$W/bench.pdf" "$W/page" && mv "$W"/page*.png "$W/page.png"

# timed CMD...: RUNS runs, prints seconds per run; "failed" (and the
# command on stderr) when the first run exits non-zero or prints nothing, so
# a broken extractor cannot look fast.
timed() {
	local t0 t1 i out
	out=$("$@" 2>/dev/null | head -c 4096 | wc -c) || true
	if ! "$@" >/dev/null 2>&1 || [ "${out:-0}" -lt 16 ]; then
		echo "failed: $*" >&2
		echo failed
		return
	fi
	t0=$(date +%s%N)
	for i in $(seq "$RUNS"); do "$@" >/dev/null 2>&1; done
	t1=$(date +%s%N)
	python3 -c "print('%.5f' % (($t1 - $t0) / 1e9 / $RUNS))"
}
# ratio NAME TOOL_S QUIRE_S TARGET: how many times faster quire-extract is.
declare -a SUMMARY=()
ratio() {
	[ "$2" = failed ] || [ "$3" = failed ] && { SUMMARY+=("$1: not measured (a run failed)"); return; }
	SUMMARY+=("$(python3 -c "r = $2 / $3; print('%s: quire-extract %.2fx the tool (target >= %sx) %s' % ('$1', r, '$4', 'met' if r >= $4 else 'BELOW TARGET'))")")
}
rss() { /usr/bin/time -v "$@" 2>&1 >/dev/null | awk -F: '/Maximum resident/ {gsub(/ /, "", $2); print $2}'; }
rate() { [ "$2" = failed ] && { echo failed; return; }; python3 -c "print('%.1f' % ($1 / $2))"; }

pdf_mb=$(python3 -c "import os; print(os.path.getsize('$W/bench.pdf') / 1e6)")
docx_mb=$(python3 -c "import os; print(os.path.getsize('$W/bench.docx') / 1e6)")
printf 'inputs: 50-page PDF %.2f MB, DOCX %.2f MB (zipped), %s runs each\n\n' "$pdf_mb" "$docx_mb" "$RUNS"
printf '%-34s %10s %10s %12s\n' tool pages/s MB/s 'peak RSS KB'

if command -v pdftotext >/dev/null; then
	s=$(timed pdftotext "$W/bench.pdf" -); tool_s=$s
	printf '%-34s %10s %10s %12s\n' "pdftotext (50-page PDF)" "$(rate 50 "$s")" "$(rate "$pdf_mb" "$s")" "$(rss pdftotext "$W/bench.pdf" -)"
fi
s=$(timed "$QX" --text "$W/bench.pdf")
printf '%-34s %10s %10s %12s\n' "quire-extract (50-page PDF)" "$(rate 50 "$s")" "$(rate "$pdf_mb" "$s")" "$(rss "$QX" --text "$W/bench.pdf")"
[ -n "${tool_s:-}" ] && ratio "PDF vs pdftotext" "$tool_s" "$s" 1.0; tool_s=
if command -v docx2txt >/dev/null; then
	s=$(timed docx2txt "$W/bench.docx" -); tool_s=$s
	printf '%-34s %10s %10s %12s\n' "docx2txt (DOCX)" - "$(rate "$docx_mb" "$s")" "$(rss docx2txt "$W/bench.docx" -)"
fi
s=$(timed "$QX" --text "$W/bench.docx")
printf '%-34s %10s %10s %12s\n' "quire-extract (DOCX)" - "$(rate "$docx_mb" "$s")" "$(rss "$QX" --text "$W/bench.docx")"
[ -n "${tool_s:-}" ] && ratio "DOCX vs docx2txt" "$tool_s" "$s" 2.0; tool_s=
html_mb=$(python3 -c "import os; print(os.path.getsize('$W/bench.html') / 1e6)")
if command -v pandoc >/dev/null; then
	s=$(RUNS=$(( RUNS < 3 ? RUNS : 3 )) timed pandoc -f html -t plain "$W/bench.html"); tool_s=$s
	printf '%-34s %10s %10s %12s\n' "pandoc (HTML)" - "$(rate "$html_mb" "$s")" "$(rss pandoc -f html -t plain "$W/bench.html")"
fi
s=$(timed "$QX" --text "$W/bench.html")
printf '%-34s %10s %10s %12s\n' "quire-extract (HTML)" - "$(rate "$html_mb" "$s")" "$(rss "$QX" --text "$W/bench.html")"
[ -n "${tool_s:-}" ] && ratio "HTML vs pandoc" "$tool_s" "$s" 20; tool_s=
if [ -f "$W/page.png" ]; then
	export OMP_THREAD_LIMIT=1
	if command -v tesseract >/dev/null; then
		s=$(RUNS=3 timed tesseract "$W/page.png" -); tool_s=$s
		printf '%-34s %10s %10s %12s\n' "tesseract (1 page, 300 dpi)" "$(rate 1 "$s")" - "$(rss tesseract "$W/page.png" -)"
	fi
	s=$(RUNS=3 timed "$QX" --text "$W/page.png")
	printf '%-34s %10s %10s %12s\n' "quire-extract (1 page image)" "$(rate 1 "$s")" - "$(rss "$QX" --text "$W/page.png")"
	if [ -n "${tool_s:-}" ] && [ "$tool_s" != failed ] && [ "$s" != failed ]; then
		SUMMARY+=("$(python3 -c "t = $s / $tool_s; print('OCR vs tesseract: %.2f s vs %.2f s a page, quire-extract takes %.2fx its time (target <= 1.2x) %s' % ($s, $tool_s, t, 'met' if t <= 1.2 else 'BELOW TARGET'))")")
	fi
else
	SUMMARY+=("OCR vs tesseract: not measured (pdftoppm, from poppler-utils, renders the page)")
fi
echo
echo "MB/s counts the input file size (the DOCX zipped)."
echo
for l in "${SUMMARY[@]}"; do echo "$l"; done
