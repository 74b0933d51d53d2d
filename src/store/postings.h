/* postings.h: the block codec of the keyword index's postings: up to
 * POSTINGS_BLOCK (chunk number, term frequency) pairs in ascending chunk
 * number, varint-coded (the first number whole, then the gaps, then the
 * frequencies), behind a header with the entry count and the block's
 * largest frequency and shortest chunk, which bound any entry's BM25
 * without decoding the block (block-max WAND, lexical_query.c). */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef QUIRE_POSTINGS_H
#define QUIRE_POSTINGS_H

#include <stddef.h>
#include <stdint.h>

#define POSTINGS_BLOCK 128
/* The most bytes a block encodes to: 4 header varints and 2 per entry. */
#define POSTINGS_BLOCK_BYTES (4 * 5 + POSTINGS_BLOCK * (5 + 3))

struct pblock {
	uint32_t n;                      /* entries */
	uint32_t maxtf, mindl;           /* bounds over the entries (may be loose) */
	uint32_t doc[POSTINGS_BLOCK];    /* ascending chunk numbers */
	uint16_t tf[POSTINGS_BLOCK];
};

/* Encode b into out (POSTINGS_BLOCK_BYTES at least); returns the size. */
size_t pblock_encode(const struct pblock *b, unsigned char *out);
/* Decode a whole block; 0, or -1 when the bytes are not a block (too
 * short, too many entries, numbers not ascending). */
int pblock_decode(const unsigned char *in, size_t len, struct pblock *b);
/* Only the header: entry count and bounds; 0 or -1 as above. */
int pblock_header(const unsigned char *in, size_t len, uint32_t *n, uint32_t *maxtf,
		  uint32_t *mindl);
/* Append (doc, tf, dl) to b (doc above its last, b not full): 0, or -1. */
int pblock_append(struct pblock *b, uint32_t doc, uint32_t tf, uint32_t dl);
/* Remove doc from b: 1 when it was there, 0 otherwise. The bounds stay,
 * still bounds of what is left. */
int pblock_remove(struct pblock *b, uint32_t doc);

/* Varints (LEB128), exposed for the index's other records: put returns
 * the bytes written (at most 5); get returns the bytes read, 0 when the
 * input ends first or the number is longer than 32 bits. */
size_t varint_put(unsigned char *out, uint32_t v);
size_t varint_get(const unsigned char *in, size_t len, uint32_t *v);

#endif
