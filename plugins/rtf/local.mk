## plugins/rtf/local.mk: RTF through Quire's own parser (iconv for code
## pages); the buffers and converters are the plugins' common ones, list
## numbers the one formatter of plugins/common/listnum.c.
if BUILD_PLUGIN_RTF
pkglib_LTLIBRARIES += plugins/rtf/rtf.la
plugins_rtf_rtf_la_SOURCES = plugins/rtf/rtf.c plugins/rtf/rtf.h \
	plugins/rtf/rtf_parse.c plugins/rtf/rtf_parse.h plugins/rtf/rtf_words.c plugins/rtf/rtf_words.h plugins/rtf/rtf_out.c plugins/rtf/rtf_out.h \
	plugins/rtf/rtf_list.c plugins/rtf/rtf_list.h
plugins_rtf_rtf_la_CFLAGS = $(AM_CFLAGS) $(RTF_CFLAGS)
plugins_rtf_rtf_la_LIBADD = plugins/common/libplugtext.la plugins/common/libplugcommon.la $(RTF_LIBS)
plugins_rtf_rtf_la_LDFLAGS = $(PLUGIN_LDFLAGS)
endif
