## tests/extract/html.mk: the HTML plugin through quire-extract.
TESTS += tests/extract/html.test
EXTRA_DIST += tests/extract/html.test tests/fixtures/html/NOTICE \
	tests/fixtures/html/gen.py tests/fixtures/html/doc.html
