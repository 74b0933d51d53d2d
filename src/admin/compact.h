/* compact.h: quire-admin compact, the database files packed and their
 * emptied pages given back to the file system. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef QUIRE_ADMIN_COMPACT_H
#define QUIRE_ADMIN_COMPACT_H

#include "admin/admin.h"

#include <stdint.h>

/* compact [FILE...] (compact.c): every database file, or the ones named
 * (postings.db, chunks.db...), in steps of conf->db_compact_step_mb; one
 * line a file. 0, 1 on a failure (what was done stays), 2 on a name that
 * is not a database file. */
int admin_compact(struct store *s, const struct qconf *conf, int argc, char **argv, FILE *out,
		  FILE *errf);

/* The automatic compaction (quire-embed's loop, quire-admin cron):
 * whether db_compact_interval seconds have passed since the last finished
 * one (the stamp DATADIR/compacted's time; a missing stamp is made now,
 * so the first comes an interval after the first start). */
int compact_due(const struct qconf *conf);
/* Every file compacted until q_mono_ms() reaches deadline_ms (0: none);
 * the stamp touched when all were done. Logs what it did. 1 when all
 * were done, 0 cut short, -1 on a failure (logged). */
int compact_auto(struct store *s, const struct qconf *conf, int64_t deadline_ms);

#endif
