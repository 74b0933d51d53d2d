## tests/fuzz/local.mk: fuzz targets and their regression corpora. make check
## replays every corpus file through the target built with the normal
## compiler; the libFuzzer build itself needs clang (configure: HAVE_LIBFUZZER)
## and runs with "make fuzz-multipart FUZZ_TIME=seconds".
## Targets: multipart, json (request bodies, process rules, extraction
## output), conf (quire.conf), and one per plugin (rtf, html, text) through
## the plugin ABI; replay_plugin replays every built plugin (plugins.test).
## "make fuzz-short" runs each libFuzzer target FUZZ_SHORT_TIME seconds
## (default 5; CI), "make fuzz" each FUZZ_TIME seconds (default 60).
EXTRA_DIST += tests/fuzz/fuzz.h tests/fuzz/multipart.dict tests/fuzz/corpus \
	tests/fuzz/plugins.test tests/fuzz/json.dict tests/fuzz/run.sh

check_PROGRAMS += tests/fuzz/replay_json tests/fuzz/replay_conf tests/fuzz/replay_plugin
TESTS += tests/fuzz/replay_json tests/fuzz/replay_conf tests/fuzz/plugins.test
tests_fuzz_replay_json_SOURCES = tests/fuzz/replay.c tests/fuzz/fuzz_common.c tests/fuzz/fuzz_json.c
tests_fuzz_replay_json_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/tests -DFUZZ_REPLAY \
	-DFUZZ_CORPUS='"tests/fuzz/corpus/json"'
tests_fuzz_replay_json_LDADD = src/libquire.la
tests_fuzz_replay_conf_SOURCES = tests/fuzz/replay.c tests/fuzz/fuzz_common.c tests/fuzz/fuzz_conf.c
tests_fuzz_replay_conf_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/tests -DFUZZ_REPLAY \
	-DFUZZ_CORPUS='"tests/fuzz/corpus/conf"'
tests_fuzz_replay_conf_LDADD = src/libquire.la
tests_fuzz_replay_plugin_SOURCES = tests/fuzz/replay.c tests/fuzz/fuzz_common.c tests/fuzz/fuzz_plugin.c
tests_fuzz_replay_plugin_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/tests -I$(top_srcdir)/include \
	-DFUZZ_REPLAY -DFUZZ_CORPUS='"tests/fuzz/corpus/rtf"'
tests_fuzz_replay_plugin_LDADD = src/libquire.la -ldl

check_PROGRAMS += tests/fuzz/replay_multipart
TESTS += tests/fuzz/replay_multipart
tests_fuzz_replay_multipart_SOURCES = tests/fuzz/replay.c tests/fuzz/fuzz_common.c tests/fuzz/fuzz_multipart.c
tests_fuzz_replay_multipart_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/tests -DFUZZ_REPLAY
tests_fuzz_replay_multipart_LDADD = src/libquire.la

if HAVE_LIBFUZZER
# Built by make check (so the targets keep compiling), never installed.
FUZZ_FLAGS = -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
	-DFUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION
FUZZ_INC = -I$(top_builddir) -I$(top_srcdir)/src -I$(top_srcdir)/tests/fuzz -I$(top_srcdir)/include
FUZZ_MULTIPART_SRC = tests/fuzz/fuzz_common.c tests/fuzz/fuzz_multipart.c src/http/multipart.c src/base/util.c src/base/status.c
FUZZ_CONF_SRC = tests/fuzz/fuzz_common.c tests/fuzz/fuzz_conf.c src/base/conf.c src/base/util.c src/base/status.c src/base/log.c
# The splitter instrumented; what else it calls comes from the static libquire.
FUZZ_JSON_SRC = tests/fuzz/fuzz_common.c tests/fuzz/fuzz_json.c src/pipeline/split.c src/pipeline/chunk_pack.c \
	src/pipeline/chunk_rule.c src/pipeline/chunk_text.c
FUZZ_TEXTLIB_SRC = tests/fuzz/fuzz_common.c plugins/common/sbuf.c plugins/common/pbuf.c plugins/common/conv.c \
	plugins/common/input.c plugins/common/emit.c
FUZZ_RTF_SRC = tests/fuzz/fuzz_plugin.c plugins/rtf/rtf.c plugins/rtf/rtf_parse.c \
	plugins/rtf/rtf_words.c plugins/rtf/rtf_out.c $(FUZZ_TEXTLIB_SRC)
FUZZ_HTML_SRC = tests/fuzz/fuzz_plugin.c plugins/html/html.c plugins/html/charset.c \
	plugins/html/walk.c plugins/common/detect.c $(FUZZ_TEXTLIB_SRC)
FUZZ_TEXT_SRC = tests/fuzz/fuzz_plugin.c plugins/text/text.c plugins/text/plain.c \
	plugins/text/markdown.c plugins/text/mdinline.c plugins/text/csv.c plugins/common/detect.c \
	$(FUZZ_TEXTLIB_SRC)
FUZZ_TARGETS = tests/fuzz/fuzz_multipart tests/fuzz/fuzz_json tests/fuzz/fuzz_conf \
	tests/fuzz/fuzz_rtf tests/fuzz/fuzz_html tests/fuzz/fuzz_text
check_SCRIPTS = $(FUZZ_TARGETS)
CLEANFILES += $(FUZZ_TARGETS)

# Sources named from the source tree (VPATH builds); FUZZ_LINK compiles and
# links one target, each rule adding its sources, flags and libraries.
FUZZ_SRCS = for f in $$srcs; do printf "%s " "$(top_srcdir)/$$f"; done
FUZZ_LINK = @$(MKDIR_P) tests/fuzz; $(FUZZ_CC) $(FUZZ_FLAGS) $(FUZZ_INC) -o $@
tests/fuzz/fuzz_multipart: $(FUZZ_MULTIPART_SRC) src/http/multipart.h src/base/util.h tests/fuzz/fuzz.h
	$(AM_V_CCLD)$(FUZZ_LINK) $$(srcs="$(FUZZ_MULTIPART_SRC)"; $(FUZZ_SRCS)) $(UTF8PROC_LIBS)
tests/fuzz/fuzz_conf: $(FUZZ_CONF_SRC) src/base/conf.h tests/fuzz/fuzz.h
	$(AM_V_CCLD)$(FUZZ_LINK) $$(srcs="$(FUZZ_CONF_SRC)"; $(FUZZ_SRCS)) $(UTF8PROC_LIBS)
tests/fuzz/fuzz_json: $(FUZZ_JSON_SRC) src/pipeline/split.h tests/fuzz/fuzz.h src/libquire.la
	$(AM_V_CCLD)$(FUZZ_LINK) $$(srcs="$(FUZZ_JSON_SRC)"; $(FUZZ_SRCS)) \
		src/.libs/libquire.a $(src_libquire_la_LIBADD)
tests/fuzz/fuzz_rtf: $(FUZZ_RTF_SRC) tests/fuzz/fuzz.h
	$(AM_V_CCLD)$(FUZZ_LINK) $(RTF_CFLAGS) -DFUZZ_PLUGIN_STATIC \
		$$(srcs="$(FUZZ_RTF_SRC)"; $(FUZZ_SRCS)) $(RTF_LIBS) $(UTF8PROC_LIBS)
tests/fuzz/fuzz_html: $(FUZZ_HTML_SRC) tests/fuzz/fuzz.h
	$(AM_V_CCLD)$(FUZZ_LINK) $(HTML_CFLAGS) -DFUZZ_PLUGIN_STATIC \
		$$(srcs="$(FUZZ_HTML_SRC)"; $(FUZZ_SRCS)) $(HTML_LIBS) $(UTF8PROC_LIBS)
tests/fuzz/fuzz_text: $(FUZZ_TEXT_SRC) tests/fuzz/fuzz.h
	$(AM_V_CCLD)$(FUZZ_LINK) $(TEXT_CFLAGS) -DFUZZ_PLUGIN_STATIC \
		$$(srcs="$(FUZZ_TEXT_SRC)"; $(FUZZ_SRCS)) $(TEXT_LIBS) $(UTF8PROC_LIBS)

# New inputs go to tests/fuzz/found-NAME, crashes to tests/fuzz/crash-*
# (tests/fuzz/run.sh names the seeds and dictionaries of each target).
FUZZ_TIME = 60
FUZZ_SHORT_TIME = 5
FUZZ_NAMES = multipart json conf rtf html text
fuzz-multipart: tests/fuzz/fuzz_multipart
	$(SHELL) $(top_srcdir)/tests/fuzz/run.sh $(top_srcdir) multipart $(FUZZ_TIME)
fuzz-short: $(FUZZ_TARGETS)
	@set -e; for n in $(FUZZ_NAMES); do \
		$(SHELL) $(top_srcdir)/tests/fuzz/run.sh $(top_srcdir) $$n $(FUZZ_SHORT_TIME); \
	done
fuzz: $(FUZZ_TARGETS)
	@set -e; for n in $(FUZZ_NAMES); do \
		$(SHELL) $(top_srcdir)/tests/fuzz/run.sh $(top_srcdir) $$n $(FUZZ_TIME); \
	done
else
fuzz-multipart fuzz-short fuzz:
	@echo "$@ needs clang with -fsanitize=fuzzer (configure FUZZ_CC=...)"; exit 1
endif
.PHONY: fuzz-multipart fuzz-short fuzz
