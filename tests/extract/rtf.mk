## tests/extract/rtf.mk: the RTF plugin through quire-extract.
TESTS += tests/extract/rtf.test
EXTRA_DIST += tests/extract/rtf.test tests/fixtures/rtf/NOTICE \
	tests/fixtures/rtf/gen.py tests/fixtures/rtf/doc.rtf tests/fixtures/rtf/spec.rtf \
	tests/fixtures/rtf/cp932.rtf tests/fixtures/rtf/cp936.rtf tests/fixtures/rtf/scripts.rtf \
	tests/fixtures/rtf/lists.rtf
