/* fuzz_common.c: what every fuzz target shares: the failure count and
 * last status the replay reads, the invariant check, scratch paths. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "fuzz.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int fuzz_failures;
enum qstatus fuzz_status;

int fuzz_fail(const char *file, const char *what, int line)
{
	const char *base = strrchr(file, '/');

	fprintf(stderr, "%s: invariant broken at line %d: %s\n", base ? base + 1 : file, line, what);
	fuzz_failures++;
#ifndef FUZZ_REPLAY
	abort();
#endif
	return 0;
}

void fuzz_scratch(char *path, size_t size, const char *what, int dir)
{
	const char *t = getenv("TMPDIR");
	int fd = -1;

	snprintf(path, size, "%s/quire-fuzz-%s-XXXXXX", t && *t ? t : "/tmp", what);
	if (dir ? mkdtemp(path) == NULL : (fd = mkstemp(path)) < 0) {
		perror(dir ? "mkdtemp" : "mkstemp");
		abort();
	}
	if (fd >= 0)
		close(fd);
	atexit(fuzz_cleanup);
}
