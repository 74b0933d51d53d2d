/* vindex.h: the vector index's centroids trained by quire-admin reindex
 * and by quire-embed (search/ivf.h). */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef QUIRE_ADMIN_VINDEX_H
#define QUIRE_ADMIN_VINDEX_H

#include "admin/admin.h"

/* Load the configured model's vectors, train the inverted file's
 * centroids (search_ivf_lists) outside any transaction and store them;
 * every worker's cache takes them at its next search. 0, or 1 with a
 * message on err. Without vectors there is nothing to train: 0. */
int admin_vector_index(struct store *s, const struct qconf *conf, FILE *out, FILE *err);

/* quire-embed's look at the vector index of model: bring this process's
 * cache up to date and, when its vectors are past search_exact_max with no
 * centroids, or have grown search_ivf_retrain_growth times since the last
 * training, train and store them as reindex does (logging how long it
 * took). 1 when trained, 0 when not due (or nothing held: over
 * search_cache_mb), -1 with err set. The cache stays held for the next
 * look, which then reads only the changes. */
int vindex_look(struct store *s, const struct qconf *conf, const char *model, struct qerr *err);

#endif
