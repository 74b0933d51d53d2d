/* sandbox.h: the confinement of quire-extract's extracting child, installed
 * after the plugin's init: resource limits, no new privileges, a Landlock
 * ruleset (no path but read-only system data) and (when built with
 * libseccomp) a system call allow-list; before that, the drop from root to
 * an unprivileged user. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef QUIRE_SANDBOX_H
#define QUIRE_SANDBOX_H

struct sandbox_limits {
	unsigned long long address_space;  /* bytes, 0 = unlimited */
	unsigned cpu_seconds;              /* 0 = unlimited */
	unsigned long long file_size;      /* RLIMIT_FSIZE; 0 = no file may grow */
	const char *const *read_dirs;      /* NULL-terminated; Landlock lets these be read */
	int no_landlock;                   /* act as on a kernel without Landlock */
};

/* Install everything; 0 or -1 with a message in why. seccomp 0 skips the
 * filter and Landlock (quire-extract --no-seccomp, for debugging only).
 * Without Landlock in the kernel the filter allows no open at all. */
int sandbox_enter(const struct sandbox_limits *lim, int seccomp, char *why, unsigned whylen);
/* 1 when this build installs a seccomp filter. */
int sandbox_has_seccomp(void);
/* When running as root, become user (its uid and group, no supplementary
 * groups; "nobody" falls back to 65534 when unknown) for good: 0, or -1
 * with why (also when user is root). Does nothing for other uids or an
 * empty user. */
int sandbox_drop_user(const char *user, char *why, unsigned whylen);
/* Not root: move into a new user and network namespace when the kernel
 * allows unprivileged ones (best effort). */
void sandbox_userns(void);

#endif
