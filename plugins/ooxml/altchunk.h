/* altchunk.h: w:altChunk, content Word imports into the body when it opens the file. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef QUIRE_PLUGINS_OOXML_ALTCHUNK_H
#define QUIRE_PLUGINS_OOXML_ALTCHUNK_H

#include "ooxml.h"

/* The chunk (HTML, plain text, a WordprocessingML package) whose r:id is
 * rid in rels (the part's): its text where the chunk stands. */
void ox_alt_chunk(struct ox *ox, const struct ox_rels *rels, const char *rid);

#endif
