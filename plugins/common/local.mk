## plugins/common/local.mk: the plugins' shared library (in the manner of
## collectd's libcommon): the capped text buffer, little-endian readers,
## the Excel number-format engine and list labels, linked into each plugin.
noinst_LTLIBRARIES += plugins/common/libplugcommon.la
plugins_common_libplugcommon_la_SOURCES = plugins/common/pbuf.c plugins/common/pbuf.h \
	plugins/common/bytes.h plugins/common/numfmt.c plugins/common/numfmt.h
plugins_common_libplugcommon_la_LIBADD = -lm
