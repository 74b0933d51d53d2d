## tests/extract/local.mk
