/* walk.h: HTML to blocks through libxml2's HTML push parser (SAX, no tree). */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef QUIRE_PLUGINS_HTML_WALK_H
#define QUIRE_PLUGINS_HTML_WALK_H

#include "html.h"

struct html_walk *html_walk_new(struct emit *e);
void html_walk_free(struct html_walk *w);
/* Parse n bytes of UTF-8 (last: the end of the document). Returns 0, or -1
 * when the sink stopped or memory ran out (e->stopped tells which). */
int html_walk_feed(struct html_walk *w, const char *s, size_t n, int last);

#endif
