/* postings.h: the block codec of the keyword index's postings: up to
 * POSTINGS_BLOCK (chunk number, term frequency) pairs in ascending chunk
 * number, varint-coded (the first number whole, then the gaps, then the
 * frequencies), behind a header with the entry count, the block's
 * largest frequency and shortest chunk, and the largest BM25 term
 * frequency part tf / (tf + k1 (1 - b + b dl / a0)) of its entries at the
 * collection's mean length a0 when the block was made: bounds of any entry's
 * BM25 without decoding the block (block-max WAND, lexical_query.c). */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef QUIRE_POSTINGS_H
#define QUIRE_POSTINGS_H

#include <stddef.h>
#include <stdint.h>

#define POSTINGS_BLOCK 128
/* The most bytes a block encodes to: 4 header varints and 2 per entry. */
#define POSTINGS_BLOCK_BYTES (3 * 5 + 8 + POSTINGS_BLOCK * (5 + 3))

struct pblock {
	uint32_t n;                      /* entries */
	uint32_t maxtf, mindl;           /* bounds over the entries (may be loose) */
	float a0, fmax;                  /* mean length then, largest tf part at it */
	uint32_t doc[POSTINGS_BLOCK];    /* ascending chunk numbers */
	uint16_t tf[POSTINGS_BLOCK];
};

/* Encode b into out (POSTINGS_BLOCK_BYTES at least); returns the size. */
size_t pblock_encode(const struct pblock *b, unsigned char *out);
/* Decode a whole block; 0, or -1 when the bytes are not a block (too
 * short, too many entries, numbers not ascending). */
int pblock_decode(const unsigned char *in, size_t len, struct pblock *b);
/* Only the header into b (n, maxtf, mindl, a0, fmax): its size, or -1. */
int pblock_header(const unsigned char *in, size_t len, struct pblock *b);
/* The k1, b of BM25 the bounds are computed with (lexical.h's). */
#define POSTINGS_K1 1.2
#define POSTINGS_B 0.75
/* Append (doc, tf, dl) to b (doc above its last, b not full), avgdl the
 * collection's mean length now (a0 when b is empty): 0, or -1. */
int pblock_append(struct pblock *b, uint32_t doc, uint32_t tf, uint32_t dl, double avgdl);
/* The most tf / (tf + k1 (1 - b + b dl / avgdl)) of an entry of b can be
 * at mean length avgdl, for a query's k1 and b (bb): the header's fmax
 * (at POSTINGS_K1, POSTINGS_B) scaled when avgdl grew past a0 (the part
 * grows at most as avgdl / a0) and when k1, b make the denominator
 * smaller, and never above what maxtf and mindl allow. */
double pblock_bound(const struct pblock *b, double avgdl, double k1, double bb);
/* Remove doc from b: 1 when it was there, 0 otherwise. The bounds stay,
 * still bounds of what is left. */
int pblock_remove(struct pblock *b, uint32_t doc);

/* Varints (LEB128), exposed for the index's other records: put returns
 * the bytes written (at most 5); get returns the bytes read, 0 when the
 * input ends first or the number is longer than 32 bits. */
size_t varint_put(unsigned char *out, uint32_t v);
size_t varint_get(const unsigned char *in, size_t len, uint32_t *v);

#endif
