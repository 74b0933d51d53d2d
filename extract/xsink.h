/* xsink.h: the structured sink quire-extract lends to plugins, writing JSON
 * Lines or plain text (docs/extract-format.md) to stdout. Text is repaired
 * to valid UTF-8 (invalid bytes become U+FFFD, NULs and other C0 controls
 * except tab are dropped) and capped: past max_bytes every call returns
 * non-zero and the output is marked truncated. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef QUIRE_XSINK_H
#define QUIRE_XSINK_H

#include <stdio.h>
#include <quire/plugin.h>

struct xsink {
	FILE *out;
	int text_mode;
	size_t max_bytes;
	size_t bytes;        /* text bytes written */
	size_t blocks;       /* text blocks written */
	unsigned pages;
	int truncated;
	int stop;            /* the host wants no more pages (a work budget is spent) */
	int in_table;        /* text mode: the previous block was a row */
	int at_start;        /* text mode: nothing written yet */
	unsigned embed_depth; /* nesting of embedded documents being written */
};

/* Embedded documents nest at most this deep (the plugins cap it lower). */
#define XSINK_MAX_EMBED_DEPTH 8

extern const struct quire_sink xsink_ops;
void xsink_init(struct xsink *s, FILE *out, int text_mode, size_t max_bytes);
/* The first line: sniffed type, plugin, file size. */
void xsink_doc(struct xsink *s, const char *mime, const char *plugin, unsigned long long size);
/* The last line (JSON mode only): result name. */
void xsink_end(struct xsink *s, const char *result);
/* host->embed_begin and embed_end: {"t":"embed","depth":N,"type":...} and
 * {"t":"embed_end","depth":N} around an embedded document's blocks (JSON
 * mode; nothing in text mode). */
int xsink_embed_begin(void *ctx, const char *type);
int xsink_embed_end(void *ctx);
/* host->part: a {"t":"part"} line for a name of the documented set
 * (docs/extract-format.md); any other name is ignored. */
int xsink_part(void *ctx, const char *name);
/* Write s (n bytes) as a JSON string literal, repaired. */
void xsink_json_str(FILE *out, const char *s, size_t n);

#endif
