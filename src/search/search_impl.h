/* search_impl.h: parts of search shared by search.c and search_query.c;
 * other modules use search.h. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef QUIRE_SEARCH_IMPL_H
#define QUIRE_SEARCH_IMPL_H

#include "base/conf.h"
#include "embed/embedder.h"
#include "base/status.h"

struct stxn;

/* Weight of a stop word's trigrams in a builtin query (content words get
 * their IDF). */
#define SEARCH_STOP_WEIGHT 0.3f

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
	double idf_power;   /* a word's context weighs idf^idf_power (search_word_context_idf) */
	/* 1: the filter shows the whole account (or a knowledge base of it:
	 * no org, role, document or folder filter), so the contexts quire-embed
	 * stored (search_word_context_stored) may serve; they are used while
	 * no more than stale of the account's chunks changed since */
	int stored;
	double stale;
	size_t stored_min;   /* search_word_context_stored_min: what they were computed with */
};

#endif
