/* vdot.h: the int8 dot-product kernel of the vector search (vscan.c's
 * scans, ivf.c's centroids). */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef QUIRE_SEARCH_VDOT_H
#define QUIRE_SEARCH_VDOT_H

#include <stddef.h>
#include <stdint.h>

/* Dot product of two int8 vectors of n values (n a multiple of 64, both
 * 32-byte aligned): AVX-512 VNNI or AVX2 when the CPU has it, else a loop
 * GCC vectorises. */
int32_t vcache_dot(const int8_t *a, const int8_t *b, size_t n);

/* The kernel vcache_dot calls, for loops that call it many times. */
typedef int32_t (*vdot_fn)(const int8_t *, const int8_t *, size_t);
vdot_fn vdot_kernel(void);

/* "avx512vnni", "avx2" or "c": the kernel in use. */
const char *vdot_kernel_name(void);

#endif
