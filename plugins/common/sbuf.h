/* sbuf.h: a growable byte buffer with a cap, for the text, HTML and RTF
 * plugins (UTF-8 text being built up, converted input).
 *
 * Every append fails (returns -1, buffer unchanged) once the buffer would
 * grow past `max` bytes or memory runs out; `oom` tells the two apart. The
 * buffer owns its memory: sbuf_free() releases it. `p` is NUL-terminated
 * whenever it is non-NULL. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef QUIRE_PLUGIN_SBUF_H
#define QUIRE_PLUGIN_SBUF_H

#include <stddef.h>
#include <stdint.h>

struct sbuf {
	char *p;
	size_t len, cap, max;
	int oom;      /* the last failure was an allocation failure */
	int space;    /* sbuf_add_ws(): a space is owed before the next word */
};

/* An empty buffer that may hold at most max bytes. */
void sbuf_init(struct sbuf *b, size_t max);
void sbuf_free(struct sbuf *b);
/* Forget the contents, keep the memory. */
void sbuf_reset(struct sbuf *b);

int sbuf_add(struct sbuf *b, const void *s, size_t n);
int sbuf_addc(struct sbuf *b, char c);
/* Code point cp as UTF-8; surrogates and values past U+10FFFF become
 * U+FFFD. */
int sbuf_add_cp(struct sbuf *b, uint32_t cp);
/* Text with runs of ASCII white space collapsed to one space, none at the
 * start and none at the end until more text follows (no trailing space is
 * ever stored). */
int sbuf_add_ws(struct sbuf *b, const char *s, size_t n);
/* A line break kept by sbuf_add_ws() users (<br>, \line): a '\n', unless
 * the buffer is empty; the owed space is dropped. */
int sbuf_add_break(struct sbuf *b);

/* Length of the valid UTF-8 sequence at p (n bytes available), 0 when the
 * bytes there are not valid UTF-8 (overlong, surrogate, truncated). */
size_t utf8_seq_len(const unsigned char *p, size_t n);
/* 1 when all n bytes are valid UTF-8; with `partial_end`, a sequence cut
 * off by the end of the buffer still counts as valid. */
int utf8_valid(const unsigned char *p, size_t n, int partial_end);
/* 1 when the bytes have non-ASCII UTF-8 sequences and at least twice as
 * many of them as invalid bytes: UTF-8 with a few damaged bytes, which a
 * single-byte charset practically never looks like. */
int utf8_mostly(const unsigned char *p, size_t n);
/* Append n bytes of UTF-8 with every invalid byte replaced by U+FFFD and
 * NUL bytes dropped. */
int sbuf_add_utf8(struct sbuf *b, const unsigned char *p, size_t n);

#endif
