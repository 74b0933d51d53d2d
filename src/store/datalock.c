/* datalock.c: exclusive flock on DATADIR/quired.lock. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "store/datalock.h"
#include "base/util.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

int datalock_take(const char *datadir, struct qerr *err)
{
	char path[PATH_MAX];
	if (q_mkdir_p(datadir, 0750) < 0) {
		qerr_set(err, Q_EINTERNAL, NULL, "cannot create %s: %s", datadir, strerror(errno));
		return -1;
	}
	snprintf(path, sizeof path, "%s/quired.lock", datadir);
	int fd = open(path, O_RDWR | O_CREAT, 0600);
	if (fd < 0) {
		qerr_set(err, Q_EINTERNAL, NULL, "cannot open %s: %s", path, strerror(errno));
		return -1;
	}
	if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		int e = errno;
		close(fd);
		if (e == EWOULDBLOCK) {
			long pid = datalock_holder(datadir);
			qerr_set(err, Q_EBUSY, NULL,
				 "%s is in use by another Quire process (pid %ld); stop it first "
				 "or talk to it with quire-admin", datadir, pid);
		} else {
			qerr_set(err, Q_EINTERNAL, NULL, "cannot lock %s: %s", path, strerror(e));
		}
		return -1;
	}
	char pid[32];
	int n = snprintf(pid, sizeof pid, "%ld\n", (long)getpid());
	if (ftruncate(fd, 0) == 0 && pwrite(fd, pid, (size_t)n, 0) < 0)
		(void)0;
	return fd;
}

long datalock_holder(const char *datadir)
{
	char path[PATH_MAX], buf[32];
	snprintf(path, sizeof path, "%s/quired.lock", datadir);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	ssize_t n = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	return strtol(buf, NULL, 10);
}
