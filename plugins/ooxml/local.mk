## plugins/ooxml/local.mk: DOCX, PPTX and XLSX (and ODT) through libzip and the
## libxml2 streaming reader, with the archive checked before it is read;
## libcrypto decrypts encrypted packages; OLE2 wrappers (encrypted packages,
## embedded objects) are read by libgsf (plugins/common/ole.c).
if BUILD_PLUGIN_OOXML
pkglib_LTLIBRARIES += plugins/ooxml/ooxml.la
plugins_ooxml_ooxml_la_SOURCES = plugins/ooxml/ooxml.c plugins/ooxml/ooxml.h \
	plugins/ooxml/zipguard.c plugins/ooxml/zipguard.h plugins/ooxml/xml.c plugins/ooxml/xml.h plugins/ooxml/rels.c plugins/ooxml/rels.h \
	plugins/ooxml/walk.c plugins/ooxml/walk.h plugins/ooxml/docx.c plugins/ooxml/docx.h plugins/ooxml/pptx.c plugins/ooxml/pptx.h \
	plugins/ooxml/xlsx.c plugins/ooxml/xlsx.h \
	plugins/ooxml/decrypt.c plugins/ooxml/decrypt.h \
	plugins/ooxml/ole.c plugins/ooxml/ole.h plugins/ooxml/odt.c plugins/ooxml/odt.h plugins/ooxml/numbering.c plugins/ooxml/numbering.h plugins/ooxml/odtlist.c plugins/ooxml/odtlist.h plugins/ooxml/objects.c plugins/ooxml/objects.h plugins/ooxml/embed.c plugins/ooxml/embed.h \
	plugins/ooxml/altchunk.c plugins/ooxml/altchunk.h plugins/ooxml/xlsb.c plugins/ooxml/xlsb.h plugins/ooxml/flat.c plugins/ooxml/flat.h
plugins_ooxml_ooxml_la_CFLAGS = $(AM_CFLAGS) $(OOXML_CFLAGS) $(CRYPTO_CFLAGS)
plugins_ooxml_ooxml_la_LIBADD = plugins/common/libplugcommon.la plugins/common/libplugole.la $(OOXML_LIBS) $(CRYPTO_LIBS) -lm
plugins_ooxml_ooxml_la_LDFLAGS = $(PLUGIN_LDFLAGS)
## Office 97-2003 objects embedded in a package are read by the legacy
## plugin's readers (plugins/legacy/libpluglegacy.la) when it is built.
if BUILD_PLUGIN_LEGACY
plugins_ooxml_ooxml_la_CFLAGS += -DOX_LEGACY_READERS $(LEGACY_CFLAGS)
plugins_ooxml_ooxml_la_LIBADD += plugins/legacy/libpluglegacy.la $(LEGACY_LIBS)
endif
endif
