## src/local.mk: libquire (everything testable) and the programs.
noinst_LTLIBRARIES += src/libquire.la
src_libquire_la_SOURCES = \
	src/status.c src/status.h \
	src/log.c src/log.h \
	src/util.c src/util.h \
	src/conf.c src/conf.h \
	src/store.c src/store.h \
	src/datalock.c src/datalock.h \
	src/heartbeat.c src/heartbeat.h \
	src/fault.c src/fault.h \
	src/spawn.c src/spawn.h \
	src/http.c src/http.h \
	src/auth.c src/auth.h \
	src/router.c src/app.c src/app.h src/errors.c \
	src/routes.c src/api.h \
	src/api_health.c src/api_documents.c src/api_util.c \
	src/api_sources.c src/api_dify.c src/api_kb.c src/api_embeddings.c src/api_retrieve.c \
	src/docs.c src/docs.h src/jobs.c src/accounts.c src/chunks.c \
	src/blob.c src/blob.h \
	src/text.c src/text_stem.c src/text.h src/text_tok.h src/embed_builtin.c src/embed_builtin.h \
	src/queue.c src/queue.h src/embedder.c src/embedder.h src/reembed.c src/reindex.c src/vectors.c src/embed_openai.c \
	src/ingest.c src/ingest.h src/split.c src/split.h src/chunk_impl.h src/chunk_rule.c src/chunk_text.c src/chunk_pack.c src/extract.c src/extract.h src/api_upload.c \
	src/lexical.c src/lexical.h src/sniff.c src/sniff.h src/search.c src/search.h \
	src/search_hits.c src/search_query.c src/search_impl.h src/vcache.c src/vcache.h src/vcache_impl.h src/vscan.c \
	src/worker.c src/worker.h \
	src/supervisor.c src/supervisor.h \
	src/admin.c src/admin.h \
	src/multipart.c src/multipart.h \
	src/chat.c src/chat.h src/chat_terms.c src/chat_store.c src/chat_scope.c src/chat_scope.h \
	src/api_chat.c src/answer_builtin.c src/answer_openai.c src/ratelimit.c src/ratelimit.h
src_libquire_la_CFLAGS = $(AM_CFLAGS) $(JANSSON_CFLAGS) $(CRYPTO_CFLAGS) $(CURL_CFLAGS)
src_libquire_la_LIBADD = $(JANSSON_LIBS) $(CRYPTO_LIBS) $(BDB_LIBS) $(FCGI_LIBS) $(STEMMER_LIBS) $(UTF8PROC_LIBS) $(CURL_LIBS) -lm

QUIRE_LIBS = src/libquire.la

sbin_PROGRAMS += src/quired
src_quired_SOURCES = src/quired.c
src_quired_LDADD = $(QUIRE_LIBS)

pkglibexec_PROGRAMS += src/quire.fcgi
src_quire_fcgi_SOURCES = src/quire_fcgi.c
src_quire_fcgi_LDADD = $(QUIRE_LIBS)

bin_PROGRAMS += src/quire-admin
src_quire_admin_SOURCES = src/quire_admin.c
src_quire_admin_LDADD = $(QUIRE_LIBS)

bin_PROGRAMS += src/quire-embed
src_quire_embed_SOURCES = src/quire_embed.c
src_quire_embed_LDADD = $(QUIRE_LIBS)
