/* xorshift.h: Marsaglia's 32-bit xorshift, the repeatable generator of the
 * unit tests and benchmarks that draw random collections and queries. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef QUIRE_TESTS_XORSHIFT_H
#define QUIRE_TESTS_XORSHIFT_H

/* The next number of the sequence held in *s (never seed it with 0). */
static inline unsigned xorshift32(unsigned *s)
{
	unsigned x = *s;
	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	return *s = x;
}

#endif
