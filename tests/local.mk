## tests/local.mk: make check. Every test speaks TAP through automake's driver.
LOG_DRIVER = env AM_TAP_AWK='$(AWK)' $(SHELL) $(top_srcdir)/build-aux/tap-driver.sh
TEST_EXTENSIONS = .test
TEST_LOG_DRIVER = $(LOG_DRIVER)
AM_TESTS_ENVIRONMENT = \
	top_srcdir='$(abs_top_srcdir)'; top_builddir='$(abs_top_builddir)'; \
	export top_srcdir top_builddir; \
	LIGHTTPD='$(LIGHTTPD)'; APACHE2='$(APACHE2)'; NODE='$(NODE)'; \
	export LIGHTTPD APACHE2 NODE; \
	sbindir='$(sbindir)'; export sbindir;
include tests/unit/local.mk
include tests/api/local.mk
include tests/soak/local.mk
include tests/extract/local.mk
include tests/bench/local.mk
include tests/bench/lead.mk
include tests/embed/embed.mk
include tests/chat/local.mk
include tests/upload/local.mk
include tests/faults/local.mk
include tests/fuzz/local.mk
include tests/install/local.mk
