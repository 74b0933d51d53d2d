## tests/bench/local.mk: end-to-end benchmarks through lighttpd. They print
## figures and never gate on time; run them with `make bench` (not in TESTS).
##   fcgi-ratio.sh  wrk: GET /api/v1/documents/:id (quired, 2 workers) versus a
##                  minimal libfcgi responder behind the same lighttpd config,
##                  alternating, medians of BENCH_ROUNDS (3) rounds
##   creates.sh     durable document creates per second, 1 and 8 clients
##   cgi-modes.sh   a CGI-only host: FastCGI, the quire.cgi relay and serial
##                  mode behind one lighttpd (req/s, latency, upload answers)
check_PROGRAMS += tests/bench/min_responder
tests_bench_min_responder_SOURCES = tests/bench/min_responder.c
tests_bench_min_responder_LDADD = $(FCGI_LIBS)
BENCH_SH = tests/bench/fcgi-ratio.sh tests/bench/creates.sh tests/bench/cgi-modes.sh
EXTRA_DIST += $(BENCH_SH) tests/bench/post.lua

bench: all tests/bench/min_responder$(EXEEXT)
	@for b in $(BENCH_SH); do \
		echo "== $$b"; \
		top_srcdir='$(abs_top_srcdir)' top_builddir='$(abs_top_builddir)' \
		LIGHTTPD='$(LIGHTTPD)' $(SHELL) $(top_srcdir)/$$b || exit 1; \
	done
.PHONY: bench

## instructions per GET /api/v1/documents/:id in a worker under callgrind
## (repeatable where req/s is not); CG_OUT=DIR keeps the profile
EXTRA_DIST += tests/bench/callgrind-get.sh
bench-callgrind: all
	top_srcdir='$(abs_top_srcdir)' top_builddir='$(abs_top_builddir)' \
		LIGHTTPD='$(LIGHTTPD)' $(SHELL) $(top_srcdir)/tests/bench/callgrind-get.sh
.PHONY: bench-callgrind

## --- search latency (bench-search): hybrid, keyword and semantic p50/p95 at
## 10,000 and 100,000 chunks in a warm worker, libquire directly ------------
check_PROGRAMS += tests/bench/bench_search
tests_bench_bench_search_SOURCES = tests/bench/bench_search.c tests/bench/bench_stats.h
tests_bench_bench_search_CPPFLAGS = $(AM_CPPFLAGS) $(JANSSON_CFLAGS)
tests_bench_bench_search_LDADD = src/libquire.la
EXTRA_DIST += tests/bench/search-latency.sh

bench-search: tests/bench/bench_search$(EXEEXT)
	top_srcdir='$(abs_top_srcdir)' top_builddir='$(abs_top_builddir)' \
		$(SHELL) $(top_srcdir)/tests/bench/search-latency.sh
.PHONY: bench-search
## --- end of search latency ------------------------------------------------

## --- ingestion stages (bench-ingest-stages): SciFact through split, index, embed
## and commit in one process, each stage's seconds and tokens/s ------------
check_PROGRAMS += tests/bench/bench_ingest
tests_bench_bench_ingest_SOURCES = tests/bench/bench_ingest.c
tests_bench_bench_ingest_CPPFLAGS = $(AM_CPPFLAGS) $(JANSSON_CFLAGS)
tests_bench_bench_ingest_LDADD = src/libquire.la

bench-ingest-stages: tests/bench/bench_ingest$(EXEEXT)
	top_srcdir='$(abs_top_srcdir)' tests/bench/bench_ingest$(EXEEXT)
.PHONY: bench-ingest-stages
## --- end of ingestion stages -----------------------------------------------

## --- chat confidence (bench-confidence): the retrieval evidence of the top
## hit on SciFact, relevant, not relevant and off-topic (docs/chat.md) -------
check_PROGRAMS += tests/bench/bench_confidence
tests_bench_bench_confidence_SOURCES = tests/bench/bench_confidence.c tests/bench/bench_stats.h
tests_bench_bench_confidence_CPPFLAGS = $(AM_CPPFLAGS) $(JANSSON_CFLAGS)
tests_bench_bench_confidence_LDADD = src/libquire.la

bench-confidence: tests/bench/bench_confidence$(EXEEXT)
	tests/bench/bench_confidence$(EXEEXT) $(abs_top_srcdir)/../shared/bench
.PHONY: bench-confidence
## --- end of chat confidence -------------------------------------------------

## --- extraction against the stock tools, and a PDF upload end to end
## (make bench-extract; pdftotext, docx2txt, pandoc and tesseract come from
## poppler-utils, docx2txt, pandoc and tesseract-ocr), and what hostile
## multi-page files cost (blank-pages.sh) --------------------------------
EXTRA_DIST += tests/bench/blank-pages.sh
bench-extract: all
	top_srcdir='$(abs_top_srcdir)' top_builddir='$(abs_top_builddir)' \
		bash $(top_srcdir)/tests/bench/extract-vs-tools.sh
	top_srcdir='$(abs_top_srcdir)' top_builddir='$(abs_top_builddir)' \
		LIGHTTPD='$(LIGHTTPD)' bash $(top_srcdir)/tests/bench/upload-pdf.sh
	top_srcdir='$(abs_top_srcdir)' top_builddir='$(abs_top_builddir)' \
		bash $(top_srcdir)/tests/bench/blank-pages.sh
.PHONY: bench-extract

## --- ingestion beside the API (make bench-ingest): tenant B's latencies
## alone and beside a hostile tenant A, documents/s and pages/s with 1 and 2
## tenants (docs/ingest.md) ------------------------------------------------
EXTRA_DIST += tests/bench/ingest-tenants.sh
bench-ingest: all
	top_srcdir='$(abs_top_srcdir)' top_builddir='$(abs_top_builddir)' \
		LIGHTTPD='$(LIGHTTPD)' bash $(top_srcdir)/tests/bench/ingest-tenants.sh
.PHONY: bench-ingest

## log growth and recovery time (docs/reliability.md D14): creates for a while with
## frequent and with no checkpoints, kill -9, time the recovery
EXTRA_DIST += tests/bench/recovery-time.sh
bench-recovery: all
	top_srcdir='$(abs_top_srcdir)' top_builddir='$(abs_top_builddir)' \
		LIGHTTPD='$(LIGHTTPD)' $(SHELL) $(top_srcdir)/tests/bench/recovery-time.sh
.PHONY: bench-recovery
