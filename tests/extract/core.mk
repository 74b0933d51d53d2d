## tests/extract/core.mk: quire-extract itself (loader, sandbox, deadline,
## output format) through two test plugins.
check_LTLIBRARIES += tests/extract/plugins/probe.la tests/extract/plugins/badabi.la \
	tests/extract/plugins/escape.la
tests_extract_plugins_probe_la_SOURCES = tests/extract/plugins/probe.c
tests_extract_plugins_probe_la_LDFLAGS = $(PLUGIN_LDFLAGS) -rpath /nowhere
tests_extract_plugins_badabi_la_SOURCES = tests/extract/plugins/probe.c
tests_extract_plugins_badabi_la_CPPFLAGS = $(AM_CPPFLAGS) -DPROBE_ABI=99
tests_extract_plugins_badabi_la_LDFLAGS = $(PLUGIN_LDFLAGS) -rpath /nowhere
# An exploited parser's escapes, each asserted to fail (escape.test).
tests_extract_plugins_escape_la_SOURCES = tests/extract/plugins/escape.c
tests_extract_plugins_escape_la_LDFLAGS = $(PLUGIN_LDFLAGS) -rpath /nowhere
TESTS += tests/extract/escape.test
EXTRA_DIST += tests/extract/escape.test
TESTS += tests/extract/core.test
EXTRA_DIST += tests/extract/core.test
TESTS += tests/extract/corpus.test
EXTRA_DIST += tests/extract/corpus.test
# The SDK from outside the tree: examples/plugin-srt built through the
# installed header and quire-plugin.pc; extensions decide the plugin.
TESTS += tests/extract/sdk.test
EXTRA_DIST += tests/extract/sdk.test examples/plugin-srt/srt.c examples/plugin-srt/Makefile
