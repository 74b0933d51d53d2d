/* charset.h: the charset of an HTML document. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef QUIRE_PLUGINS_HTML_CHARSET_H
#define QUIRE_PLUGINS_HTML_CHARSET_H

#include "html.h"

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

#endif
