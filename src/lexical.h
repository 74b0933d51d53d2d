/* lexical.h: the inverted index for BM25: one posting per (term, chunk)
 * in T_POSTINGS, key "term\0chunk-key", value tf (u16) and the chunk's
 * length in terms (u32). Terms are Snowball stems of the words that are
 * not stop words, in the chunk's language. Document frequencies are counts
 * of a term's key range (DB_RECNUM, O(log n)); the collection's chunk count
 * and total length live in T_STATS "bm25". Updated in the same transaction
 * as the chunks, so deletes and updates stay consistent. */
#ifndef QUIRE_LEXICAL_H
#define QUIRE_LEXICAL_H

#include <stddef.h>
#include "status.h"
#include "text.h"

struct stxn;

enum qstatus lexical_add(struct stxn *t, const char *chunk_key, const char *text,
			 enum text_lang lang, struct qerr *err);
enum qstatus lexical_remove(struct stxn *t, const char *chunk_key, const char *text,
			    enum text_lang lang, struct qerr *err);

/* Distinct terms of text (stems, stop words dropped), for queries. cb gets
 * each term once; returns the number of terms. */
size_t lexical_terms(const char *text, size_t n, enum text_lang lang,
		     void (*cb)(const char *term, size_t len, void *arg), void *arg);

/* BM25 (k1 1.2, b 0.75) of every chunk matching a term of query; cb gets
 * chunk key and score for each scored chunk (a chunk may come once per
 * matching term: the caller sums). *max (may be NULL) gets the query's
 * attainable score, the sum over its terms of idf (k1 + 1), terms no chunk
 * has included: a chunk's BM25 / max (0..1) says how much of the query's
 * weight it matches, strongly, comparable across queries. */
#define BM25_K1 1.2
#define BM25_B 0.75
enum qstatus lexical_score(struct stxn *t, const char *query, enum text_lang lang,
			   void (*cb)(const char *chunk_key, double score, void *arg), void *arg,
			   double *max, struct qerr *err);

/* The collection's chunk count and average chunk length in terms. */
enum qstatus lexical_collection(struct stxn *t, double *n, double *avgdl, struct qerr *err);
/* Number of chunks holding term (a stem, len bytes), in O(log n). */
enum qstatus lexical_df(struct stxn *t, const char *term, size_t len, size_t *df,
			struct qerr *err);

#endif
