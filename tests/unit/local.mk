## tests/unit/local.mk: one TAP program per libquire module (tests/tap.h).
UNIT_TESTS = \
	tests/unit/test_util \
	tests/unit/test_conf \
	tests/unit/test_http \
	tests/unit/test_router \
	tests/unit/test_auth \
	tests/unit/test_errors \
	tests/unit/test_store \
	tests/unit/test_docs \
	tests/unit/test_app \
	tests/unit/test_multipart \
	tests/unit/test_split \
	tests/unit/test_search \
	tests/unit/test_ivf \
	tests/unit/test_lexical \
	tests/unit/test_lexbatch \
	tests/unit/test_quality \
	tests/unit/test_embed \
	tests/unit/test_langid \
	tests/unit/test_queue \
	tests/unit/test_fair \
	tests/unit/test_jobloop \
	tests/unit/test_uptoken \
	tests/unit/test_utf8
check_PROGRAMS += $(UNIT_TESTS)
TESTS += $(UNIT_TESTS)

UNIT_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/tests $(JANSSON_CFLAGS)
UNIT_LDADD = src/libquire.la
EXTRA_DIST += tests/tap.h tests/unit/unit.h tests/xorshift.h

tests_unit_test_util_SOURCES = tests/unit/test_util.c
tests_unit_test_util_CPPFLAGS = $(UNIT_CPPFLAGS)
tests_unit_test_util_LDADD = $(UNIT_LDADD)
tests_unit_test_quality_SOURCES = tests/unit/test_quality.c
tests_unit_test_quality_CPPFLAGS = $(UNIT_CPPFLAGS)
tests_unit_test_quality_LDADD = $(UNIT_LDADD)
tests_unit_test_conf_SOURCES = tests/unit/test_conf.c
tests_unit_test_conf_CPPFLAGS = $(UNIT_CPPFLAGS)
tests_unit_test_conf_LDADD = $(UNIT_LDADD)
tests_unit_test_http_SOURCES = tests/unit/test_http.c
tests_unit_test_http_CPPFLAGS = $(UNIT_CPPFLAGS)
tests_unit_test_http_LDADD = $(UNIT_LDADD)
tests_unit_test_router_SOURCES = tests/unit/test_router.c
tests_unit_test_router_CPPFLAGS = $(UNIT_CPPFLAGS)
tests_unit_test_router_LDADD = $(UNIT_LDADD)
tests_unit_test_auth_SOURCES = tests/unit/test_auth.c
tests_unit_test_auth_CPPFLAGS = $(UNIT_CPPFLAGS)
tests_unit_test_auth_LDADD = $(UNIT_LDADD)
tests_unit_test_errors_SOURCES = tests/unit/test_errors.c
tests_unit_test_errors_CPPFLAGS = $(UNIT_CPPFLAGS)
tests_unit_test_errors_LDADD = $(UNIT_LDADD)
tests_unit_test_store_SOURCES = tests/unit/test_store.c
tests_unit_test_store_CPPFLAGS = $(UNIT_CPPFLAGS)
tests_unit_test_store_LDADD = $(UNIT_LDADD)
tests_unit_test_docs_SOURCES = tests/unit/test_docs.c
tests_unit_test_docs_CPPFLAGS = $(UNIT_CPPFLAGS)
tests_unit_test_docs_LDADD = $(UNIT_LDADD)
tests_unit_test_app_SOURCES = tests/unit/test_app.c
tests_unit_test_app_CPPFLAGS = $(UNIT_CPPFLAGS)
tests_unit_test_app_LDADD = $(UNIT_LDADD)
tests_unit_test_multipart_SOURCES = tests/unit/test_multipart.c
tests_unit_test_multipart_CPPFLAGS = $(UNIT_CPPFLAGS)
tests_unit_test_multipart_LDADD = $(UNIT_LDADD)
tests_unit_test_split_SOURCES = tests/unit/test_split.c
tests_unit_test_split_CPPFLAGS = $(UNIT_CPPFLAGS)
tests_unit_test_split_LDADD = $(UNIT_LDADD)
tests_unit_test_lexbatch_SOURCES = tests/unit/test_lexbatch.c
tests_unit_test_lexbatch_CPPFLAGS = $(UNIT_CPPFLAGS)
tests_unit_test_lexbatch_LDADD = $(UNIT_LDADD)
tests_unit_test_lexical_SOURCES = tests/unit/test_lexical.c
tests_unit_test_lexical_CPPFLAGS = $(UNIT_CPPFLAGS)
tests_unit_test_lexical_LDADD = $(UNIT_LDADD) -lm
tests_unit_test_search_SOURCES = tests/unit/test_search.c
tests_unit_test_search_CPPFLAGS = $(UNIT_CPPFLAGS)
tests_unit_test_search_LDADD = $(UNIT_LDADD)
tests_unit_test_ivf_SOURCES = tests/unit/test_ivf.c
tests_unit_test_ivf_CPPFLAGS = $(UNIT_CPPFLAGS)
tests_unit_test_ivf_LDADD = $(UNIT_LDADD) -lm
tests_unit_test_embed_SOURCES = tests/unit/test_embed.c
tests_unit_test_embed_CPPFLAGS = $(UNIT_CPPFLAGS)
tests_unit_test_embed_LDADD = $(UNIT_LDADD) $(STEMMER_LIBS) $(UTF8PROC_LIBS) -lm
tests_unit_test_langid_SOURCES = tests/unit/test_langid.c
tests_unit_test_langid_CPPFLAGS = $(UNIT_CPPFLAGS)
tests_unit_test_langid_LDADD = $(UNIT_LDADD) $(STEMMER_LIBS)
tests_unit_test_queue_SOURCES = tests/unit/test_queue.c
tests_unit_test_queue_CPPFLAGS = $(UNIT_CPPFLAGS)
tests_unit_test_queue_LDADD = $(UNIT_LDADD)
tests_unit_test_fair_SOURCES = tests/unit/test_fair.c
tests_unit_test_fair_CPPFLAGS = $(UNIT_CPPFLAGS)
tests_unit_test_fair_LDADD = $(UNIT_LDADD)
tests_unit_test_jobloop_SOURCES = tests/unit/test_jobloop.c
tests_unit_test_jobloop_CPPFLAGS = $(UNIT_CPPFLAGS)
tests_unit_test_jobloop_LDADD = $(UNIT_LDADD) -lpthread

# The include rule of docs/architecture.md and the call circles (layers.py).
TESTS += tests/unit/layers.test
EXTRA_DIST += tests/unit/layers.test tests/unit/layers.py
# Declarations in the header named after their defining file (decls.py).
TESTS += tests/unit/decls.test
EXTRA_DIST += tests/unit/decls.test tests/unit/decls.py
tests_unit_test_uptoken_SOURCES = tests/unit/test_uptoken.c
tests_unit_test_uptoken_CPPFLAGS = $(UNIT_CPPFLAGS)
tests_unit_test_uptoken_LDADD = $(UNIT_LDADD)
tests_unit_test_utf8_SOURCES = tests/unit/test_utf8.c extract/xsink.c
tests_unit_test_utf8_CPPFLAGS = $(UNIT_CPPFLAGS) -I$(top_srcdir)/include
tests_unit_test_utf8_LDADD = $(UNIT_LDADD) $(UTF8PROC_LIBS)
