/* lexical_query.h: BM25 top-k over the postings blocks by block-max WAND,
 * term at a time or MaxScore in windows of chunk numbers,
 * an exhaustive evaluation giving the same scores, and the process's table
 * of chunk numbers (lengths and keys) it scores with. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef QUIRE_STORE_LEXICAL_QUERY_H
#define QUIRE_STORE_LEXICAL_QUERY_H

#include "store/lexical.h"

enum qstatus lexical_query_new(struct stxn *t, const char *account, const struct lexical_word *w,
			       size_t n, struct lexq **out, struct qerr *err);
void lexical_query_free(struct lexq *q);
/* The process's cache of the postings queries read (compressed, as
 * stored; per account, dropped when its statistics change): its bound in
 * MiB (search_postings_cache_mb; 0 turns it off), and its hits, misses
 * and bytes so far. */
void lexical_set_cache_mb(size_t mb);
void lexical_cache_counts(unsigned long *hits, unsigned long *misses, size_t *bytes);
/* How lexical_query_top evaluates (tests and benchmarks: all give the
 * same ranking). */
enum lexical_eval {
	LEXICAL_EVAL_RULE = -1,   /* by its rule: one term by its blocks'
				   * bounds; for many terms or a deep k term
				   * at a time, or MaxScore in a large
				   * account; else block-max WAND */
	LEXICAL_EVAL_WAND = 0,    /* block-max WAND */
	LEXICAL_EVAL_TAAT = 1,    /* term at a time over every posting */
	LEXICAL_EVAL_MAXSCORE = 2,   /* MaxScore in windows of chunk numbers */
	LEXICAL_EVAL_IMPACT = 3,  /* one term's blocks in the order of their
				   * bounds (WAND for more than one term) */
};
void lexical_set_eval(enum lexical_eval mode);
/* MaxScore's seed: the rarest terms' postings it sums, 4,096 at most (the
 * default); 0 takes the rarest term's best blocks instead (tests: either
 * seed gives the same ranking). */
void lexical_set_seed_postings(size_t n);
/* The query's attainable score: the sum over its words of weight idf
 * (k1 + 1) (a word's best term that some chunk holds, else its first). */
double lexical_query_max(const struct lexq *q);

enum qstatus lexical_query_top(struct lexq *q, size_t k, lexical_accept_fn accept, void *arg,
			       struct lexical_hit *out, size_t *n, struct qerr *err);
/* Every matching chunk (exhaustive, by chunk number): cb gets key and
 * score. Once per query object: it consumes the cursors, like _top. */
enum qstatus lexical_query_all(struct lexq *q,
			       void (*cb)(const char *chunk_key, double score, void *arg), void *arg,
			       struct qerr *err);
/* The BM25 of one chunk (0 when it matches nothing or is not indexed);
 * may follow _top or _all. */
enum qstatus lexical_query_chunk(struct lexq *q, const char *chunk_key, double *score,
				 struct qerr *err);
/* The same with its body words alone (field words left out): the share
 * of lexical_query_max a chunk matches. */
enum qstatus lexical_query_body(struct lexq *q, const char *chunk_key, double *score,
				struct qerr *err);

void lexical_query_stats(const struct lexq *q, struct lexical_qstats *out);

enum qstatus lexical_score(struct stxn *t, const char *account, const char *query, unsigned mask,
			   void (*cb)(const char *chunk_key, double score, void *arg), void *arg,
			   double *max, struct qerr *err);

#endif
