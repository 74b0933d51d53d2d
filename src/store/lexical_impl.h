/* lexical_impl.h: parts of the keyword index shared by lexical.c (the
 * writers) and lexical_query.c (the evaluation); other modules use
 * lexical.h. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef QUIRE_LEXICAL_IMPL_H
#define QUIRE_LEXICAL_IMPL_H

#include <stdint.h>
#include <jansson.h>
#include "store/lexical.h"
#include "store/store.h"

/* The account's tag in its keys (lexical.h). */
uint64_t lexical_tag(const char *account);
/* tag, "term\0": a term's head record (varint df, varint pending) and
 * the prefix of its sealed blocks (+ BE32 last number) and its pending
 * postings (+ 0xff, BE32 number -> varint tf, varint length). */
void lexical_term_key(struct store_key *k, uint64_t tag, const char *term, size_t len);
/* tag, "\1n\0" [, number]: the chunks by number (number < 0: the prefix). */
void lexical_num_key(struct store_key *k, uint64_t tag, long long num);
/* tag, "\1k\0", key: a chunk's number. */
void lexical_chunk_key(struct store_key *k, uint64_t tag, const char *chunk_key);
/* A big-endian 32-bit value at p. */
static inline uint32_t lexical_u32_at(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}
/* Append a 32-bit value big-endian. */
void lexical_key_u32(struct store_key *k, uint32_t v);
/* An account's statistics record; *rec NULL when it has none. */
enum qstatus lexical_stats_get(struct stxn *t, const char *account, json_t **rec,
			       struct qerr *err);
/* A chunk's number by its key: Q_ENOTFOUND when it has none. */
enum qstatus lexical_chunk_num(struct stxn *t, uint64_t tag, const char *chunk_key, uint32_t *num,
			       struct qerr *err);
/* BM25 idf of a term in df of n chunks. */
double lexical_idf(double n, double df);

#endif
