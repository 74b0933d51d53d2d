## plugins/pdf/local.mk
