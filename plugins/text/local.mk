## plugins/text/local.mk: plain text, Markdown, CSV and TSV (uchardet finds
## the charset, iconv converts: plugins/common/libplugtext.la, shared with
## the HTML and RTF plugins).
if BUILD_PLUGIN_TEXT
pkglib_LTLIBRARIES += plugins/text/text.la
plugins_text_text_la_SOURCES = plugins/text/text.c plugins/text/text.h \
	plugins/text/plain.c plugins/text/plain.h plugins/text/markdown.c plugins/text/markdown.h plugins/text/mdinline.c \
	plugins/text/mdinline.h plugins/text/csv.c plugins/text/csv.h
plugins_text_text_la_CFLAGS = $(AM_CFLAGS) $(TEXT_CFLAGS)
plugins_text_text_la_LIBADD = plugins/common/libplugtext.la plugins/common/libplugcommon.la $(TEXT_LIBS)
plugins_text_text_la_LDFLAGS = $(PLUGIN_LDFLAGS)
endif
