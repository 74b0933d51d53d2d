/* search_impl.h: parts of search shared by search.c and search_query.c;
 * other modules use search.h. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef QUIRE_SEARCH_IMPL_H
#define QUIRE_SEARCH_IMPL_H

#include "base/conf.h"
#include "embed/embedder.h"
#include "base/status.h"

struct stxn;

/* Weight of feedback in the hybrid vector query: q / |q| + it v / |v|. */
#define SEARCH_FEEDBACK 1.0
/* Weight of a stop word's trigrams in a builtin query (content words get
 * their IDF). */
#define SEARCH_STOP_WEIGHT 0.3f

/* The configured embedding backend, kept while the configuration names
 * it (borrowed; callers hold the search cache's lock). NULL with err set. */
struct embed_backend *search_backend(const struct qconf *conf, struct qerr *err);
/* The query's vector (b->dims floats) into out. The builtin model weights
 * each query word by its BM25 IDF in the account's collection (read in t);
 * other models embed the text as it is. */
enum qstatus search_embed(struct stxn *t, const char *account, struct embed_backend *b,
			  const char *query, float *out, struct qerr *err);
/* The query words' context vectors (search_context.c): each word's
 * vector learned from the account's chunks, the mean unit vector of the
 * chunks best for the word alone by BM25 (the chunks it weighs most in,
 * so the words it occurs with weigh in it: co-occurrence in the model's
 * feature space) less the mean of a sample of all chunks (what every
 * chunk shares, so only co-occurrence beyond chance is left, as PMI
 * does), as a unit vector times the word's IDF, summed over the query's
 * distinct words into out (dims floats; *any 0 and out zeros when no word
 * has one). Only chunks g lets through count. */
struct vcache;
struct vgate;
struct search_context {
	struct stxn *t;
	const char *account;
	struct vcache *c;
	struct vgate *g;
	unsigned dims;
	size_t chunks;
};
enum qstatus search_word_context(const struct search_context *x, const char *query, float *out,
				 int *any, struct qerr *err);

/* Pseudo-relevance feedback for keyword search (search_prf.c), RM3: the
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
