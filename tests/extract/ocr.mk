## tests/extract/ocr.mk
