## plugins/legacy/local.mk
