/* search_query.h: the query's vector: the configured backend, kept per
 * process; for the builtin model, each query word weighted by its IDF in
 * the collection. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef QUIRE_SEARCH_SEARCH_QUERY_H
#define QUIRE_SEARCH_SEARCH_QUERY_H

#include "search/search_impl.h"

/* The configured embedding backend, kept while the configuration names
 * it (borrowed; callers hold the search cache's lock). NULL with err set. */
struct embed_backend *search_backend(const struct qconf *conf, struct qerr *err);
/* The query's vector (b->dims floats) into out. The builtin model weights
 * each query word by its BM25 IDF in the account's collection (read in t);
 * other models embed the text as it is. */
enum qstatus search_embed(struct stxn *t, const char *account, struct embed_backend *b,
			  const char *query, float *out, struct qerr *err);

#endif
