/* oomfault.c: an LD_PRELOAD shim for oom.test: in a FastCGI worker,
 * fails the Nth memory allocation of each request (curl's torture mode). */
/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Environment: OOMFAULT_FILE=FILE holds N (decimal). Each FCGX_Accept_r
 * reads it again and arms the count; the Nth malloc/calloc/realloc after
 * the accept returns NULL (ENOMEM), and FILE.fired is then created (so the
 * test knows whether N was within the request). N = 0 fails nothing.
 * Allocations outside requests (start-up, between requests) never fail.
 * A worker that crashes prints its stack to stderr (quired's log) first,
 * so the test names the place that did not check for NULL.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <execinfo.h>
#include <signal.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);

static long armed;       /* allocations left before the failing one; 0 = off */
static char fired_path[4096];

static int fail_now(void)
{
	if (armed <= 0 || __atomic_sub_fetch(&armed, 1, __ATOMIC_SEQ_CST) != 0)
		return 0;
	int fd = (int)syscall(SYS_openat, AT_FDCWD, fired_path, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
	if (fd >= 0)
		close(fd);
	return 1;
}

void *malloc(size_t n)
{
	if (fail_now()) {
		errno = ENOMEM;
		return NULL;
	}
	return __libc_malloc(n);
}

void *calloc(size_t a, size_t b)
{
	if (fail_now()) {
		errno = ENOMEM;
		return NULL;
	}
	return __libc_calloc(a, b);
}

void *realloc(void *p, size_t n)
{
	if (n && fail_now()) {
		errno = ENOMEM;
		return NULL;
	}
	return __libc_realloc(p, n);
}

static long read_n(void)
{
	const char *f = getenv("OOMFAULT_FILE");
	char buf[32];
	if (!f || !*f)
		return 0;
	snprintf(fired_path, sizeof fired_path, "%s.fired", f);
	int fd = (int)syscall(SYS_openat, AT_FDCWD, f, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	ssize_t r = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (r <= 0)
		return 0;
	buf[r] = '\0';
	return strtol(buf, NULL, 10);
}

static void on_crash(int sig)
{
	void *frames[32];
	int n = backtrace(frames, 32);
	static const char head[] = "oomfault: crashed; stack:\n";
	if (write(2, head, sizeof head - 1) < 0)
		(void)0;
	backtrace_symbols_fd(frames, n, 2);
	(void)sig;   /* SA_RESETHAND: returning re-raises it, uncaught */
}

__attribute__((constructor)) static void init(void)
{
	void *frames[2];
	backtrace(frames, 2);   /* loads libgcc now, not in the handler */
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_crash;
	sa.sa_flags = (int)SA_RESETHAND;
	sigaction(SIGSEGV, &sa, NULL);
	sigaction(SIGABRT, &sa, NULL);
}

typedef struct FCGX_Request FCGX_Request;
int FCGX_Accept_r(FCGX_Request *req);

int FCGX_Accept_r(FCGX_Request *req)
{
	static int (*real)(FCGX_Request *);
	__atomic_store_n(&armed, 0, __ATOMIC_SEQ_CST);
	if (!real)
		real = (int (*)(FCGX_Request *))dlsym(RTLD_NEXT, "FCGX_Accept_r");
	int rc = real(req);
	if (rc >= 0)
		__atomic_store_n(&armed, read_n(), __ATOMIC_SEQ_CST);
	return rc;
}
