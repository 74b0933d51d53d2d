## tests/extract/core.mk
