/* lexical.h: the inverted index for BM25, one per account, and its
 * top-k evaluation. Each chunk of an account gets a dense chunk number
 * (the next of the account's statistics) when indexed; a term's postings
 * are blocks of up to 128 (chunk number, tf) pairs, varint gaps, with
 * each block's largest tf and shortest chunk in its header (postings.h).
 * In T_POSTINGS, keys starting with the account's 64-bit tag (text_hash
 * of its id):
 *   tag, "term\0"                -> the head: its pending postings (the
 *                                  newest, not yet in a block; each
 *                                  varint number gap, varint tf, varint
 *                                  length), then df (BE32) and the
 *                                  pending count (a byte); 128 pending
 *                                  (or 768 bytes of them) are sealed
 *                                  into a block
 *   tag, "term\0", last (BE32)   -> a sealed block, last its last number
 *   tag, "\1k\0", "chunk-key\0" -> its chunk number (u32)
 *   tag, "\1n\0", number (BE32) -> the chunk's length in terms (u32) and
 *                                  its key
 * Terms are Snowball stems of the words that are not stop words, in the
 * chunk's language, and compounds (text_compounds: "il-6", "3,4") kept
 * whole beside their parts; a chunk's title and section path fields are
 * terms of it too, each stem after a byte of its own
 * (LEXICAL_FIELD_TITLE, LEXICAL_FIELD_SECTION). A chunk's length counts
 * its body's words alone; field terms are scored without a length norm
 * (BM25 with b 0: no per-field lengths are kept; titles and headings are
 * short), times the field's weight. Each account's chunk count, total length, next chunk
 * number, chunks per language and an epoch (new at each rebuild) live in
 * T_STATS "bm25:<account>", the index's version in T_STATS "bm25".
 * Statistics per account: one tenant's scores never depend on what another
 * tenant stored. Updated in the same transaction as the chunks, so deletes
 * and updates stay consistent; numbers are handed out under the
 * statistics' write lock, so a term's postings are appended in order. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef QUIRE_LEXICAL_H
#define QUIRE_LEXICAL_H

#include <stddef.h>
#include <jansson.h>
#include <stdint.h>
#include "base/status.h"
#include "store/store.h"
#include "text/text.h"

struct stxn;

/* What of a chunk is indexed: its text, and, as fields with terms of
 * their own, its document's title and its section path, which every chunk
 * of the document carries (a query matching only the title finds every
 * chunk), except the chunk whose text holds the title (its words count
 * there already). */
enum lexical_field { LEX_BODY, LEX_TITLE, LEX_SECTION, LEX_FIELDS };
#define LEXICAL_FIELD_TITLE '\x02'
#define LEXICAL_FIELD_SECTION '\x03'
struct lexical_chunk {
	const char *text;
	const char *title;     /* NULL: none */
	const char *section;   /* NULL: none */
	enum text_lang lang;
};

enum qstatus lexical_add(struct stxn *t, const char *account, const char *chunk_key,
			 const struct lexical_chunk *c, struct qerr *err);
/* Postings held across several lexical_add_to calls of one transaction
 * and written by lexical_batch_write in the same transaction, each term
 * once (ingest batches, docs/ingest.md): the records are those
 * lexical_add writes. The chunk's number and statistics are written at
 * once. */
struct lexical_batch;
struct lexical_batch *lexical_batch_new(void);
void lexical_batch_free(struct lexical_batch *b);
enum qstatus lexical_add_to(struct stxn *t, const char *account, const char *chunk_key,
			    const struct lexical_chunk *c, struct lexical_batch *b,
			    struct qerr *err);
/* Write the held postings (b is empty after, whatever the outcome). */
enum qstatus lexical_batch_write(struct stxn *t, struct lexical_batch *b, struct qerr *err);
/* c: as it was indexed (the same terms are removed). */
enum qstatus lexical_remove(struct stxn *t, const char *account, const char *chunk_key,
			    const struct lexical_chunk *c, struct qerr *err);

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

/* ---- queries: a list of weighted words, top-k by block-max WAND ---- */

/* A query word: its terms (stems in the languages it is read in, after
 * the field's byte for a field; a chunk matching two of them scores the
 * better once), and a weight multiplying its BM25 (1 for a word as typed;
 * field, compound or repeated words may differ). A field word does not
 * count in the query's maximum (lexical_query_max). */
struct lexical_word {
	char term[LANG_MAX][TEXT_TOKEN_MAX + 1];
	unsigned char len[LANG_MAX];
	int nalt;
	double weight;
	enum lexical_field field;
};
/* How a query is read: its languages (lexical_query_langs' mask); each
 * word is looked up in the title and section fields too, weight times
 * field_weight[field] (0: not looked up; [LEX_BODY] unused); a compound of
 * the query (text_compounds) weighs compound_weight (0: none); a word
 * typed again adds repeat_weight (other forms of its stem add nothing). */
struct lexical_wopts {
	unsigned langs;
	double field_weight[LEX_FIELDS];
	double compound_weight;
	double repeat_weight;
};
/* Weight of a pair of adjacent CJK characters of the query (looked up
 * beside each character, like a compound). */
#define LEXICAL_BIGRAM_WEIGHT 1.0
enum qstatus lexical_query_words(const char *query, const struct lexical_wopts *o,
				 struct lexical_word **out, size_t *n, struct qerr *err);
/* The words of query read in the languages of mask (each distinct word
 * once, weight 1; no fields, no compounds). *out new (free), *n its count. */
enum qstatus lexical_words(const char *query, unsigned mask, struct lexical_word **out,
			   size_t *n, struct qerr *err);

/* A query over one account's index, read in t: the postings of its terms
 * (compressed, as stored) and the account's statistics. New; free with
 * lexical_query_free before t ends. */
struct lexq;
struct lexical_hit {
	char chunk[72];
	double score;
};
/* The k best chunks by BM25 (ties: the older chunk first) among those
 * accept (NULL: all) takes, best first, into out (k entries), *n how many.
 * accept gets the chunk key (len bytes, NUL-terminated) and returns 1 to
 * take it; it is asked only of chunks that could still enter the top k.
 * Block-max WAND: the same chunks and scores as lexical_query_all. */
typedef int (*lexical_accept_fn)(const char *chunk_key, size_t len, void *arg);
/* What a query read: postings of its terms, postings decoded, blocks in
 * all and decoded, chunks fully scored; MaxScore's postings summed into
 * its windows (the essential terms') and chunks probed in the other
 * terms' lists. */
struct lexical_qstats {
	size_t postings, decoded, blocks, blocks_decoded, scored;
	size_t summed, probed;
};

/* BM25 (lexical_bm25's k1, b) of every chunk matching a word of query read in
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
/* The k1 and b BM25 scores with in this process (search_bm25_k1,
 * search_bm25_b; BM25_K1 and BM25_B until set): k1 >= 0, b in 0..1. A
 * query reads them when it starts (lexical_query_new); the first query at
 * other values drops the postings cache (its bounds are at the old ones). */
void lexical_set_bm25(double k1, double b);
void lexical_bm25(double *k1, double *b);

/* BM25's length norm of a chunk of text in lang (text_lang as indexed):
 * 1 - b + b dl / avgdl, dl its indexed terms, avgdl the account's mean;
 * 1 when nothing of the account is indexed. A chunk longer than the mean
 * scores less per occurrence; chat's confidence takes that back out
 * (chat.h, chat_match_typical). */
enum qstatus lexical_length_norm(struct stxn *t, const char *account, const char *text,
				 enum text_lang lang, double *norm, struct qerr *err);

/* The body terms of text as a chunk in lang is indexed (stems of the
 * words that are not stop words; no compounds, no CJK pairs): cb gets each
 * distinct term (len bytes, not NUL-terminated), its count and the text's
 * length in terms (pseudo-relevance feedback reads a hit's words). */
typedef void (*lexical_term_fn)(const char *term, size_t len, unsigned tf, size_t total,
				void *arg);
enum qstatus lexical_text_terms(const char *text, enum text_lang lang, lexical_term_fn cb,
				void *arg, struct qerr *err);

/* The account's chunk count and average chunk length in terms. */
enum qstatus lexical_collection(struct stxn *t, const char *account, double *n, double *avgdl,
				struct qerr *err);
/* Number of chunks holding term (a stem, len bytes): one read. */
enum qstatus lexical_df(struct stxn *t, const char *account, const char *term, size_t len,
			size_t *df, struct qerr *err);

/* The layout and analysis behind the postings: 7 with a term's pending
 * postings in its head record (records of their own before: a put and a
 * delete each); 6 with pairs of adjacent
 * CJK characters as terms (text_cjk_bigrams); 5 with compounds and the
 * title and section fields' terms; 4 since postings are
 * blocks by chunk number; 3 when postings and statistics became per account; 2 was the first with NFKC_Casefold tokens
 * (utf8proc); an index built before has no version (0). An index of
 * another version must be rebuilt (quire-admin reindex). */
#define LEXICAL_VERSION 7
/* The version of the stored index (LEXICAL_VERSION when nothing is;
 * LEXICAL_VERSION_PARTIAL while a rebuild has not ended, or when one was
 * cut short: the index lacks chunks until a rebuild runs to its end). */
#define LEXICAL_VERSION_PARTIAL (-1)
enum qstatus lexical_version(struct stxn *t, int *version, struct qerr *err);
/* Removes every posting (*postings: how many) and resets the statistics,
 * marked LEXICAL_VERSION but partial: the first step of a rebuild. */
enum qstatus lexical_clear(struct stxn *t, size_t *postings, struct qerr *err);
/* The last step of a rebuild: the index marked LEXICAL_VERSION, whole. */
enum qstatus lexical_mark_built(struct stxn *t, struct qerr *err);
/* lexical_add unless the chunk's postings are there already (written
 * since lexical_clear by a writer running alongside the rebuild); *added
 * 1 when this call indexed it. */
enum qstatus lexical_add_missing(struct stxn *t, const char *account, const char *chunk_key,
				 const struct lexical_chunk *c, int *added, struct qerr *err);

/* The account's tag in its keys (lexical.h). */
uint64_t lexical_tag(const char *account);
/* tag, "term\0": a term's head record (its pending postings, df,
 * pending count) and the prefix of its sealed blocks (+ BE32 last
 * number). */
void lexical_term_key(struct store_key *k, uint64_t tag, const char *term, size_t len);
/* tag, "\1n\0" [, number]: the chunks by number (number < 0: the prefix). */
void lexical_num_key(struct store_key *k, uint64_t tag, long long num);
/* tag, "\1k\0", key: a chunk's number. */
void lexical_chunk_key(struct store_key *k, uint64_t tag, const char *chunk_key);

/* Append a 32-bit value big-endian. */
void lexical_key_u32(struct store_key *k, uint32_t v);
struct pblock;
/* A term's head record (above): *df its df and its pending postings
 * appended to tail (empty, at mean length avgdl); 0, or -1 when the bytes
 * are not a head of this layout (*df 0, tail empty). */
int lexical_head_pending(const void *val, size_t vlen, uint32_t *df, struct pblock *tail,
			 double avgdl);
/* An account's statistics record; *rec NULL when it has none. */
enum qstatus lexical_stats_get(struct stxn *t, const char *account, json_t **rec,
			       struct qerr *err);
/* A chunk's number by its key: Q_ENOTFOUND when it has none. */
enum qstatus lexical_chunk_num(struct stxn *t, uint64_t tag, const char *chunk_key, uint32_t *num,
			       struct qerr *err);
/* BM25 idf of a term in df of n chunks. */
double lexical_idf(double n, double df);

#endif
