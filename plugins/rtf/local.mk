## plugins/rtf/local.mk: RTF through Quire's own parser (iconv for code
## pages); the buffers and converters are shared with the text plugin.
if BUILD_PLUGIN_RTF
pkglib_LTLIBRARIES += plugins/rtf/rtf.la
plugins_rtf_rtf_la_SOURCES = plugins/rtf/rtf.c plugins/rtf/rtf.h \
	plugins/rtf/rtf_parse.c plugins/rtf/rtf_words.c plugins/rtf/rtf_out.c \
	plugins/text/sbuf.c plugins/text/sbuf.h plugins/text/conv.c plugins/text/conv.h \
	plugins/text/input.c plugins/text/input.h plugins/text/emit.c plugins/text/emit.h
plugins_rtf_rtf_la_CFLAGS = $(AM_CFLAGS) $(RTF_CFLAGS)
plugins_rtf_rtf_la_LIBADD = $(RTF_LIBS)
plugins_rtf_rtf_la_LDFLAGS = $(PLUGIN_LDFLAGS)
endif
