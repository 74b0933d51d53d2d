/* conftest.c: quired -t, check the configuration and the paths it names. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "daemon/conftest.h"
#include "base/conf.h"
#include "base/spawn.h"

#include <errno.h>
#include <sysexits.h>
#include <grp.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

static int failures;

static void fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void fail(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fprintf(stderr, "quired: ");
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	failures++;
}

/* dir exists and this user may create files in it, or its nearest existing
 * ancestor lets this user create it. */
static void check_dir(const char *what, const char *dir)
{
	char p[PATH_MAX];
	struct stat st;

	snprintf(p, sizeof p, "%s", dir);
	if (stat(p, &st) == 0) {
		if (!S_ISDIR(st.st_mode))
			fail("%s %s is not a directory", what, dir);
		else if (access(p, W_OK | X_OK) < 0)
			fail("%s %s is not writable by this user", what, dir);
		return;
	}
	for (;;) {
		char *slash = strrchr(p, '/');
		if (!slash)
			break;
		if (slash == p)
			slash[1] = '\0';
		else
			*slash = '\0';
		if (stat(p, &st) == 0) {
			if (!S_ISDIR(st.st_mode) || access(p, W_OK | X_OK) < 0)
				fail("%s %s is missing and cannot be created here", what, dir);
			return;
		}
		if (slash == p)
			break;
	}
	fail("%s %s: no existing parent directory", what, dir);
}

static void check_socket(const char *what, const char *path)
{
	struct sockaddr_un sa;
	char dir[PATH_MAX];

	if (strlen(path) >= sizeof sa.sun_path) {
		fail("%s %s is longer than a Unix socket path may be", what, path);
		return;
	}
	snprintf(dir, sizeof dir, "%s", path);
	char *slash = strrchr(dir, '/');
	if (slash && slash != dir) {
		*slash = '\0';
		check_dir(what, dir);
	}
}

static void check_program(const char *name, const char *installed_dir)
{
	char path[PATH_MAX];
	spawn_find(name, installed_dir, path);
	if (access(path, X_OK) < 0)
		fail("program %s not found (%s)", name, path);
}

int conftest_run(const char *conf_path)
{
	struct qconf c;
	struct qerr err;
	char path[PATH_MAX];

	if (conf_path)
		setenv("QUIRE_CONF", conf_path, 1);
	const char *file = qconf_path();
	if (qconf_load_default(&c, &err) != Q_OK || qconf_check(&c, &err) != Q_OK) {
		fprintf(stderr, "quired: configuration: %s\n", err.msg);
		fprintf(stderr, "quired: configuration test failed\n");
		return EX_CONFIG;
	}
	if (access(file, F_OK) == 0)
		fprintf(stderr, "quired: the configuration file %s syntax is ok\n", file);
	else
		fprintf(stderr, "quired: no configuration file at %s: the defaults apply\n", file);
	check_dir("data directory", c.datadir);
	check_socket("socket", c.socket);
	if (c.control[0])
		check_socket("control socket", c.control);
	else {
		qconf_datapath(&c, "control.sock", path);
		check_socket("control socket", path);
	}
	if (c.socket_group[0] && !getgrnam(c.socket_group))
		fail("socket_group %s is not a group on this system", c.socket_group);
	check_program("quire.fcgi", QUIRE_LIBEXECDIR);
	check_program("quire-ingest", QUIRE_LIBEXECDIR);
	check_program("quire-extract", QUIRE_LIBEXECDIR);
	check_program("quire-embed", QUIRE_BINDIR);
	check_program("quire-admin", QUIRE_BINDIR);
	if (failures) {
		fprintf(stderr, "quired: configuration test failed\n");
		return 1;
	}
	fprintf(stderr, "quired: configuration test is successful\n");
	return 0;
}
