/* html.h: the parts of the HTML plugin. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef QUIRE_PLUGIN_HTML_H
#define QUIRE_PLUGIN_HTML_H

#include <stddef.h>

#include "../common/emit.h"

/* The charset of an HTML document (an iconv name, written to out): its
 * byte order mark (*bom is its length), else UTF-16 by its NULs, else the
 * <meta> or XML declaration when the bytes agree with it, else detection
 * (uchardet) with Windows-1252 as the last resort. */
void html_charset(const unsigned char *p, size_t n, char *out, size_t len, size_t *bom);

/* Whether the first bytes look like HTML (after a mark, white space,
 * comments, an XML declaration): 2 for a doctype, <html>, <head> or
 * <body>, 1 for another HTML tag, 0 otherwise. UTF-16 with a mark is
 * looked at too. */
int html_looks_like(const unsigned char *p, size_t n);

/* The SAX walker: libxml2's HTML push parser calls it; it writes blocks. */
struct html_walk;
struct html_walk *html_walk_new(struct emit *e);
void html_walk_free(struct html_walk *w);
/* Parse n bytes of UTF-8 (last: the end of the document). Returns 0, or -1
 * when the sink stopped or memory ran out (e->stopped tells which). */
int html_walk_feed(struct html_walk *w, const char *s, size_t n, int last);

#endif
