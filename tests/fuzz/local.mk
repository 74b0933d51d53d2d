## tests/fuzz/local.mk: fuzz targets and their regression corpora. make check
## replays every corpus file through the target built with the normal
## compiler; the libFuzzer build itself needs clang (configure: HAVE_LIBFUZZER)
## and runs with "make fuzz-multipart FUZZ_TIME=seconds".
EXTRA_DIST += tests/fuzz/fuzz.h tests/fuzz/multipart.dict tests/fuzz/corpus

check_PROGRAMS += tests/fuzz/replay_multipart
TESTS += tests/fuzz/replay_multipart
tests_fuzz_replay_multipart_SOURCES = tests/fuzz/replay.c tests/fuzz/fuzz_multipart.c
tests_fuzz_replay_multipart_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/tests -DFUZZ_REPLAY
tests_fuzz_replay_multipart_LDADD = src/libquire.la

if HAVE_LIBFUZZER
# Built by make check (so the target keeps compiling), never installed.
FUZZ_FLAGS = -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
	-DFUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION
FUZZ_MULTIPART_SRC = tests/fuzz/fuzz_multipart.c src/http/multipart.c src/base/util.c src/base/status.c
check_SCRIPTS = tests/fuzz/fuzz_multipart
CLEANFILES += tests/fuzz/fuzz_multipart

tests/fuzz/fuzz_multipart: $(FUZZ_MULTIPART_SRC) src/http/multipart.h src/base/util.h tests/fuzz/fuzz.h
	@$(MKDIR_P) tests/fuzz
	$(AM_V_CCLD)$(FUZZ_CC) $(FUZZ_FLAGS) -I$(top_builddir) -I$(top_srcdir)/src \
		-I$(top_srcdir)/tests/fuzz -o $@ $(top_srcdir)/tests/fuzz/fuzz_multipart.c \
		$(top_srcdir)/src/http/multipart.c $(top_srcdir)/src/base/util.c $(top_srcdir)/src/base/status.c

# New inputs go to tests/fuzz/found-multipart, crashes to tests/fuzz/crash-*.
FUZZ_TIME = 60
fuzz-multipart: tests/fuzz/fuzz_multipart
	@$(MKDIR_P) tests/fuzz/found-multipart
	tests/fuzz/fuzz_multipart -max_total_time=$(FUZZ_TIME) -timeout=10 \
		-dict=$(top_srcdir)/tests/fuzz/multipart.dict -artifact_prefix=tests/fuzz/ \
		tests/fuzz/found-multipart $(top_srcdir)/tests/fuzz/corpus/multipart
else
fuzz-multipart:
	@echo "fuzz-multipart needs clang with -fsanitize=fuzzer (configure FUZZ_CC=...)"; exit 1
endif
.PHONY: fuzz-multipart
