## plugins/text/local.mk
