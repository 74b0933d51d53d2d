## tests/extract/ooxml.mk
