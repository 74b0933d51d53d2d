/* sbuf.h: what the text, HTML and RTF plugins add to the plugins' one
 * capped buffer (struct pbuf, pbuf.h): white space folding, kept line
 * breaks, UTF-8 checks and repair. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef QUIRE_PLUGIN_SBUF_H
#define QUIRE_PLUGIN_SBUF_H

#include <stddef.h>
#include <stdint.h>

#include "pbuf.h"

/* Text with runs of ASCII white space collapsed to one space, none at the
 * start and none at the end until more text follows (no trailing space is
 * ever stored). */
int sbuf_add_ws(struct pbuf *b, const char *s, size_t n);
/* A line break kept by sbuf_add_ws() users (<br>, \line): a '\n', unless
 * the buffer is empty; the owed space is dropped. */
int sbuf_add_break(struct pbuf *b);

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
int sbuf_add_utf8(struct pbuf *b, const unsigned char *p, size_t n);

#endif
