## plugins/pdf/local.mk: PDF through poppler's core API (C++, in
## pdf_doc.cc; the headers come with libpoppler-private-dev); pages without
## a text layer are rendered with poppler's Splash and handed to the host's
## OCR.
if BUILD_PLUGIN_PDF
pkglib_LTLIBRARIES += plugins/pdf/pdf.la
plugins_pdf_pdf_la_SOURCES = plugins/pdf/pdf.c plugins/pdf/pdf_text.c plugins/pdf/pdf_text.h \
	plugins/pdf/pdf_doc.cc plugins/pdf/pdf_doc.h
plugins_pdf_pdf_la_CXXFLAGS = $(AM_CXXFLAGS) $(PDF_CFLAGS) -Wall -Wextra -Wno-unused-parameter
plugins_pdf_pdf_la_LIBADD = $(PDF_LIBS) -lm
plugins_pdf_pdf_la_LDFLAGS = $(PLUGIN_LDFLAGS) \
	-Wl,--version-script=$(top_srcdir)/plugins/pdf/pdf.sym
EXTRA_plugins_pdf_pdf_la_DEPENDENCIES = plugins/pdf/pdf.sym
endif
EXTRA_DIST += plugins/pdf/pdf.sym
