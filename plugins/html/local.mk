## plugins/html/local.mk
