/* replay.c: make check's pass over a fuzz corpus (SQLite's fuzzcheck idea):
 * every file of the corpus directory goes to the target's
 * LLVMFuzzerTestOneInput, built with the normal compiler, one TAP line per
 * file. A file whose name starts with "ok-", "einval-" or "etoobig-" must
 * also parse with that status under production limits.
 *   replay_NAME [DIR...]   (default $top_srcdir/FUZZ_CORPUS, the target's
 *                           corpus, e.g. tests/fuzz/corpus/multipart) */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "fuzz.h"
#include "tap.h"

#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef FUZZ_CORPUS
#define FUZZ_CORPUS "tests/fuzz/corpus/multipart"
#endif

static int visible(const struct dirent *e)
{
	return e->d_name[0] != '.';
}

static unsigned char *slurp(const char *path, size_t *n)
{
	FILE *fp = fopen(path, "rb");
	unsigned char *p = NULL;
	long len;
	if (!fp)
		return NULL;
	if (fseek(fp, 0, SEEK_END) == 0 && (len = ftell(fp)) >= 0 && fseek(fp, 0, SEEK_SET) == 0 &&
	    (p = malloc((size_t)len + 1)) && fread(p, 1, (size_t)len, fp) == (size_t)len) {
		*n = (size_t)len;
	} else {
		free(p);
		p = NULL;
	}
	fclose(fp);
	return p;
}

/* The status a file's name asks for, or -1 for none. */
static int expected(const char *name)
{
	if (!strncmp(name, "ok-", 3))
		return Q_OK;
	if (!strncmp(name, "einval-", 7))
		return Q_EINVAL;
	if (!strncmp(name, "etoobig-", 8))
		return Q_ETOOBIG;
	return -1;
}

/* Replay every file of dir; 0, or -1 when it has none. */
static int replay_dir(const char *dir)
{
	char path[PATH_MAX * 2];
	struct dirent **list;
	int n = scandir(dir, &list, visible, alphasort);
	if (n <= 0)
		return -1;
	for (int i = 0; i < n; i++) {
		const char *name = list[i]->d_name;
		size_t len = 0;
		unsigned char *data;
		snprintf(path, sizeof path, "%s/%s", dir, name);
		if (!(data = slurp(path, &len))) {
			ok(0, "%s: cannot read", name);
		} else {
			int before = fuzz_failures, want = expected(name);
			LLVMFuzzerTestOneInput(data, len);
			if (want >= 0 && (int)fuzz_status != want)
				diag("%s: status %d, expected %d", name, fuzz_status, want);
			ok(fuzz_failures == before && (want < 0 || (int)fuzz_status == want), "%s",
			   name);
		}
		free(data);
		free(list[i]);
	}
	free(list);
	return 0;
}

int main(int argc, char **argv)
{
	char dir[PATH_MAX];
	const char *top = getenv("top_srcdir");
	if (argc < 2) {
		snprintf(dir, sizeof dir, "%s/%s", top && *top ? top : ".", FUZZ_CORPUS);
		if (replay_dir(dir) < 0)
			bail_out("no corpus in %s", dir);
	}
	for (int i = 1; i < argc; i++)
		if (replay_dir(argv[i]) < 0)
			bail_out("no corpus in %s", argv[i]);
	fuzz_cleanup();
	return done_testing();
}
