## plugins/local.mk: one shared object per format family, each built only
## when its library was found (configure's summary shows which).
PLUGIN_LDFLAGS = -module -avoid-version -shared -export-symbols-regex '^quire_plugin_entry$$'
include plugins/common/local.mk
include plugins/text/local.mk
include plugins/html/local.mk
include plugins/rtf/local.mk
include plugins/ooxml/local.mk
include plugins/pdf/local.mk
include plugins/ocr/local.mk
include plugins/legacy/local.mk
