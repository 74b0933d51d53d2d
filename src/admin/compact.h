/* compact.h: quire-admin compact, the database files packed and their
 * emptied pages given back to the file system. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef QUIRE_ADMIN_COMPACT_H
#define QUIRE_ADMIN_COMPACT_H

#include "admin/admin.h"

/* compact [FILE...] (compact.c): every database file, or the ones named
 * (postings.db, chunks.db...), in steps of conf->db_compact_step_mb; one
 * line a file. 0, 1 on a failure (what was done stays), 2 on a name that
 * is not a database file. */
int admin_compact(struct store *s, const struct qconf *conf, int argc, char **argv, FILE *out,
		  FILE *errf);

#endif
