## tests/extract/local.mk: quire-extract and the plugins; one part per owner.
include tests/extract/core.mk
include tests/extract/text.mk
include tests/extract/html.mk
include tests/extract/rtf.mk
include tests/extract/ooxml.mk
include tests/extract/pdf.mk
include tests/extract/ocr.mk
include tests/extract/legacy.mk
EXTRA_DIST += tests/extract/xlib.sh
# jansson-style cases: a folder each under tests/fixtures/cases
TESTS += tests/extract/cases.test
EXTRA_DIST += tests/extract/cases.test tests/fixtures/cases
## hostile documents of the reliability matrix (docs/reliability.md)
TESTS += tests/extract/matrix.test
EXTRA_DIST += tests/extract/matrix.test tests/extract/matrix-gen.py
