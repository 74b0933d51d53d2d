## tests/extract/html.mk
