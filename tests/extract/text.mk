## tests/extract/text.mk: the text plugin (TXT, MD, CSV, TSV) through
## quire-extract. blocks.py is shared with html.test and rtf.test.
TESTS += tests/extract/text.test
EXTRA_DIST += tests/extract/text.test tests/fixtures/text/NOTICE \
	tests/fixtures/text/gen.py tests/fixtures/text/blocks.py \
	tests/fixtures/text/plain.txt tests/fixtures/text/doc.md \
	tests/fixtures/text/data.csv tests/fixtures/text/semicolon.csv \
	tests/fixtures/text/data.tsv
