## src/admin/local.mk: quire-admin and its commands (keys, knowledge bases,
## status, backup, verify, checkpoint, reindex).
src_libquire_la_SOURCES += \
	src/admin/admin.c src/admin/admin.h src/admin/reindex.c src/admin/reindex.h src/admin/vindex.c src/admin/vindex.h src/admin/cron.c src/admin/cron.h src/admin/progress.c \
	src/admin/progress.h src/admin/uptoken_cmd.c src/admin/uptoken_cmd.h \
	src/admin/backup.c src/admin/backup.h src/admin/compact.c src/admin/compact.h

bin_PROGRAMS += src/quire-admin
src_quire_admin_SOURCES = src/admin/quire_admin.c
src_quire_admin_LDADD = $(QUIRE_LIBS)
