## tests/extract/ocr.mk: the OCR plugin through quire-extract, and the work bounds of
## multi-page files (bounds.test, files from pages.py); images written
## for Quire (tests/fixtures/ocr/README), gen.py writes the rest at test time.
TESTS += tests/extract/ocr.test tests/extract/bounds.test
EXTRA_DIST += tests/extract/ocr.test tests/extract/bounds.test tests/fixtures/ocr/pages.py \
	tests/fixtures/ocr/gen.py tests/fixtures/ocr/NOTICE \
	tests/fixtures/ocr/page.png tests/fixtures/ocr/page.jpg tests/fixtures/ocr/page.gif \
	tests/fixtures/ocr/page.webp tests/fixtures/ocr/page-1bit.bmp \
	tests/fixtures/ocr/page-rle8.bmp tests/fixtures/ocr/twopage.tif \
	tests/fixtures/ocr/rot90.png tests/fixtures/ocr/blank.png tests/fixtures/ocr/dense1.png
