/* landlock.c: the extractor's filesystem view: nothing but read-only system data.
 *
 * A Landlock ruleset that handles every filesystem right the running
 * kernel knows (and, from ABI 4, TCP bind and connect; from ABI 6, signals
 * and abstract Unix sockets outside the domain), with one rule per
 * allowed directory granting only reading files and listing directories.
 * After landlock_restrict_self the child can open no path outside those
 * directories, for reading or writing, whatever its uid; descriptors it
 * already holds (the input, stdout, stderr) keep working. Debian 12's
 * headers predate ABI 4, so the newer fields and flags are declared here;
 * the kernel reads only as much of the attribute as the size passed. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "sandbox.h"
#include "landlock.h"

#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>
#ifdef HAVE_LINUX_LANDLOCK_H
#include <linux/landlock.h>
#endif

#if defined(HAVE_LINUX_LANDLOCK_H) && defined(SYS_landlock_create_ruleset)
#define LL_TRUNCATE (1ULL << 14)        /* ABI 3 */
#define LL_IOCTL_DEV (1ULL << 15)       /* ABI 5 */
#define LL_NET_BIND_TCP (1ULL << 0)     /* ABI 4 */
#define LL_NET_CONNECT_TCP (1ULL << 1)
#define LL_SCOPE_ABSTRACT_UNIX (1ULL << 0)   /* ABI 6 */
#define LL_SCOPE_SIGNAL (1ULL << 1)

struct ll_ruleset {
	uint64_t handled_access_fs;
	uint64_t handled_access_net;
	uint64_t scoped;
};

int sandbox_landlock_abi(void)
{
	long v = syscall(SYS_landlock_create_ruleset, NULL, 0, LANDLOCK_CREATE_RULESET_VERSION);
	return v < 0 ? 0 : (int)v;
}

/* Every filesystem right of ABI abi. */
static uint64_t fs_rights(int abi)
{
	uint64_t r = (LANDLOCK_ACCESS_FS_MAKE_SYM << 1) - 1;   /* ABI 1: bits 0-12 */
	if (abi >= 2)
		r |= LANDLOCK_ACCESS_FS_REFER;
	if (abi >= 3)
		r |= LL_TRUNCATE;
	if (abi >= 5)
		r |= LL_IOCTL_DEV;
	return r;
}

static int allow_dir(int ruleset, const char *dir)
{
	struct landlock_path_beneath_attr pb = {
		.allowed_access = LANDLOCK_ACCESS_FS_READ_FILE | LANDLOCK_ACCESS_FS_READ_DIR,
	};
	pb.parent_fd = open(dir, O_PATH | O_CLOEXEC);
	if (pb.parent_fd < 0)
		return errno == ENOENT || errno == ENOTDIR ? 0 : -1;   /* nothing to allow */
	int rc = (int)syscall(SYS_landlock_add_rule, ruleset, LANDLOCK_RULE_PATH_BENEATH, &pb, 0);
	close(pb.parent_fd);
	return rc;
}

int sandbox_landlock(const char *const *read_dirs, char *why, unsigned whylen)
{
	int abi = sandbox_landlock_abi();
	if (abi <= 0) {
		snprintf(why, whylen, "landlock: not available in this kernel");
		return 1;
	}
	struct ll_ruleset attr = { .handled_access_fs = fs_rights(abi) };
	size_t size = sizeof attr.handled_access_fs;
	if (abi >= 4) {
		attr.handled_access_net = LL_NET_BIND_TCP | LL_NET_CONNECT_TCP;
		size = offsetof(struct ll_ruleset, scoped);
	}
	if (abi >= 6) {
		attr.scoped = LL_SCOPE_ABSTRACT_UNIX | LL_SCOPE_SIGNAL;
		size = sizeof attr;
	}
	int fd = (int)syscall(SYS_landlock_create_ruleset, &attr, size, 0);
	if (fd < 0) {
		snprintf(why, whylen, "landlock_create_ruleset: %s", strerror(errno));
		return -1;
	}
	int rc = 0;
	for (size_t i = 0; rc == 0 && read_dirs && read_dirs[i]; i++)
		if (allow_dir(fd, read_dirs[i]) != 0) {
			snprintf(why, whylen, "landlock: %s: %s", read_dirs[i], strerror(errno));
			rc = -1;
		}
	if (rc == 0 && syscall(SYS_landlock_restrict_self, fd, 0) != 0) {
		snprintf(why, whylen, "landlock_restrict_self: %s", strerror(errno));
		rc = -1;
	}
	close(fd);
	return rc;
}
#else
int sandbox_landlock_abi(void)
{
	return 0;
}

int sandbox_landlock(const char *const *read_dirs, char *why, unsigned whylen)
{
	(void)read_dirs;
	snprintf(why, whylen, "landlock: not in this build");
	return 1;
}
#endif
