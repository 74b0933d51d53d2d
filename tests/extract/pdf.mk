## tests/extract/pdf.mk: the PDF plugin through quire-extract.
TESTS += tests/extract/pdf.test
EXTRA_DIST += tests/extract/pdf.test tests/fixtures/pdf/gen.py \
	tests/fixtures/pdf/testPDF.pdf tests/fixtures/pdf/testAnnotations.pdf \
	tests/fixtures/pdf/testPDF_no_extract_no_accessibility_owner_empty.pdf \
	tests/fixtures/pdf/testPDF_no_extract_no_accessibility_owner_user.pdf \
	tests/fixtures/pdf/testPDFTwoTextBoxes.pdf tests/fixtures/pdf/testOCR.pdf
