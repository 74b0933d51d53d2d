## extract/local.mk: quire-extract, the sandboxed extraction command.
pkglibexec_PROGRAMS += extract/quire-extract
extract_quire_extract_SOURCES = extract/quire_extract.c \
	extract/loader.c extract/loader.h extract/sandbox.c extract/sandbox.h extract/landlock.c extract/landlock.h \
	extract/xsink.c extract/xsink.h extract/sniff.c extract/sniff.h
extract_quire_extract_CFLAGS = $(AM_CFLAGS) $(SECCOMP_CFLAGS)
extract_quire_extract_LDADD = $(SECCOMP_LIBS) $(UTF8PROC_LIBS) -ldl
