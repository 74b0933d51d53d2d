/* iofault.c: an LD_PRELOAD shim for the fault tests: fails the Nth write
 * or fsync under a directory with EIO, and keeps what a power cut would
 * leave (the contents of each file at its last fsync) for powercut.py. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Environment (all optional; without IOFAULT_ROOT the shim does nothing):
 *   IOFAULT_ROOT=DIR       only files under DIR are watched
 *   IOFAULT_COUNTER=FILE   a shared counter file (made here), so counts run
 *                          over every process of the test, not each one
 *   IOFAULT_FSYNC_EVERY=N  every Nth fsync/fdatasync under DIR fails (EIO)
 *   IOFAULT_WRITE_EVERY=N  every Nth write/pwrite under DIR fails (EIO)
 *   IOFAULT_WRITE_MATCH=S  only writes to paths containing S count
 *   IOFAULT_LIE=1          fsync succeeds without making anything durable
 *                          (a disk that lies, or DB_TXN_NOSYNC): the
 *                          control that shows a test can see loss
 *   IOFAULT_SHADOW=DIR2    after each successful fsync of FILE, FILE's
 *                          contents are copied to DIR2/<path under DIR>
 *                          (through a temporary name): what survives a
 *                          power cut. A failed fsync copies nothing.
 *                          rename and unlink move and drop the copies at
 *                          once (metadata is taken as durable: the model
 *                          tests the data, as ALICE's "data" mode does).
 * Each injected fault is logged to stderr as "iofault: ...".
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

static __thread int inside;   /* the shim's own I/O is not watched */
static volatile uint64_t *counter;   /* [0] fsyncs, [1] writes */
static uint64_t local_counter[2];
static int ready;
static const char *root, *shadow;
static size_t root_len;
static long fsync_every, write_every;
static int lie;
static const char *write_match;

static void setup(void)
{
	if (ready)
		return;
	ready = 1;
	root = getenv("IOFAULT_ROOT");
	if (!root || !*root) {
		root = NULL;
		return;
	}
	root_len = strlen(root);
	shadow = getenv("IOFAULT_SHADOW");
	if (shadow && !*shadow)
		shadow = NULL;
	const char *e = getenv("IOFAULT_FSYNC_EVERY");
	fsync_every = e ? atol(e) : 0;
	e = getenv("IOFAULT_WRITE_EVERY");
	write_every = e ? atol(e) : 0;
	write_match = getenv("IOFAULT_WRITE_MATCH");
	if (write_match && !*write_match)
		write_match = NULL;
	e = getenv("IOFAULT_LIE");
	lie = e && *e == '1';
	counter = local_counter;
	const char *cf = getenv("IOFAULT_COUNTER");
	if (cf && *cf) {
		int fd = (int)syscall(SYS_openat, AT_FDCWD, cf, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
		if (fd >= 0) {
			if (ftruncate(fd, 4096) == 0) {
				void *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
				if (p != MAP_FAILED)
					counter = p;
			}
			close(fd);
		}
	}
}

/* The path of fd when it lies under root, else 0. */
static int watched(int fd, char *path, size_t len)
{
	char link[64];
	setup();
	if (!root || inside)
		return 0;
	snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
	ssize_t n = readlink(link, path, len - 1);
	if (n <= 0)
		return 0;
	path[n] = '\0';
	return !strncmp(path, root, root_len) && path[root_len] == '/';
}

static int path_watched(const char *p)
{
	setup();
	return root && !inside && p && !strncmp(p, root, root_len) && p[root_len] == '/';
}

static void say(const char *fmt, ...)
{
	char buf[PATH_MAX + 128];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	if (n > 0)
		syscall(SYS_write, 2, buf, (size_t)n < sizeof buf ? (size_t)n : sizeof buf - 1);
}

/* 1 when this event (0 fsync, 1 write) is the one to fail. */
static int due(int kind, long every)
{
	if (every <= 0)
		return 0;
	uint64_t n = __atomic_add_fetch(&counter[kind], 1, __ATOMIC_SEQ_CST);
	return n % (uint64_t)every == 0;
}

static void shadow_name(const char *path, char *out, size_t len)
{
	snprintf(out, len, "%s%s", shadow, path + root_len);
}

static void mkdirs(const char *file)
{
	char d[PATH_MAX];
	snprintf(d, sizeof d, "%s", file);
	for (char *s = d + 1; (s = strchr(s, '/')); s++) {
		*s = '\0';
		mkdir(d, 0700);
		*s = '/';
	}
}

/* Copy the whole of the file (as fsync has just made it durable). */
static void shadow_copy(int fd, const char *path)
{
	char dst[PATH_MAX], tmp[PATH_MAX + 32];
	struct stat sb;
	if (fstat(fd, &sb) < 0 || !S_ISREG(sb.st_mode))
		return;
	shadow_name(path, dst, sizeof dst);
	mkdirs(dst);
	snprintf(tmp, sizeof tmp, "%s.iofault.%ld", dst, (long)syscall(SYS_gettid));
	int out = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (out < 0)
		return;
	char buf[65536];
	off_t off = 0;
	ssize_t n;
	while ((n = pread(fd, buf, sizeof buf, off)) > 0) {
		if (write(out, buf, (size_t)n) != n)
			break;
		off += n;
	}
	close(out);
	rename(tmp, dst);
}

static int sync_common(int fd, int (*real)(int), const char *what)
{
	char path[PATH_MAX];
	if (!watched(fd, path, sizeof path))
		return real(fd);
	if (due(0, fsync_every)) {
		say("iofault: %s #%llu of %s fails with EIO\n", what,
		    (unsigned long long)counter[0], path);
		errno = EIO;
		return -1;
	}
	int rc = real(fd);
	if (rc == 0 && shadow && !lie) {
		inside = 1;
		shadow_copy(fd, path);
		inside = 0;
	}
	return rc;
}

#define REAL(type, name, args) \
	static type(*real_##name) args; \
	if (!real_##name) \
		real_##name = (type(*) args)dlsym(RTLD_NEXT, #name)

int fsync(int fd)
{
	REAL(int, fsync, (int));
	return sync_common(fd, real_fsync, "fsync");
}

int fdatasync(int fd)
{
	REAL(int, fdatasync, (int));
	return sync_common(fd, real_fdatasync, "fdatasync");
}

static int write_fails(int fd, const char *what)
{
	char path[PATH_MAX];
	if (!write_every || !watched(fd, path, sizeof path) ||
	    (write_match && !strstr(path, write_match)) || !due(1, write_every))
		return 0;
	say("iofault: %s #%llu to %s fails with EIO\n", what, (unsigned long long)counter[1], path);
	errno = EIO;
	return 1;
}

ssize_t write(int fd, const void *buf, size_t n)
{
	REAL(ssize_t, write, (int, const void *, size_t));
	return write_fails(fd, "write") ? -1 : real_write(fd, buf, n);
}

ssize_t pwrite(int fd, const void *buf, size_t n, off_t off)
{
	REAL(ssize_t, pwrite, (int, const void *, size_t, off_t));
	return write_fails(fd, "pwrite") ? -1 : real_pwrite(fd, buf, n, off);
}

ssize_t pwrite64(int fd, const void *buf, size_t n, off_t off)
{
	REAL(ssize_t, pwrite64, (int, const void *, size_t, off_t));
	return write_fails(fd, "pwrite") ? -1 : real_pwrite64(fd, buf, n, off);
}

ssize_t writev(int fd, const struct iovec *iov, int cnt)
{
	REAL(ssize_t, writev, (int, const struct iovec *, int));
	return write_fails(fd, "writev") ? -1 : real_writev(fd, iov, cnt);
}

int rename(const char *from, const char *to)
{
	REAL(int, rename, (const char *, const char *));
	int rc = real_rename(from, to);
	if (rc == 0 && shadow && path_watched(from) && path_watched(to)) {
		char a[PATH_MAX], b[PATH_MAX];
		shadow_name(from, a, sizeof a);
		shadow_name(to, b, sizeof b);
		inside = 1;
		mkdirs(b);
		if (real_rename(a, b) < 0)
			unlink(b);   /* the new name holds nothing durable */
		inside = 0;
	}
	return rc;
}

int unlink(const char *path)
{
	REAL(int, unlink, (const char *));
	int rc = real_unlink(path);
	if (rc == 0 && shadow && path_watched(path)) {
		char a[PATH_MAX];
		shadow_name(path, a, sizeof a);
		inside = 1;
		real_unlink(a);
		inside = 0;
	}
	return rc;
}
