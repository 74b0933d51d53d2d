## tests/extract/pdf.mk: the PDF plugin through quire-extract; when the
## plugin is built on poppler's core API, the poppler-glib binding is built
## as a test plugin and pdf-glib.test runs pdf.test with it.
TESTS += tests/extract/pdf.test tests/extract/pdf-glib.test
if BUILD_PDF_GLIB_CHECK
check_LTLIBRARIES += tests/extract/plugins/pdfglib.la
tests_extract_plugins_pdfglib_la_SOURCES = plugins/pdf/pdf.c plugins/pdf/pdf_text.c \
	plugins/pdf/pdf_text.h plugins/pdf/pdf_doc.h plugins/pdf/pdf_glib.c
tests_extract_plugins_pdfglib_la_CFLAGS = $(AM_CFLAGS) $(PDFGLIB_CFLAGS)
tests_extract_plugins_pdfglib_la_LIBADD = $(PDFGLIB_LIBS) -lm
tests_extract_plugins_pdfglib_la_LDFLAGS = $(PLUGIN_LDFLAGS) -rpath /nowhere
endif
EXTRA_DIST += tests/extract/pdf.test tests/extract/pdf-glib.test tests/fixtures/pdf/gen.py \
	tests/fixtures/pdf/testPDF.pdf tests/fixtures/pdf/testAnnotations.pdf \
	tests/fixtures/pdf/testPDF_no_extract_no_accessibility_owner_empty.pdf \
	tests/fixtures/pdf/testPDF_no_extract_no_accessibility_owner_user.pdf \
	tests/fixtures/pdf/testPDFTwoTextBoxes.pdf tests/fixtures/pdf/testOCR.pdf
