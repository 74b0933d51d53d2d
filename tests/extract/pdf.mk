## tests/extract/pdf.mk: the PDF plugin through quire-extract; the
## bindings the plugin is not built on (poppler-glib, poppler-cpp) are
## built as test plugins and pdf-glib.test, pdf-cpp.test run pdf.test with
## them.
TESTS += tests/extract/pdf.test tests/extract/pdf-glib.test tests/extract/pdf-cpp.test
if BUILD_PDF_GLIB_CHECK
check_LTLIBRARIES += tests/extract/plugins/pdfglib.la
tests_extract_plugins_pdfglib_la_SOURCES = plugins/pdf/pdf.c plugins/pdf/pdf_text.c \
	plugins/pdf/pdf_text.h plugins/pdf/pdf_doc.h plugins/pdf/pdf_glib.c \
	plugins/pdf/pdf_gcommon.c plugins/pdf/pdf_gcommon.h
tests_extract_plugins_pdfglib_la_CFLAGS = $(AM_CFLAGS) $(PDFGLIB_CFLAGS)
tests_extract_plugins_pdfglib_la_LIBADD = $(PDFGLIB_LIBS) -lm
tests_extract_plugins_pdfglib_la_LDFLAGS = $(PLUGIN_LDFLAGS) -rpath /nowhere
endif
if BUILD_PDF_CPP_CHECK
check_LTLIBRARIES += tests/extract/plugins/pdfcpp.la
tests_extract_plugins_pdfcpp_la_SOURCES = plugins/pdf/pdf.c plugins/pdf/pdf_text.c \
	plugins/pdf/pdf_text.h plugins/pdf/pdf_doc.h plugins/pdf/pdf_cpp.cc \
	plugins/pdf/pdf_gcommon.c plugins/pdf/pdf_gcommon.h
tests_extract_plugins_pdfcpp_la_CFLAGS = $(AM_CFLAGS) $(PDFCPP_CFLAGS)
tests_extract_plugins_pdfcpp_la_CXXFLAGS = $(AM_CXXFLAGS) $(PDFCPP_CFLAGS) -Wall -Wextra \
	-Wno-unused-parameter
tests_extract_plugins_pdfcpp_la_LIBADD = $(PDFCPP_LIBS) -lm
tests_extract_plugins_pdfcpp_la_LDFLAGS = $(PLUGIN_LDFLAGS) -rpath /nowhere \
	-Wl,--version-script=$(top_srcdir)/plugins/pdf/pdf.sym
endif
EXTRA_DIST += tests/extract/pdf.test tests/extract/pdf-glib.test tests/extract/pdf-cpp.test tests/fixtures/pdf/gen.py \
	tests/fixtures/pdf/testPDF.pdf tests/fixtures/pdf/testAnnotations.pdf \
	tests/fixtures/pdf/testPDF_no_extract_no_accessibility_owner_empty.pdf \
	tests/fixtures/pdf/testPDF_no_extract_no_accessibility_owner_user.pdf \
	tests/fixtures/pdf/testPDFTwoTextBoxes.pdf tests/fixtures/pdf/testOCR.pdf
