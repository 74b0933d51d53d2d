/* detect.h: which charset a text is in, from its bytes: byte order marks,
 * UTF-8 validity, UTF-16 without a mark, EBCDIC, and uchardet's guess for
 * the rest. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef QUIRE_PLUGIN_DETECT_H
#define QUIRE_PLUGIN_DETECT_H

#include <stddef.h>

/* The byte order mark at p: writes the charset (an iconv name) and returns
 * the mark's length, or 0 when there is none. */
size_t detect_bom(const unsigned char *p, size_t n, const char **charset);

/* UTF-16 without a mark: "UTF-16LE"/"UTF-16BE" when every other byte of
 * the head is mostly NUL, else NULL. */
const char *detect_utf16(const unsigned char *p, size_t n);

/* The charset of text without a byte order mark (the caller checks marks
 * first): UTF-8 when the bytes are valid UTF-8, EBCDIC (IBM500) by its
 * letter and space bytes, else uchardet's guess, else `fallback`. The
 * iconv name is written to out (len bytes). */
void detect_charset(const unsigned char *p, size_t n, const char *fallback, char *out,
		    size_t len);

/* Whether iconv can convert from cs. */
int detect_known(const char *cs);

/* uchardet's guess alone ("" when it has none). */
void detect_uchardet(const unsigned char *p, size_t n, char *out, size_t len);

#endif
