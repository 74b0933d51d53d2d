/* search_prox.h: term proximity for keyword search: a candidate's
 * neighbouring query words found close together (docs/search.md). */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef QUIRE_SEARCH_SEARCH_PROX_H
#define QUIRE_SEARCH_SEARCH_PROX_H

#include <stddef.h>
#include "base/status.h"

struct stxn;
struct lexical_word;

struct search_prox {
	double weight;     /* of the proximity score beside BM25; 0: off */
	unsigned window;   /* two words closer than this count, either order */
	double k1, b;      /* BM25's, for the pairs' counts */
	double title_weight; /* of the query's words in the chunk's document title; 0: off */
};

/* The proximity score of each of the chunks (keys, n of them) into out:
 * per pair of neighbouring body words of the query (in its order), how
 * often they stand within o->window words of each other in the chunk's
 * text (stop words left out), once more when in the query's order and at
 * most two words apart, as BM25 with the pair's mean idf, times
 * o->weight; plus, at o->title_weight, the query's body words found in
 * the title of the chunk's document (every chunk of it, the first one
 * too), each as BM25 without length normalisation. The texts are read
 * again with the index's analysis. 0 for a chunk that is gone; no
 * proximity when the query has fewer than two body words. */
enum qstatus search_prox_scores(struct stxn *t, const char *account,
				const struct lexical_word *w, size_t nw,
				const char *const *chunks, size_t n, const struct search_prox *o,
				double *out, struct qerr *err);

#endif
