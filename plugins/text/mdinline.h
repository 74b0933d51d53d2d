/* mdinline.h: Markdown inline markup reduced to its text. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef QUIRE_PLUGIN_MDINLINE_H
#define QUIRE_PLUGIN_MDINLINE_H

#include <stddef.h>

#include "../common/sbuf.h"

/* Append the text of the inline Markdown s[0..n) to o (errors of o are
 * left in o: a full buffer just stops growing). In an HTML block
 * (`html_block`), a tag becomes a space instead of nothing. depth: 0. */
void md_inline(struct pbuf *o, const char *s, size_t n, int html_block, int depth);

#endif
