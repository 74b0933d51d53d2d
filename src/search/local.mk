## src/search/local.mk: retrieval: BM25, vector search over the per-process
## cache, their fusion, the query's vector and hit counts.
src_libquire_la_SOURCES += \
	src/search/search.c src/search/search.h src/search/search_impl.h \
	src/search/search_context.c src/search/search_context.h src/search/search_hits.c src/search/search_hits.h src/search/search_prf.c src/search/search_prf.h src/search/search_title.c src/search/search_title.h \
	src/search/search_query.c src/search/search_query.h \
	src/search/vcache.c src/search/vcache.h src/search/vcache_impl.h src/search/vscan.c src/search/vscan.h \
	src/search/ivf.c src/search/ivf.h src/search/vdot.c src/search/vdot.h
