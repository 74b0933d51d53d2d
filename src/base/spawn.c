/* spawn.c: locate sibling programs. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "base/spawn.h"

#include <ctype.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

void spawn_find(const char *name, const char *installed_dir, char *out)
{
	char var[64] = "QUIRE_";
	size_t j = 6;
	for (const char *p = name; *p && j < sizeof var - 10; p++)
		var[j++] = isalnum((unsigned char)*p) ? (char)toupper((unsigned char)*p) : '_';
	snprintf(var + j, sizeof var - j, "_PROGRAM");
	const char *env = getenv(var);
	if (env && *env) {
		snprintf(out, PATH_MAX, "%s", env);
		return;
	}
	char self[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
	if (n > 0) {
		self[n] = '\0';
		char *slash = strrchr(self, '/');
		if (slash) {
			*slash = '\0';
			snprintf(out, PATH_MAX, "%s/%s", self, name);
			if (access(out, X_OK) == 0)
				return;
		}
	}
	snprintf(out, PATH_MAX, "%s/%s", installed_dir, name);
}

void spawn_child_init(void)
{
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	const char *lockfd = getenv("QUIRE_LOCK_FD");
	if (lockfd && *lockfd)
		fcntl(atoi(lockfd), F_SETFD, FD_CLOEXEC);   /* not for our own children */
}
