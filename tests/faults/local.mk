## tests/faults/local.mk: faults of the disk and of the system calls the
## storage makes (full disk, I/O errors, power loss, crashes in recovery).
TESTS += tests/faults/diskfull.test tests/faults/ioerror.test tests/faults/powercut.test \
	tests/faults/recoverykill.test
EXTRA_DIST += tests/faults/diskfull.test tests/faults/lib-faults.sh \
	tests/faults/ioerror.test tests/faults/powercut.test tests/faults/powercut.py \
	tests/faults/recoverykill.test tests/faults/docstate.py
# The system-call shim (LD_PRELOAD) of ioerror.test and powercut.test.
check_LTLIBRARIES += tests/faults/iofault.la
tests_faults_iofault_la_SOURCES = tests/faults/iofault.c
tests_faults_iofault_la_LDFLAGS = -module -avoid-version -shared -rpath /nowhere
tests_faults_iofault_la_LIBADD = -ldl
# The allocation-failure shim (LD_PRELOAD) of oom.test.
check_LTLIBRARIES += tests/faults/oomfault.la
tests_faults_oomfault_la_SOURCES = tests/faults/oomfault.c
tests_faults_oomfault_la_LDFLAGS = -module -avoid-version -shared -rpath /nowhere
tests_faults_oomfault_la_LIBADD = -ldl
TESTS += tests/faults/oom.test
EXTRA_DIST += tests/faults/oom.test
# A long reader (docs/reliability.md D13): holds a cursor in a transaction.
check_PROGRAMS += tests/faults/longread
tests_faults_longread_SOURCES = tests/faults/longread.c
tests_faults_longread_LDADD = $(BDB_LIBS)
# A writer behind it is answered within db_retry_ms (lock timeouts, rerun,
# a dead transaction never used again: store.c).
TESTS += tests/faults/longread.test
EXTRA_DIST += tests/faults/longread.test
# The multi-process double-claim checker of the job queue (RELIABILITY D19).
check_PROGRAMS += tests/faults/claimrace
tests_faults_claimrace_SOURCES = tests/faults/claimrace.c
tests_faults_claimrace_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/tests $(JANSSON_CFLAGS)
tests_faults_claimrace_LDADD = src/libquire.la
TESTS += tests/faults/claimrace
# SIGTERM during uploads, and a final checkpoint (RELIABILITY D7).
TESTS += tests/faults/termstop.test
EXTRA_DIST += tests/faults/termstop.test
# An animated GIF of 10,000 frames (RELIABILITY X22).
TESTS += tests/faults/gifframes.test
EXTRA_DIST += tests/faults/gifframes.test tests/faults/gifframes.py
# /health under 50 clients uploading zip bombs (RELIABILITY P8).
TESTS += tests/faults/healthbombs.test
EXTRA_DIST += tests/faults/healthbombs.test
