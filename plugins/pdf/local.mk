## plugins/pdf/local.mk: PDF through poppler-glib, poppler's public C API
## (pdf_doc.c); pages without a text layer are rendered with cairo and
## handed to the host's OCR.
if BUILD_PLUGIN_PDF
pkglib_LTLIBRARIES += plugins/pdf/pdf.la
plugins_pdf_pdf_la_SOURCES = plugins/pdf/pdf.c plugins/pdf/pdf_text.c plugins/pdf/pdf_text.h \
	plugins/pdf/pdf_doc.c plugins/pdf/pdf_doc.h
plugins_pdf_pdf_la_CFLAGS = $(AM_CFLAGS) $(PDF_CFLAGS)
plugins_pdf_pdf_la_LIBADD = $(PDF_LIBS) -lm
plugins_pdf_pdf_la_LDFLAGS = $(PLUGIN_LDFLAGS)
endif
