## tests/faults/local.mk: faults of the disk and of the system calls the
## storage makes (full disk, I/O errors, power loss, crashes in recovery).
TESTS += tests/faults/diskfull.test
EXTRA_DIST += tests/faults/diskfull.test tests/faults/lib-faults.sh
