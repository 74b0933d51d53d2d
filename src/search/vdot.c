/* vdot.c: the int8 dot-product kernel of the vector search: AVX-512
 * VNNI, AVX2 or plain C, picked once at run time (see vdot.h). */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "search/vdot.h"

#include <pthread.h>
#include <stdlib.h>
#if defined(__GNUC__) && defined(__x86_64__)
#include <immintrin.h>
#define HAVE_AVX2_KERNEL 1
#endif

/* ---- the kernel ----------------------------------------------------------- */

/* Plain C in blocks of 64: a fixed trip count needs no scalar epilogue,
 * so GCC 12 vectorises the inner loop even at -O2's "very cheap" cost
 * model (SSE2, in every x86-64; NEON on arm64). */
static int32_t dot_c(const int8_t *a, const int8_t *b, size_t n)
{
	int32_t s = 0;
	for (size_t i = 0; i < n; i += 64) {
		int32_t block = 0;
		for (size_t j = 0; j < 64; j++)
			block += (int16_t)a[i + j] * (int16_t)b[i + j];
		s += block;
	}
	return s;
}

#ifdef HAVE_AVX2_KERNEL
/* 32 values per step: |a| (unsigned) times b with a's sign, pairs summed
 * to int16 by maddubs (|a|, |b| <= 127: no saturation), then to int32. */
__attribute__((target("avx2"))) static int32_t dot_avx2(const int8_t *a, const int8_t *b,
							 size_t n)
{
	const __m256i ones = _mm256_set1_epi16(1);
	__m256i acc0 = _mm256_setzero_si256(), acc1 = _mm256_setzero_si256();
	for (size_t i = 0; i < n; i += 64) {
		__m256i x0 = _mm256_load_si256((const __m256i *)(a + i));
		__m256i y0 = _mm256_load_si256((const __m256i *)(b + i));
		__m256i x1 = _mm256_load_si256((const __m256i *)(a + i + 32));
		__m256i y1 = _mm256_load_si256((const __m256i *)(b + i + 32));
		__m256i p0 = _mm256_maddubs_epi16(_mm256_sign_epi8(x0, x0), _mm256_sign_epi8(y0, x0));
		__m256i p1 = _mm256_maddubs_epi16(_mm256_sign_epi8(x1, x1), _mm256_sign_epi8(y1, x1));
		acc0 = _mm256_add_epi32(acc0, _mm256_madd_epi16(p0, ones));
		acc1 = _mm256_add_epi32(acc1, _mm256_madd_epi16(p1, ones));
	}
	__m256i acc = _mm256_add_epi32(acc0, acc1);
	__m128i s = _mm_add_epi32(_mm256_castsi256_si128(acc), _mm256_extracti128_si256(acc, 1));
	s = _mm_add_epi32(s, _mm_shuffle_epi32(s, 0x4e));
	s = _mm_add_epi32(s, _mm_shuffle_epi32(s, 0xb1));
	return _mm_cvtsi128_si32(s);
}

/* AVX-512 VNNI, 64 values per step: vpdpbusd multiplies unsigned by
 * signed bytes, so a is biased to a + 128 (a ^ 0x80) and 128 sum(b) taken
 * off again (one more vpdpbusd with 128 in every byte): the same integer
 * as the plain loop, -128 included. */
__attribute__((target("avx512f,avx512bw,avx512vnni"))) static int32_t
dot_vnni(const int8_t *a, const int8_t *b, size_t n)
{
	const __m512i bias = _mm512_set1_epi8((char)0x80);
	__m512i acc0 = _mm512_setzero_si512(), acc1 = _mm512_setzero_si512();
	for (size_t i = 0; i < n; i += 64) {
		__m512i x = _mm512_xor_si512(_mm512_loadu_si512(a + i), bias);
		__m512i y = _mm512_loadu_si512(b + i);
		acc0 = _mm512_dpbusd_epi32(acc0, x, y);
		acc1 = _mm512_dpbusd_epi32(acc1, bias, y);
	}
	return _mm512_reduce_add_epi32(_mm512_sub_epi32(acc0, acc1));
}
#endif

static int32_t (*dot_fn)(const int8_t *, const int8_t *, size_t) = dot_c;
static const char *kernel_name = "c";
static pthread_once_t kernel_once = PTHREAD_ONCE_INIT;

static void pick_kernel(void)
{
#ifdef HAVE_AVX2_KERNEL
	__builtin_cpu_init();
	if (__builtin_cpu_supports("avx512vnni") && __builtin_cpu_supports("avx512bw") &&
	    !getenv("QUIRE_NO_SIMD") && !getenv("QUIRE_NO_AVX512")) {
		dot_fn = dot_vnni;
		kernel_name = "avx512vnni";
	} else if (__builtin_cpu_supports("avx2") && !getenv("QUIRE_NO_SIMD")) {
		dot_fn = dot_avx2;
		kernel_name = "avx2";
	}
#endif
}

int32_t vcache_dot(const int8_t *a, const int8_t *b, size_t n)
{
	pthread_once(&kernel_once, pick_kernel);
	return dot_fn(a, b, n);
}

const char *vdot_kernel_name(void)
{
	pthread_once(&kernel_once, pick_kernel);
	return kernel_name;
}

vdot_fn vdot_kernel(void)
{
	pthread_once(&kernel_once, pick_kernel);
	return dot_fn;
}
