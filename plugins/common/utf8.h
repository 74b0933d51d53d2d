/* utf8.h: the plugins' way to utf8proc's UTF-8 encoder (invalid code
 * points made U+FFFD) and strict decoder (no overlong forms, surrogates
 * or values past U+10FFFF). */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef QUIRE_PLUGINS_UTF8_H
#define QUIRE_PLUGINS_UTF8_H

#include <stddef.h>
#include <stdint.h>
#include <utf8proc.h>

/* Code point cp as UTF-8 into out (1 to 4 bytes, returned); surrogates
 * and values past U+10FFFF become U+FFFD. utf8proc's encoder. */
static inline size_t pc_utf8_put(uint32_t cp, unsigned char out[4])
{
	if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		cp = 0xfffd;
	return (size_t)utf8proc_encode_char((utf8proc_int32_t)cp, out);
}

/* The code point of the valid sequence at p (n bytes available) into *cp;
 * its length, or 0 when the bytes there are not valid UTF-8 (overlong,
 * surrogate, past U+10FFFF, truncated). utf8proc's decoder, the one Quire
 * uses everywhere. */
static inline size_t pc_utf8_get(const unsigned char *p, size_t n, uint32_t *cp)
{
	utf8proc_int32_t v;
	utf8proc_ssize_t k;

	if (p[0] < 0x80) {
		*cp = p[0];
		return 1;
	}
	k = utf8proc_iterate(p, (utf8proc_ssize_t)n, &v);
	*cp = k > 0 ? (uint32_t)v : 0;
	return k > 0 ? (size_t)k : 0;
}

#endif
