## tests/extract/text.mk
