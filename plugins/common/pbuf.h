/* pbuf.h: the plugins' one capped text buffer, fed with bytes, code
 * points, UTF-16 units (surrogates joined) or Windows-1252 bytes (the text
 * family's extras, white space folding and UTF-8 repair, are in sbuf.h).
 *
 * Every append fails (buffer unchanged) once the buffer would grow past
 * `max` bytes or memory runs out, and says which. The buffer owns its
 * memory: pbuf_free() releases it (and keeps `max`). `p` is NUL-terminated
 * whenever it is non-NULL. */
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
	int oom;    /* the last failure was an allocation failure */
	int space;  /* sbuf_add_ws(): a space is owed before the next word */
};

/* An empty buffer that may hold at most max bytes. */
void pbuf_init(struct pbuf *b, size_t max);
void pbuf_free(struct pbuf *b);
/* Forget the contents, keep the memory. */
void pbuf_reset(struct pbuf *b);
int pbuf_add(struct pbuf *b, const void *s, size_t n);
int pbuf_addc(struct pbuf *b, char c);
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
