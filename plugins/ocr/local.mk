## plugins/ocr/local.mk
