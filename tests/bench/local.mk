## tests/bench/local.mk
