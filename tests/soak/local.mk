## tests/soak/local.mk: the soak (docs/reliability.md D16), outside make check:
## "make soak" (QUIRE_SOAK_CYCLES kills, default 1000, bounded by
## QUIRE_SOAK_SECONDS, default 1500) at nice 19; prints the figures as TAP.
EXTRA_DIST += tests/soak/soak.sh
soak: all
	$(AM_TESTS_ENVIRONMENT) QUIRE_TEST_TMP=$${QUIRE_TEST_TMP:-/var/tmp} nice -n 19 bash $(top_srcdir)/tests/soak/soak.sh
.PHONY: soak
