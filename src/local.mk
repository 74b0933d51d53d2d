## src/local.mk: libquire (everything testable) and the programs. Each
## subsystem folder lists its own files in its local.mk; docs/architecture.md
## says what each folder owns and whom it may include
## (tests/unit/layers.test checks it).
noinst_LTLIBRARIES += src/libquire.la
src_libquire_la_SOURCES =
src_libquire_la_CFLAGS = $(AM_CFLAGS) $(JANSSON_CFLAGS) $(CRYPTO_CFLAGS) $(CURL_CFLAGS) $(EXTTEXTCAT_CFLAGS)
src_libquire_la_LIBADD = $(JANSSON_LIBS) $(CRYPTO_LIBS) $(BDB_LIBS) $(FCGI_LIBS) $(STEMMER_LIBS) $(UTF8PROC_LIBS) $(EXTTEXTCAT_LIBS) $(CURL_LIBS) -lm
QUIRE_LIBS = src/libquire.la

include src/base/local.mk
include src/text/local.mk
include src/store/local.mk
include src/queue/local.mk
include src/embed/local.mk
include src/search/local.mk
include src/pipeline/local.mk
include src/chat/local.mk
include src/http/local.mk
include src/api/local.mk
include src/admin/local.mk
include src/daemon/local.mk
