/* sandbox.c: rlimits, no new privileges, the user drop and the seccomp allow-list.
 *
 * The allow-list is what a parser needs after its initialisation: memory
 * (mmap, brk, mremap, madvise), reading already open descriptors, opening
 * read-only only when Landlock (landlock.c) confines the paths to the
 * read-only system data poppler, fontconfig and Tesseract load lazily (no
 * open at all without Landlock), writing to the already open stdout and
 * stderr, threads (clone with CLONE_THREAD; clone3 answers ENOSYS so the C
 * library falls back to clone), futexes, clocks, and signals and rlimits
 * of its own process only. Everything else (sockets, exec, fork, ptrace,
 * creating or writing files, kill or prlimit64 of another pid...) fails
 * with EPERM, so a plugin sees an ordinary error instead of dying. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "sandbox.h"
#include "landlock.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <unistd.h>
#ifdef HAVE_SECCOMP
#include <seccomp.h>
#endif

static int limit(int res, unsigned long long v, const char *name, char *why, unsigned whylen)
{
	/* CPU: SIGXCPU at the soft limit (reported as a timeout), SIGKILL a
	 * second later */
	struct rlimit r = { (rlim_t)v, (rlim_t)(res == RLIMIT_CPU ? v + 1 : v) };
	if (setrlimit(res, &r) == 0)
		return 0;
	snprintf(why, whylen, "setrlimit %s: %s", name, strerror(errno));
	return -1;
}

int sandbox_has_seccomp(void)
{
#ifdef HAVE_SECCOMP
	return 1;
#else
	return 0;
#endif
}

#ifdef HAVE_SECCOMP
static const int allowed[] = {
	SCMP_SYS(read), SCMP_SYS(pread64), SCMP_SYS(readv), SCMP_SYS(lseek),
	SCMP_SYS(fstat), SCMP_SYS(stat), SCMP_SYS(lstat), SCMP_SYS(newfstatat),
	SCMP_SYS(statx), SCMP_SYS(access), SCMP_SYS(faccessat), SCMP_SYS(faccessat2),
	SCMP_SYS(readlink), SCMP_SYS(readlinkat), SCMP_SYS(getdents64), SCMP_SYS(close),
	SCMP_SYS(fcntl), SCMP_SYS(dup), SCMP_SYS(getcwd),
	SCMP_SYS(mmap), SCMP_SYS(munmap), SCMP_SYS(mremap), SCMP_SYS(mprotect),
	SCMP_SYS(brk), SCMP_SYS(madvise),
	SCMP_SYS(futex), SCMP_SYS(set_robust_list), SCMP_SYS(get_robust_list),
	SCMP_SYS(rseq), SCMP_SYS(sched_yield), SCMP_SYS(sched_getaffinity),
	SCMP_SYS(gettid), SCMP_SYS(getpid), SCMP_SYS(getuid), SCMP_SYS(geteuid),
	SCMP_SYS(getgid), SCMP_SYS(getegid),
	SCMP_SYS(clock_gettime), SCMP_SYS(clock_getres), SCMP_SYS(gettimeofday),
	SCMP_SYS(nanosleep), SCMP_SYS(clock_nanosleep), SCMP_SYS(getrandom),
	SCMP_SYS(rt_sigaction), SCMP_SYS(rt_sigprocmask), SCMP_SYS(rt_sigreturn),
	SCMP_SYS(sigaltstack), SCMP_SYS(getrlimit),
	SCMP_SYS(exit), SCMP_SYS(exit_group), SCMP_SYS(uname), SCMP_SYS(sysinfo),
	SCMP_SYS(poll), SCMP_SYS(ppoll), SCMP_SYS(pipe2), SCMP_SYS(eventfd2),
};

/* Calls whose first argument names a process: allowed on this process
 * only (0 means "myself" for prlimit64). */
static int self_only(scmp_filter_ctx c, int sys, int zero_is_self)
{
	scmp_datum_t self = (scmp_datum_t)getpid();
	int rc = seccomp_rule_add(c, SCMP_ACT_ALLOW, sys, 1, SCMP_A0(SCMP_CMP_EQ, self));
	if (rc == 0 && zero_is_self)
		rc = seccomp_rule_add(c, SCMP_ACT_ALLOW, sys, 1, SCMP_A0(SCMP_CMP_EQ, 0));
	return rc;
}

static int install_filter(int may_open, char *why, unsigned whylen)
{
	scmp_filter_ctx c = seccomp_init(SCMP_ACT_ERRNO(EPERM));
	int rc = c ? 0 : -ENOMEM;
	for (size_t i = 0; rc == 0 && i < sizeof allowed / sizeof allowed[0]; i++)
		rc = seccomp_rule_add(c, SCMP_ACT_ALLOW, allowed[i], 0);
	if (rc == 0)
		rc = self_only(c, SCMP_SYS(prlimit64), 1);
	if (rc == 0)
		rc = self_only(c, SCMP_SYS(kill), 0);
	if (rc == 0)
		rc = self_only(c, SCMP_SYS(tgkill), 0);
	/* open(at) only for reading, and only when Landlock confines the
	 * paths; without it, no open at all */
	if (rc == 0 && may_open)
		rc = seccomp_rule_add(c, SCMP_ACT_ALLOW, SCMP_SYS(openat), 1,
				      SCMP_A2(SCMP_CMP_MASKED_EQ, O_ACCMODE | O_CREAT | O_TRUNC, O_RDONLY));
	if (rc == 0 && may_open)
		rc = seccomp_rule_add(c, SCMP_ACT_ALLOW, SCMP_SYS(open), 1,
				      SCMP_A1(SCMP_CMP_MASKED_EQ, O_ACCMODE | O_CREAT | O_TRUNC, O_RDONLY));
	/* writing only to the standard streams */
	for (int fd = 1; rc == 0 && fd <= 2; fd++) {
		rc = seccomp_rule_add(c, SCMP_ACT_ALLOW, SCMP_SYS(write), 1, SCMP_A0(SCMP_CMP_EQ, fd));
		if (rc == 0)
			rc = seccomp_rule_add(c, SCMP_ACT_ALLOW, SCMP_SYS(writev), 1,
					      SCMP_A0(SCMP_CMP_EQ, fd));
	}
	/* threads, never processes */
	if (rc == 0)
		rc = seccomp_rule_add(c, SCMP_ACT_ALLOW, SCMP_SYS(clone), 1,
				      SCMP_A0(SCMP_CMP_MASKED_EQ, CLONE_THREAD, CLONE_THREAD));
	if (rc == 0)
		rc = seccomp_rule_add(c, SCMP_ACT_ERRNO(ENOSYS), SCMP_SYS(clone3), 0);
	if (rc == 0)
		rc = seccomp_load(c);
	if (c)
		seccomp_release(c);
	if (rc < 0) {
		snprintf(why, whylen, "seccomp: %s", strerror(-rc));
		return -1;
	}
	return 0;
}
#endif

int sandbox_enter(const struct sandbox_limits *lim, int seccomp, char *why, unsigned whylen)
{
	if (limit(RLIMIT_CORE, 0, "RLIMIT_CORE", why, whylen) ||
	    limit(RLIMIT_FSIZE, lim->file_size, "RLIMIT_FSIZE", why, whylen))
		return -1;
	if (lim->address_space &&
	    limit(RLIMIT_AS, lim->address_space, "RLIMIT_AS", why, whylen))
		return -1;
	if (lim->cpu_seconds && limit(RLIMIT_CPU, lim->cpu_seconds, "RLIMIT_CPU", why, whylen))
		return -1;
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) {
		snprintf(why, whylen, "no_new_privs: %s", strerror(errno));
		return -1;
	}
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0) {
		snprintf(why, whylen, "PR_SET_DUMPABLE: %s", strerror(errno));
		return -1;
	}
	if (!seccomp)
		return 0;
	/* 1: no Landlock here, then seccomp allows no open at all */
	int ll = lim->no_landlock ? 1 : sandbox_landlock(lim->read_dirs, why, whylen);
	if (ll < 0)
		return -1;
#ifdef HAVE_SECCOMP
	return install_filter(ll == 0, why, whylen);
#else
	(void)ll;   /* a build without libseccomp has only Landlock */
	return 0;
#endif
}

int sandbox_drop_user(const char *user, char *why, unsigned whylen)
{
	if (geteuid() != 0 || !user || !*user)
		return 0;
	uid_t uid = 65534;
	gid_t gid = 65534;
	struct passwd *pw = getpwnam(user);
	if (pw) {
		uid = pw->pw_uid;
		gid = pw->pw_gid;
	} else if (strcmp(user, "nobody")) {
		snprintf(why, whylen, "no such user '%s' (extract_user)", user);
		return -1;
	}
	if (uid == 0) {
		snprintf(why, whylen, "extract_user '%s' is root", user);
		return -1;
	}
	if (setgroups(0, NULL) != 0 || setresgid(gid, gid, gid) != 0 ||
	    setresuid(uid, uid, uid) != 0) {
		snprintf(why, whylen, "cannot become '%s': %s", user, strerror(errno));
		return -1;
	}
	if (setuid(0) == 0) {   /* never go on with a way back */
		snprintf(why, whylen, "still able to regain root after dropping to '%s'", user);
		return -1;
	}
	return 0;
}

void sandbox_userns(void)
{
	/* Without root there is no user to drop to; a user namespace of its
	 * own (with a network namespace: no interface at all) still cuts the
	 * child off where the kernel allows unprivileged ones. */
	if (geteuid() != 0)
		(void)unshare(CLONE_NEWUSER | CLONE_NEWNET);
}
