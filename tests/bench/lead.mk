## tests/bench/lead.mk: micro-benchmarks of library parts (print figures;
## never part of TESTS). Build and run with `make bench-lib`.
EXTRA_PROGRAMS = tests/bench/bench_embed tests/bench/bench_list
tests_bench_bench_embed_SOURCES = tests/bench/bench_embed.c
tests_bench_bench_embed_CPPFLAGS = $(AM_CPPFLAGS) $(JANSSON_CFLAGS) -DTOP_SRCDIR='"$(abs_top_srcdir)"'
tests_bench_bench_embed_LDADD = src/libquire.la
tests_bench_bench_list_SOURCES = tests/bench/bench_list.c
tests_bench_bench_list_CPPFLAGS = $(AM_CPPFLAGS) $(JANSSON_CFLAGS)
tests_bench_bench_list_LDADD = src/libquire.la
CLEANFILES += $(EXTRA_PROGRAMS)

bench-lib: tests/bench/bench_embed$(EXEEXT) tests/bench/bench_list$(EXEEXT)
	tests/bench/bench_embed$(EXEEXT)
	tests/bench/bench_list$(EXEEXT)
.PHONY: bench-lib
EXTRA_DIST += tests/bench/embed-pipeline.sh
EXTRA_DIST += tests/bench/scifact.sh tests/bench/scifact.py tests/bench/factorised.py
EXTRA_DIST += tests/bench/extract-vs-tools.sh tests/bench/upload-pdf.sh
EXTRA_DIST += tests/bench/list-all.sh

## --- key lookup timing (bench-auth, RELIABILITY A2): a right prefix with a
## wrong secret against an unknown prefix, 10^5 lookups each, percentiles,
## Mann-Whitney and Kolmogorov-Smirnov; a typo (bad checksum) as the control
EXTRA_PROGRAMS += tests/bench/bench_authtiming
tests_bench_bench_authtiming_SOURCES = tests/bench/bench_authtiming.c tests/bench/bench_stats.h
tests_bench_bench_authtiming_CPPFLAGS = $(AM_CPPFLAGS) $(JANSSON_CFLAGS)
tests_bench_bench_authtiming_LDADD = src/libquire.la -lm
bench-auth: tests/bench/bench_authtiming$(EXEEXT)
	tests/bench/bench_authtiming$(EXEEXT) $(BENCH_AUTH_N)
.PHONY: bench-auth

## --- /health under 50 clients uploading zip bombs (RELIABILITY P8):
## make bench-health prints the probes' percentiles idle and under load
EXTRA_DIST += tests/bench/healthbombs.sh tests/bench/healthbombs.py
bench-health: all
	top_srcdir='$(abs_top_srcdir)' top_builddir='$(abs_top_builddir)' \
		LIGHTTPD='$(LIGHTTPD)' $(SHELL) $(top_srcdir)/tests/bench/healthbombs.sh
.PHONY: bench-health
