## tests/unit/local.mk
