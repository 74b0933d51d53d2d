/* utf8.h: the plugins' one UTF-8 encoder, and their way to utf8proc's
 * strict decoder (no overlong forms, surrogates or values past U+10FFFF). */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef QUIRE_PLUGINS_UTF8_H
#define QUIRE_PLUGINS_UTF8_H

#include <stddef.h>
#include <stdint.h>
#include <utf8proc.h>

/* Code point cp as UTF-8 into out (1 to 4 bytes, returned); surrogates
 * and values past U+10FFFF become U+FFFD. */
static inline size_t pc_utf8_put(uint32_t cp, unsigned char out[4])
{
	if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		cp = 0xfffd;
	if (cp < 0x80) {
		out[0] = (unsigned char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (unsigned char)(0xc0 | cp >> 6);
		out[1] = (unsigned char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (unsigned char)(0xe0 | cp >> 12);
		out[1] = (unsigned char)(0x80 | (cp >> 6 & 0x3f));
		out[2] = (unsigned char)(0x80 | (cp & 0x3f));
		return 3;
	}
	out[0] = (unsigned char)(0xf0 | cp >> 18);
	out[1] = (unsigned char)(0x80 | (cp >> 12 & 0x3f));
	out[2] = (unsigned char)(0x80 | (cp >> 6 & 0x3f));
	out[3] = (unsigned char)(0x80 | (cp & 0x3f));
	return 4;
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
