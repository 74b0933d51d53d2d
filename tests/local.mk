## tests/local.mk: make check. Every test speaks TAP through automake's driver.
LOG_DRIVER = env AM_TAP_AWK='$(AWK)' $(SHELL) $(top_srcdir)/build-aux/tap-driver.sh
TEST_EXTENSIONS = .test
TEST_LOG_DRIVER = $(LOG_DRIVER)
AM_TESTS_ENVIRONMENT = \
	top_srcdir='$(abs_top_srcdir)'; top_builddir='$(abs_top_builddir)'; \
	export top_srcdir top_builddir; \
	LIGHTTPD='$(LIGHTTPD)'; APACHE2='$(APACHE2)'; NODE='$(NODE)'; \
	export LIGHTTPD APACHE2 NODE; \
	sbindir='$(sbindir)'; export sbindir; \
	$(TESTS_PYTHON_PATH)
# The tests' python3 is Debian's own (where scripts/deps.sh installs
# python3-yaml, python3-jsonschema and the rest), called straight: a
# version manager's shim found first in PATH (pyenv's, on the CI machines)
# is a shell script costing half a second a call (0.57 s against 0.054 s
# here), and the tests call python3 for every JSON field they read (json
# in tests/lib.sh). When python3 is not /usr/bin/python3 already, a link
# to it in tests/pybin comes first in the tests' PATH.
TESTS_PYTHON_PATH = \
	if [ -x /usr/bin/python3 ] && [ "$$(command -v python3)" != /usr/bin/python3 ]; then \
		mkdir -p '$(abs_top_builddir)/tests/pybin'; \
		[ -e '$(abs_top_builddir)/tests/pybin/python3' ] || \
			ln -s /usr/bin/python3 '$(abs_top_builddir)/tests/pybin/python3' 2>/dev/null; \
		PATH='$(abs_top_builddir)/tests/pybin':$$PATH; export PATH; \
	fi;
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
