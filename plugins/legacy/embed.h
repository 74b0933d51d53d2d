/* embed.h: OLE2 files inside documents (a slide's chart or sheet, an object
 * in a document, a presentation in either): their text into the current
 * page. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef QUIRE_PLUGINS_LEGACY_EMBED_H
#define QUIRE_PLUGINS_LEGACY_EMBED_H

#include "legacy.h"

/* Text of a whole OLE2 file in memory (an embedded object): a workbook or
 * chart's strings as paragraphs. Returns quietly on anything unreadable. */
void lg_embedded(struct lg *lg, const unsigned char *p, size_t n);
/* The embedded objects stored as storages of dir (Word's ObjectPool,
 * Excel's MBD... storages): each one's text after the document's, depth
 * and count capped; their failures do not fail the document. */
void lg_objects(struct lg *lg, GsfInfile *dir);

#endif
