## plugins/html/local.mk: HTML through libxml2's HTML push parser (SAX, no
## tree); the charset code is the plugins' common one (libplugtext).
if BUILD_PLUGIN_HTML
pkglib_LTLIBRARIES += plugins/html/html.la
plugins_html_html_la_SOURCES = plugins/html/html.c plugins/html/html.h \
	plugins/html/charset.c plugins/html/charset.h plugins/html/walk.c plugins/html/walk.h
plugins_html_html_la_CFLAGS = $(AM_CFLAGS) $(HTML_CFLAGS)
plugins_html_html_la_LIBADD = plugins/common/libplugtext.la plugins/common/libplugcommon.la $(HTML_LIBS)
plugins_html_html_la_LDFLAGS = $(PLUGIN_LDFLAGS)
endif
