## tests/extract/rtf.mk
