## plugins/ooxml/local.mk
