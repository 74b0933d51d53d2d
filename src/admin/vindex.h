/* vindex.h: the vector index's centroids trained by quire-admin reindex
 * (search/ivf.h). */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef QUIRE_ADMIN_VINDEX_H
#define QUIRE_ADMIN_VINDEX_H

#include "admin/admin.h"

/* Load the configured model's vectors, train the inverted file's
 * centroids (search_ivf_lists) outside any transaction and store them;
 * every worker's cache takes them at its next search. 0, or 1 with a
 * message on err. Without vectors there is nothing to train: 0. */
int admin_vector_index(struct store *s, const struct qconf *conf, FILE *out, FILE *err);

#endif
