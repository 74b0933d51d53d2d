/* reindex.h: quire-admin reindex, the keyword index rebuilt from the stored
 * chunks (after a change of the text analysis, LEXICAL_VERSION). */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef QUIRE_ADMIN_REINDEX_H
#define QUIRE_ADMIN_REINDEX_H

#include "admin/admin.h"

/* reindex: every posting removed, then every stored chunk indexed again
 * in transactions of a few chunks (reindex.c); writers may run meanwhile. */
int admin_reindex(struct store *s, FILE *out, FILE *err);
/* The stored keyword index's version (lexical.h LEXICAL_VERSION). */
enum qstatus admin_index_version(struct store *s, int *version, struct qerr *err);
/* Why an index of this version must be rebuilt, as a clause ("the keyword
 * index's last rebuild did not end", "the keyword index is of version 6,
 * not 7"; in buf), or NULL when it is current. */
const char *admin_index_stale(int version, char *buf, size_t n);

#endif
