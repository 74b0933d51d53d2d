/* lexical.h: the inverted index for BM25, one per account: a posting per
 * (account, term, chunk) in T_POSTINGS, key: the account's 64-bit tag
 * (text_hash of its id), "term\0", "chunk-key\0",
 * value tf (u16) and the chunk's length in terms (u32). Terms are
 * Snowball stems of the words that are not stop words, in the chunk's
 * language. Document frequencies are counts of an account's term key range
 * (DB_RECNUM, O(log n)); each account's chunk count, total length and
 * chunks per language live in T_STATS "bm25:<account>", the index's
 * version in T_STATS "bm25". Statistics per account: one tenant's scores
 * never depend on what another tenant stored. Updated in the same
 * transaction as the chunks, so deletes and updates stay consistent. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef QUIRE_LEXICAL_H
#define QUIRE_LEXICAL_H

#include <stddef.h>
#include "base/status.h"
#include "text/text.h"

struct stxn;

enum qstatus lexical_add(struct stxn *t, const char *account, const char *chunk_key,
			 const char *text, enum text_lang lang, struct qerr *err);
enum qstatus lexical_remove(struct stxn *t, const char *account, const char *chunk_key,
			    const char *text, enum text_lang lang, struct qerr *err);

/* The languages a query is read in (a bit per enum text_lang) and the
 * one of them it is embedded in (*primary): the language whose stop words
 * it holds most of, when one does; otherwise ("Häuser in Berlin": "in" is
 * English, German, Italian and Dutch; or no stop word at all) each tied
 * language the collection holds chunks of, the commonest primary, since a
 * chunk's terms are stems in its own language; a query in another script
 * than Latin is read in the languages of its script the collection holds
 * (text_script_stems), the script's first language primary. chunks: the
 * collection's chunks per language. */
unsigned lexical_pick_langs(const char *query, size_t n, const double chunks[LANG_MAX],
			    enum text_lang *primary);
/* The same with the collection's counts from the statistics. */
enum qstatus lexical_query_langs(struct stxn *t, const char *account, const char *query,
				 unsigned *mask, enum text_lang *primary, struct qerr *err);

/* BM25 (k1 1.2, b 0.75) of every chunk matching a word of query read in
 * the languages of mask (lexical_query_langs): each word's stems in those
 * languages; a chunk matching two stems of one word scores the better
 * once. cb gets chunk key and score for each scored chunk (a chunk may
 * come once per matching word: the caller sums). *max (may be NULL) gets
 * the query's attainable score, the sum over its words of idf (k1 + 1)
 * (a word's best stem), words no chunk has included: a chunk's BM25 / max
 * (0..1) says how much of the query's weight it matches, strongly,
 * comparable across queries. */
#define BM25_K1 1.2
#define BM25_B 0.75
enum qstatus lexical_score(struct stxn *t, const char *account, const char *query, unsigned mask,
			   void (*cb)(const char *chunk_key, double score, void *arg), void *arg,
			   double *max, struct qerr *err);

/* BM25's length norm of a chunk of text in lang (text_lang as indexed):
 * 1 - b + b dl / avgdl, dl its indexed terms, avgdl the account's mean;
 * 1 when nothing of the account is indexed. A chunk longer than the mean
 * scores less per occurrence; chat's confidence takes that back out
 * (chat.h, chat_match_typical). */
enum qstatus lexical_length_norm(struct stxn *t, const char *account, const char *text,
				 enum text_lang lang, double *norm, struct qerr *err);

/* The account's chunk count and average chunk length in terms. */
enum qstatus lexical_collection(struct stxn *t, const char *account, double *n, double *avgdl,
				struct qerr *err);
/* Number of chunks holding term (a stem, len bytes), in O(log n). */
enum qstatus lexical_df(struct stxn *t, const char *account, const char *term, size_t len,
			size_t *df, struct qerr *err);

/* The layout and analysis behind the postings: 3 since postings and
 * statistics are per account; 2 was the first with NFKC_Casefold tokens
 * (utf8proc); an index built before has no version (0). An index of
 * another version must be rebuilt (quire-admin reindex). */
#define LEXICAL_VERSION 3
/* The version of the stored index (LEXICAL_VERSION when nothing is). */
enum qstatus lexical_version(struct stxn *t, int *version, struct qerr *err);
/* Removes every posting (*postings: how many) and resets the statistics,
 * marked LEXICAL_VERSION: the first step of a rebuild. */
enum qstatus lexical_clear(struct stxn *t, size_t *postings, struct qerr *err);
/* lexical_add unless the chunk's postings are there already (written
 * since lexical_clear by a writer running alongside the rebuild); *added
 * 1 when this call indexed it. */
enum qstatus lexical_add_missing(struct stxn *t, const char *account, const char *chunk_key,
				 const char *text, enum text_lang lang, int *added, struct qerr *err);

#endif
