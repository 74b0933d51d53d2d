/* sandbox.h: the confinement of quire-extract's extracting child, installed
 * after the plugin's init: resource limits, no new privileges and (when
 * built with libseccomp) a system call allow-list. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef QUIRE_SANDBOX_H
#define QUIRE_SANDBOX_H

struct sandbox_limits {
	unsigned long long address_space;  /* bytes, 0 = unlimited */
	unsigned cpu_seconds;              /* 0 = unlimited */
	unsigned long long file_size;      /* RLIMIT_FSIZE; 0 = no file may grow */
};

/* Install everything; 0 or -1 with a message in why. seccomp 0 skips the
 * filter (quire-extract --no-seccomp, for debugging only). */
int sandbox_enter(const struct sandbox_limits *lim, int seccomp, char *why, unsigned whylen);
/* 1 when this build installs a seccomp filter. */
int sandbox_has_seccomp(void);

#endif
