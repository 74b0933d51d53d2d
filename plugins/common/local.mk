## plugins/common/local.mk: the plugins' shared library (in the manner of
## collectd's libcommon): the capped text buffer, little-endian readers,
## the Excel number-format engine, the BIFF reader and list labels, linked
## into each plugin.
noinst_LTLIBRARIES += plugins/common/libplugcommon.la
plugins_common_libplugcommon_la_SOURCES = plugins/common/pbuf.c plugins/common/pbuf.h \
	plugins/common/bytes.h plugins/common/numfmt.c plugins/common/numfmt.h \
	plugins/common/listnum.c plugins/common/listnum.h plugins/common/embed.h plugins/common/utf8.h \
	plugins/common/biff.c plugins/common/biff.h
plugins_common_libplugcommon_la_LIBADD = $(UTF8PROC_LIBS) -lm

## The text parts shared by the text, HTML and RTF plugins (white space
## folding and UTF-8 repair on the one capped buffer, charset detection
## through uchardet, iconv conversion, the mapped input, emitting blocks),
## built when one of them is; they link libplugcommon.la too, which has the
## buffer itself.
if BUILD_PLUGTEXT
noinst_LTLIBRARIES += plugins/common/libplugtext.la
plugins_common_libplugtext_la_SOURCES = plugins/common/sbuf.c plugins/common/sbuf.h \
	plugins/common/conv.c plugins/common/conv.h plugins/common/detect.c plugins/common/detect.h \
	plugins/common/input.c plugins/common/input.h plugins/common/emit.c plugins/common/emit.h
plugins_common_libplugtext_la_CFLAGS = $(AM_CFLAGS) $(UCHARDET_CFLAGS)
plugins_common_libplugtext_la_LIBADD = $(UCHARDET_LIBS) $(UTF8PROC_LIBS)
endif

## The one OLE2 reader (libgsf), for the legacy and OOXML plugins.
if BUILD_PLUGOLE
noinst_LTLIBRARIES += plugins/common/libplugole.la
plugins_common_libplugole_la_SOURCES = plugins/common/ole.c plugins/common/ole.h
plugins_common_libplugole_la_CFLAGS = $(AM_CFLAGS) $(GSF_CFLAGS)
plugins_common_libplugole_la_LIBADD = $(GSF_LIBS)
endif
