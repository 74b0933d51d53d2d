## tests/api/local.mk
