## plugins/legacy/local.mk: Word, PowerPoint and Excel 97-2003 (and 95)
## files: OLE2 containers through libgsf, each format's streams read by our
## own bounds-checked parsers; zlib inflates embedded objects of slides;
## libcrypto (MD5, SHA-1) derives the RC4 and RC4 CryptoAPI keys of
## password-protected files.
if BUILD_PLUGIN_LEGACY
## The readers themselves, a convenience library: the plugin links them,
## and so does the OOXML plugin, which reads the Office 97-2003 objects
## embedded in its documents (embedded workbooks, documents, presentations,
## MS Graph charts) through them rather than a reader of its own. Each
## plugin adds the common libraries itself (linking them here too would
## define their symbols twice in the OOXML plugin).
noinst_LTLIBRARIES += plugins/legacy/libpluglegacy.la
plugins_legacy_libpluglegacy_la_SOURCES = plugins/legacy/legacy.h \
	plugins/legacy/out.c plugins/legacy/out.h plugins/legacy/meta.c plugins/legacy/meta.h \
	plugins/legacy/xls.c plugins/legacy/xls.h \
	plugins/legacy/ppt.c plugins/legacy/ppt.h plugins/legacy/embed.c plugins/legacy/embed.h \
	plugins/legacy/doc.c plugins/legacy/doc.h plugins/legacy/docpap.c plugins/legacy/docpap.h \
	plugins/legacy/doclist.c plugins/legacy/doclist.h plugins/legacy/doccp.c plugins/legacy/doccp.h plugins/legacy/docrypt.c plugins/legacy/docrypt.h plugins/legacy/rc4.c plugins/legacy/rc4.h \
	plugins/legacy/crypt.c plugins/legacy/crypt.h plugins/legacy/xlscrypt.c plugins/legacy/xlscrypt.h plugins/legacy/pptcrypt.c plugins/legacy/pptcrypt.h \
	plugins/legacy/metro.c plugins/legacy/metro.h plugins/legacy/wp42.c plugins/legacy/wp42.h
plugins_legacy_libpluglegacy_la_CFLAGS = $(AM_CFLAGS) $(LEGACY_CFLAGS) $(CRYPTO_CFLAGS)
pkglib_LTLIBRARIES += plugins/legacy/legacy.la
plugins_legacy_legacy_la_SOURCES = plugins/legacy/legacy.c plugins/legacy/legacy.h
plugins_legacy_legacy_la_CFLAGS = $(AM_CFLAGS) $(LEGACY_CFLAGS) $(CRYPTO_CFLAGS)
plugins_legacy_legacy_la_LIBADD = plugins/legacy/libpluglegacy.la plugins/common/libplugcommon.la \
	plugins/common/libplugole.la $(LEGACY_LIBS) $(CRYPTO_LIBS) -lm
plugins_legacy_legacy_la_LDFLAGS = $(PLUGIN_LDFLAGS)
endif
