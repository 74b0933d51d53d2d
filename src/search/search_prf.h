/* search_prf.h: pseudo-relevance feedback for keyword search (RM3):
 * the words of a query's best hits added to it (docs/search.md). */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef QUIRE_SEARCH_SEARCH_PRF_H
#define QUIRE_SEARCH_SEARCH_PRF_H

#include <stddef.h>
#include "base/status.h"

struct stxn;

/* Pseudo-relevance feedback for keyword search, RM3: the
 * feedback model is the terms of the docs best hits (their body stems as
 * indexed, numbers alone left out), each term's share of a hit's length,
 * the hits weighted by their share of the hits' scores; its terms
 * best first, renormalised over them, join the query at weight times the
 * query's own words' weight in all (a term of the query adds to its word).
 * *out new (free): w's words, then the new ones (weight > 0, body). */
struct lexical_hit;
struct lexical_word;
struct search_prf {
	size_t docs;      /* best hits read */
	size_t terms;     /* terms of the feedback model kept */
	double weight;    /* the feedback's weight against the query's words */
};
enum qstatus search_prf_expand(struct stxn *t, const struct lexical_hit *hits, size_t nh,
			       const struct search_prf *o, const struct lexical_word *w, size_t nw,
			       struct lexical_word **out, size_t *nout, struct qerr *err);

#endif
