## plugins/pdf/local.mk: PDF through poppler, by one of three bindings
## behind pdf_doc.h (configure --with-poppler-api): pdf_doc.cc on poppler's
## core C++ API (headers from libpoppler-private-dev; pages rendered for
## OCR with Splash), pdf_cpp.cc on poppler-cpp and poppler-glib, public
## APIs (pages rendered with Splash), or pdf_glib.c on poppler-glib, the
## public C API (pages rendered with cairo). The version script keeps the exports to the entry
## point either way (a C++ link keeps only the static symbol table to
## -export-symbols-regex).
if BUILD_PLUGIN_PDF
pkglib_LTLIBRARIES += plugins/pdf/pdf.la
plugins_pdf_pdf_la_SOURCES = plugins/pdf/pdf.c plugins/pdf/pdf_text.c plugins/pdf/pdf_text.h \
	plugins/pdf/pdf_doc.h
if PDF_POPPLER_CORE
plugins_pdf_pdf_la_SOURCES += plugins/pdf/pdf_doc.cc
else
if PDF_POPPLER_CPP
plugins_pdf_pdf_la_SOURCES += plugins/pdf/pdf_cpp.cc plugins/pdf/pdf_gcommon.c plugins/pdf/pdf_gcommon.h
else
plugins_pdf_pdf_la_SOURCES += plugins/pdf/pdf_glib.c plugins/pdf/pdf_gcommon.c plugins/pdf/pdf_gcommon.h
endif
endif
plugins_pdf_pdf_la_CFLAGS = $(AM_CFLAGS) $(PDF_CFLAGS)
plugins_pdf_pdf_la_CXXFLAGS = $(AM_CXXFLAGS) $(PDF_CFLAGS) -Wall -Wextra -Wno-unused-parameter
plugins_pdf_pdf_la_LIBADD = $(PDF_LIBS) -lm
plugins_pdf_pdf_la_LDFLAGS = $(PLUGIN_LDFLAGS) \
	-Wl,--version-script=$(top_srcdir)/plugins/pdf/pdf.sym
EXTRA_plugins_pdf_pdf_la_DEPENDENCIES = plugins/pdf/pdf.sym
endif
EXTRA_DIST += plugins/pdf/pdf.sym
