/* backup.h: whole backups (database snapshot + referenced blobs), restore
 * into a stopped data directory, and verify's blob check. A backup
 * directory is laid out as a data directory: DIR/db (the recovered
 * snapshot, only the log files it needs) and DIR/blobs/ab/abcdef… */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef QUIRE_ADMIN_BACKUP_H
#define QUIRE_ADMIN_BACKUP_H

#include <stdio.h>
#include "base/conf.h"

struct store;

/* Back s (data directory conf->datadir) up into dir; prints the sizes.
 * Returns the exit status (0 done, 1 failed). */
int admin_backup(struct store *s, const struct qconf *conf, const char *dir, FILE *out,
		 FILE *err);
/* Restore backup dir into conf->datadir; the caller holds the data
 * directory lock (no quired runs) and has no store open. The previous
 * database is moved aside, never deleted. Returns the exit status. */
int admin_restore(const struct qconf *conf, const char *dir, FILE *out, FILE *err);
/* Every blob the documents of s reference exists under datadir: 0, or -1
 * with the missing ones named on err. */
int admin_check_blobs(struct store *s, const char *datadir, FILE *out, FILE *err);
/* Remove verify's leftover temporary directories: datadir/verify.* and
 * tmpdir/quire-verify.PID.* of processes that are gone. */
void admin_verify_sweep(const char *datadir, const char *tmpdir);

#endif
