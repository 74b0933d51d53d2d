## tests/extract/legacy.mk
