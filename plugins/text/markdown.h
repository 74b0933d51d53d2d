/* markdown.h: Markdown (CommonMark and GFM tables) to blocks. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef QUIRE_PLUGINS_TEXT_MARKDOWN_H
#define QUIRE_PLUGINS_TEXT_MARKDOWN_H

#include "text.h"

/* QUIRE_OK, QUIRE_TOO_LARGE (the sink asked to stop) or QUIRE_ERROR (out of
 * memory). */
enum quire_result text_markdown(struct emit *e, const char *s, size_t n);

#endif
