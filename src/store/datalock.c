/* datalock.c: exclusive flock on DATADIR/quired.lock, taken at once or
 * after a bounded wait in a bounded queue. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "store/datalock.h"
#include "base/util.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

/* Say what is wrong with the data directory in words an operator acts on:
 * missing, read-only, or not ours to write. */
static int dir_error(const char *datadir, const char *what, int e, struct qerr *err)
{
	const char *why = e == EROFS ? "it is on a read-only file system"
		: e == EACCES || e == EPERM ? "this user may not write there (wrong permissions)"
		: e == ENOENT ? "a parent directory is missing"
		: strerror(e);
	qerr_set(err, Q_EINTERNAL, NULL, "data directory %s (uid %ld): %s: %s", datadir,
		 (long)geteuid(), what, why);
	return -1;
}

static int lock_open(const char *datadir, struct qerr *err)
{
	char path[PATH_MAX];
	struct stat st;
	if (stat(datadir, &st) == 0 && !S_ISDIR(st.st_mode)) {
		qerr_set(err, Q_EINTERNAL, NULL, "data directory %s is not a directory", datadir);
		return -1;
	}
	if (q_mkdir_p(datadir, 0750) < 0)
		return dir_error(datadir, "cannot be created", errno, err);
	snprintf(path, sizeof path, "%s/quired.lock", datadir);
	int fd = open(path, O_RDWR | O_CREAT, 0600);
	if (fd < 0)
		return dir_error(datadir, "cannot open quired.lock", errno, err);
	if (access(datadir, W_OK) < 0) {
		int e = errno;
		close(fd);
		return dir_error(datadir, "cannot be written", e, err);
	}
	return fd;
}

static void lock_claimed(int fd)
{
	char pid[32];
	int n = snprintf(pid, sizeof pid, "%ld\n", (long)getpid());
	if (ftruncate(fd, 0) == 0 && pwrite(fd, pid, (size_t)n, 0) < 0)
		(void)0;
}

static void busy_error(const char *datadir, struct qerr *err)
{
	long pid = datalock_holder(datadir);
	if (datalock_holder_is_quired(datadir))
		qerr_set(err, Q_ERECOVER, NULL,
			 "%s is in use by another Quire process (pid %ld), the supervisor "
			 "quired: talk to it over its socket or with quire-admin", datadir, pid);
	else
		qerr_set(err, Q_EBUSY, NULL,
			 "%s is in use by another Quire process (pid %ld); stop it first "
			 "or talk to it with quire-admin", datadir, pid);
}

int datalock_take(const char *datadir, struct qerr *err)
{
	int fd = lock_open(datadir, err);
	if (fd < 0)
		return -1;
	if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		int e = errno;
		close(fd);
		if (e == EWOULDBLOCK)
			busy_error(datadir, err);
		else
			qerr_set(err, Q_EINTERNAL, NULL, "cannot lock %s/quired.lock: %s", datadir,
				 strerror(e));
		return -1;
	}
	lock_claimed(fd);
	return fd;
}

int datalock_holder_is_quired(const char *datadir)
{
	char path[64], comm[32] = "";
	long pid = datalock_holder(datadir);
	if (pid <= 0)
		return 0;
	snprintf(path, sizeof path, "/proc/%ld/comm", pid);
	FILE *f = fopen(path, "re");
	if (!f)
		return 0;
	if (!fgets(comm, sizeof comm, f))
		comm[0] = '\0';
	fclose(f);
	if (strcmp(comm, "quired\n"))
		return 0;
	/* A quired that has exited but is not reaped yet holds nothing. */
	char stat[256] = "";
	snprintf(path, sizeof path, "/proc/%ld/stat", pid);
	if ((f = fopen(path, "re"))) {
		if (!fgets(stat, sizeof stat, f))
			stat[0] = '\0';
		fclose(f);
	}
	const char *paren = strrchr(stat, ')');
	return !(paren && paren[1] == ' ' && paren[2] == 'Z');
}

/* One place in the wait queue: an flock on one of DATADIR/lockq/N. The fd
 * (close it to leave the queue), or -1 when every place is taken. */
static int queue_enter(const char *datadir, int places)
{
	char path[PATH_MAX];
	snprintf(path, sizeof path, "%s/lockq", datadir);
	if (mkdir(path, 0700) < 0 && errno != EEXIST)
		return -1;
	for (int i = 0; i < places; i++) {
		snprintf(path, sizeof path, "%s/lockq/%d", datadir, i);
		int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
		if (fd < 0)
			return -1;
		if (flock(fd, LOCK_EX | LOCK_NB) == 0)
			return fd;
		close(fd);
	}
	return -1;
}

static void on_alarm(int sig)
{
	(void)sig;   /* only interrupts flock() */
}

/* flock(LOCK_EX) for at most ms milliseconds: 0 locked, -1 (errno EINTR
 * on timeout). The timer's signal has no SA_RESTART, so flock returns. */
static int flock_timed(int fd, int ms)
{
	struct sigaction sa, old;
	struct itimerval it = {{0, 0}, {ms / 1000, (ms % 1000) * 1000}}, off = {{0, 0}, {0, 0}};
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_alarm;
	sigaction(SIGALRM, &sa, &old);
	setitimer(ITIMER_REAL, &it, NULL);
	int rc = flock(fd, LOCK_EX);
	int e = errno;
	setitimer(ITIMER_REAL, &off, NULL);
	sigaction(SIGALRM, &old, NULL);
	errno = e;
	return rc;
}

int datalock_wait(const char *datadir, int wait_s, int places, struct qerr *err)
{
	int fd = datalock_take(datadir, err);
	if (fd >= 0 || err->st != Q_EBUSY || wait_s <= 0)
		return fd;
	int place = queue_enter(datadir, places);
	if (place < 0) {
		qerr_set(err, Q_EBUSY, NULL, "the data directory is busy: %d requests already "
			 "wait for it (lock_queue)", places);
		return -1;
	}
	if ((fd = lock_open(datadir, err)) < 0)
		goto out;
	if (flock_timed(fd, wait_s * 1000) < 0) {
		close(fd);
		fd = -1;
		qerr_set(err, Q_EBUSY, NULL, "the data directory stayed busy for %d s (lock_wait)",
			 wait_s);
		goto out;
	}
	lock_claimed(fd);
out:
	close(place);
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
