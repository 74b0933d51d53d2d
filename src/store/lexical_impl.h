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

/* A big-endian 32-bit value at p. */
static inline uint32_t lexical_u32_at(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

struct pblock;
/* A term's head record (lexical.h): *df its df and its pending postings
 * appended to tail (empty, at mean length avgdl); 0, or -1 when the bytes
 * are not a head of this layout (*df 0, tail empty). */
int lexical_head_pending(const void *val, size_t vlen, uint32_t *df, struct pblock *tail,
			 double avgdl);

#endif
