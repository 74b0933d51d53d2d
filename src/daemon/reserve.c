/* reserve.c: the disk reserve, freed before recovery and taken again
 * once the disk has room. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "daemon/reserve.h"
#include "base/util.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

int reserve_release(const char *datadir)
{
	char path[PATH_MAX];
	snprintf(path, sizeof path, "%s/reserve", datadir);
	return unlink(path) == 0;
}

/* Written under a temporary name and renamed, so the reserve either
 * holds all its blocks or does not exist (a full disk leaves no part). */
int reserve_keep(const char *datadir, int mb)
{
	char path[PATH_MAX], tmp[PATH_MAX + 8];
	struct stat sb;
	off_t len = (off_t)mb << 20;
	int rc = -1, fd = -1;
	if (mb <= 0)
		return 0;
	snprintf(path, sizeof path, "%s/reserve", datadir);
	if (stat(path, &sb) == 0 && sb.st_size == len && sb.st_blocks * 512 >= len)
		return 0;
	snprintf(tmp, sizeof tmp, "%s.tmp", path);
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600)) < 0)
		goto out;
	if (q_back_file(fd, len) < 0 || fsync(fd) < 0)
		goto out;
	if (rename(tmp, path) < 0)
		goto out;
	rc = 0;
out:
	if (fd >= 0)
		close(fd);
	if (rc < 0) {
		int e = errno;
		unlink(tmp);
		errno = e;
	}
	return rc;
}
