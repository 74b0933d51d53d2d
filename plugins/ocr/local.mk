## plugins/ocr/local.mk: images (PNG, JPEG, GIF, TIFF, BMP, WebP) through
## Tesseract's C API and Leptonica; also the OCR service that the PDF plugin
## reaches through host->ocr for pages without a text layer.
if BUILD_PLUGIN_OCR
pkglib_LTLIBRARIES += plugins/ocr/ocr.la
plugins_ocr_ocr_la_SOURCES = plugins/ocr/ocr.c plugins/ocr/ocr.h plugins/ocr/engine.c plugins/ocr/engine.h \
	plugins/ocr/image.c plugins/ocr/image.h plugins/ocr/bmp.c plugins/ocr/bmp.h plugins/ocr/text.c plugins/ocr/text.h
plugins_ocr_ocr_la_CFLAGS = $(AM_CFLAGS) $(OCR_CFLAGS)
plugins_ocr_ocr_la_LIBADD = $(OCR_LIBS)
plugins_ocr_ocr_la_LDFLAGS = $(PLUGIN_LDFLAGS)
endif
