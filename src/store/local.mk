## src/store/local.mk: the one owner of the Berkeley DB environment and of
## every table: documents, chunks, jobs (records), accounts and knowledge
## bases, the inverted index, the change log the search cache follows,
## the content-addressed blobs and the data-directory lock.
src_libquire_la_SOURCES += \
	src/store/store.c src/store/store.h \
	src/store/changelog.h \
	src/store/datalock.c src/store/datalock.h \
	src/store/docs.c src/store/docs.h src/store/jobs.c src/store/jobs.h \
	src/store/accounts.c src/store/accounts.h src/store/chunks.c src/store/chunks.h \
	src/store/lexical.c src/store/lexical.h src/store/lexical_impl.h src/store/lexical_query.c src/store/lexical_query.h \
	src/store/postings.c src/store/postings.h \
	src/store/blob.c src/store/blob.h
