/* pbuf.h: the plugins' one capped UTF-8 text buffer, fed with bytes, code
 * points, UTF-16 units (surrogates joined) or Windows-1252 bytes. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef QUIRE_PLUGINS_PBUF_H
#define QUIRE_PLUGINS_PBUF_H

#include <stddef.h>
#include <stdint.h>

/* pbuf_add and friends: 0, or one of these (the buffer's `full` is set). */
#define PBUF_CAP (-1)   /* the cap was reached: the text is cut there */
#define PBUF_NOMEM (-2) /* an allocation failed */

/* A growable UTF-8 buffer with a cap; `hi` holds a pending high surrogate. */
struct pbuf {
	char *p;
	size_t n, cap, max;
	unsigned hi;
	int full;   /* something was dropped at the cap or for want of memory */
};

void pbuf_init(struct pbuf *b, size_t max);
void pbuf_free(struct pbuf *b);
void pbuf_reset(struct pbuf *b);
int pbuf_add(struct pbuf *b, const char *s, size_t n);
/* One Unicode code point (invalid ones become U+FFFD). */
int pbuf_cp(struct pbuf *b, uint32_t cp);
/* One UTF-16 code unit: surrogate pairs are joined, lone halves replaced. */
int pbuf_u16(struct pbuf *b, unsigned u);
/* One byte of Windows-1252. */
int pbuf_1252(struct pbuf *b, unsigned char c);
/* Text with runs of white space collapsed and the ends trimmed, in place. */
void pbuf_squeeze(struct pbuf *b);

/* Windows-1252 to Unicode. */
uint32_t pc_cp1252(unsigned char c);

#endif
