## tests/extract/legacy.mk: the legacy Office plugin (DOC, PPT, XLS) through
## quire-extract; gen.py writes the generated cases at test time.
TESTS += tests/extract/legacy.test
EXTRA_DIST += tests/extract/legacy.test tests/fixtures/legacy/NOTICE \
	tests/fixtures/legacy/gen.py tests/fixtures/legacy/testWORD_various.doc \
	tests/fixtures/legacy/testWORD6.doc tests/fixtures/legacy/testEXCEL.xls \
	tests/fixtures/legacy/testEXCEL-formats.xls tests/fixtures/legacy/testEXCEL_5.xls \
	tests/fixtures/legacy/testMSChart-govdocs-428996.ppt \
	tests/fixtures/legacy/testEXCEL_protected_passtika.xls \
	tests/fixtures/legacy/testWORD_protected_passtika.doc
## One number-format engine behind XLS and XLSX (both plugins needed).
TESTS += tests/extract/numfmt.test
EXTRA_DIST += tests/extract/numfmt.test tests/fixtures/numfmt/gen.py
## make bench-lodiff: the legacy and RTF readers against LibreOffice on
## documents of its own (tests/bench/lodiff.py; skips without soffice, which
## is never a build or test dependency). LODIFF_ARGS: e.g. --seed 3 --count 40
EXTRA_DIST += tests/bench/lodiff.py
bench-lodiff: all
	d=$$(mktemp -d /tmp/quire-lodiff-plugins.XXXXXX) && \
	for so in $(abs_top_builddir)/plugins/*/.libs/*.so; do ln -sf "$$so" "$$d/"; done && \
	QX='$(abs_top_builddir)/extract/quire-extract' QUIRE_PLUGIN_DIR="$$d" \
		python3 $(top_srcdir)/tests/bench/lodiff.py $(LODIFF_ARGS); \
	rc=$$?; rm -rf "$$d"; exit $$rc
.PHONY: bench-lodiff
