## plugins/rtf/local.mk
