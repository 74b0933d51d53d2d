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

#endif
