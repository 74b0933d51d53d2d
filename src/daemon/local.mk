## src/daemon/local.mk: the processes: quired (the watcher), the FastCGI
## worker loop, quire-embed, the ingest processes, heartbeats.
src_libquire_la_SOURCES += \
	src/daemon/heartbeat.c src/daemon/heartbeat.h \
	src/daemon/jobloop.c src/daemon/jobloop.h \
	src/daemon/reserve.c src/daemon/reserve.h \
	src/daemon/worker.c src/daemon/worker.h \
	src/daemon/supervisor.c src/daemon/supervisor.h \
	src/daemon/conftest.c src/daemon/conftest.h

sbin_PROGRAMS += src/quired
src_quired_SOURCES = src/daemon/quired.c
src_quired_LDADD = $(QUIRE_LIBS)

pkglibexec_PROGRAMS += src/quire.fcgi
src_quire_fcgi_SOURCES = src/daemon/quire_fcgi.c
src_quire_fcgi_LDADD = $(QUIRE_LIBS)

bin_PROGRAMS += src/quire-embed
src_quire_embed_SOURCES = src/daemon/quire_embed.c
src_quire_embed_LDADD = $(QUIRE_LIBS)

pkglibexec_PROGRAMS += src/quire-ingest
src_quire_ingest_SOURCES = src/daemon/quire_ingest.c
src_quire_ingest_LDADD = $(QUIRE_LIBS)
