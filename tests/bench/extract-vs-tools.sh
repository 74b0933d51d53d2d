#!/bin/bash
# tests/bench/extract-vs-tools.sh: quire-extract --text against the stock
# tools on the same inputs: a generated 50-page PDF against pdftotext, a
# generated ~2 MB DOCX against docx2txt. Prints pages/s and MB/s side by side
# and quire-extract's peak RSS (/usr/bin/time -v). Figures only: it never
# fails on time. Not in TESTS.
#   QUIRE_EXTRACT  the extractor (default $top_builddir/ingest/quire-extract)
#   RUNS           repetitions per tool (default 20)
set -u
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${top_builddir:=$top_srcdir}"
QX=${QUIRE_EXTRACT:-$top_builddir/ingest/quire-extract}
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
PY

# timed LABEL CMD...: RUNS runs, prints seconds per run.
timed() {
	local t0 t1 i
	t0=$(date +%s%N)
	for i in $(seq "$RUNS"); do "$@" >/dev/null 2>&1; done
	t1=$(date +%s%N)
	python3 -c "print('%.5f' % (($t1 - $t0) / 1e9 / $RUNS))"
}
rss() { /usr/bin/time -v "$@" 2>&1 >/dev/null | awk -F: '/Maximum resident/ {gsub(/ /, "", $2); print $2}'; }
rate() { python3 -c "print('%.1f' % ($1 / $2))"; }

pdf_mb=$(python3 -c "import os; print(os.path.getsize('$W/bench.pdf') / 1e6)")
docx_mb=$(python3 -c "import os; print(os.path.getsize('$W/bench.docx') / 1e6)")
printf 'inputs: 50-page PDF %.2f MB, DOCX %.2f MB (zipped), %s runs each\n\n' "$pdf_mb" "$docx_mb" "$RUNS"
printf '%-34s %10s %10s %12s\n' tool pages/s MB/s 'peak RSS KB'

if command -v pdftotext >/dev/null; then
	s=$(timed pdftotext "$W/bench.pdf" -)
	printf '%-34s %10s %10s %12s\n' "pdftotext (50-page PDF)" "$(rate 50 "$s")" "$(rate "$pdf_mb" "$s")" "$(rss pdftotext "$W/bench.pdf" -)"
fi
s=$(timed "$QX" --text "$W/bench.pdf")
printf '%-34s %10s %10s %12s\n' "quire-extract (50-page PDF)" "$(rate 50 "$s")" "$(rate "$pdf_mb" "$s")" "$(rss "$QX" --text "$W/bench.pdf")"
if command -v docx2txt >/dev/null; then
	s=$(timed docx2txt "$W/bench.docx" -)
	printf '%-34s %10s %10s %12s\n' "docx2txt (DOCX)" - "$(rate "$docx_mb" "$s")" "$(rss docx2txt "$W/bench.docx" -)"
fi
s=$(timed "$QX" --text "$W/bench.docx")
printf '%-34s %10s %10s %12s\n' "quire-extract (DOCX)" - "$(rate "$docx_mb" "$s")" "$(rss "$QX" --text "$W/bench.docx")"
echo
echo "MB/s counts the input file size (the DOCX zipped)."
