## plugins/html/local.mk: HTML through libxml2's HTML push parser (SAX, no
## tree); the charset code is shared with the text plugin.
if BUILD_PLUGIN_HTML
pkglib_LTLIBRARIES += plugins/html/html.la
plugins_html_html_la_SOURCES = plugins/html/html.c plugins/html/html.h \
	plugins/html/charset.c plugins/html/walk.c \
	plugins/text/sbuf.c plugins/text/sbuf.h plugins/text/conv.c plugins/text/conv.h \
	plugins/text/detect.c plugins/text/detect.h plugins/text/input.c plugins/text/input.h \
	plugins/text/emit.c plugins/text/emit.h
plugins_html_html_la_CFLAGS = $(AM_CFLAGS) $(HTML_CFLAGS)
plugins_html_html_la_LIBADD = $(HTML_LIBS)
plugins_html_html_la_LDFLAGS = $(PLUGIN_LDFLAGS)
endif
