/* unit.h: fixtures shared by the unit tests: scratch directories and an
 * owner-mode store inside one. Header-only, like tap.h. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef QUIRE_UNIT_H
#define QUIRE_UNIT_H

#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "store/store.h"
#include "tap.h"

static int unit_rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(path);
}

/* A new empty directory under $TMPDIR (or /tmp) into dir (PATH_MAX). */
__attribute__((unused)) static void unit_tmpdir(char *dir, const char *name)
{
	const char *tmp = getenv("TMPDIR");
	snprintf(dir, PATH_MAX, "%s/quire-%s-XXXXXX", tmp && *tmp ? tmp : "/tmp", name);
	if (!mkdtemp(dir))
		bail_out("mkdtemp %s failed", dir);
}

/* Remove dir and everything below it (unless $QUIRE_KEEP_TMP is set). */
__attribute__((unused)) static void unit_rmtree(const char *dir)
{
	if (getenv("QUIRE_KEEP_TMP")) {
		diag("kept %s", dir);
		return;
	}
	nftw(dir, unit_rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* Open a fresh owner-mode store in dir/db; bails out on failure. */
__attribute__((unused)) static struct store *unit_store(const char *dir)
{
	char home[PATH_MAX + 8];
	struct store *s;
	struct qerr err;
	snprintf(home, sizeof home, "%s/db", dir);
	if (store_open(&s, home, STORE_OWNER, &err) != Q_OK)
		bail_out("store_open %s: %s", home, err.msg);
	return s;
}

#endif
