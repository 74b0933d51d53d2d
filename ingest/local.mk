## ingest/local.mk: quire-extract, the sandboxed extraction command.
pkglibexec_PROGRAMS += ingest/quire-extract
ingest_quire_extract_SOURCES = ingest/quire_extract.c \
	ingest/loader.c ingest/loader.h ingest/sandbox.c ingest/sandbox.h \
	ingest/xsink.c ingest/xsink.h src/sniff.c src/sniff.h
ingest_quire_extract_CFLAGS = $(AM_CFLAGS) $(SECCOMP_CFLAGS)
ingest_quire_extract_LDADD = $(SECCOMP_LIBS) -ldl
