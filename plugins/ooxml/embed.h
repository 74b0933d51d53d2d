/* embed.h: Office packages embedded in a document (an Excel workbook in a
 * Word file, a document in a slide, either as a package part or wrapped in
 * an OLE object) and old OLE charts and workbooks. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef QUIRE_PLUGINS_OOXML_EMBED_H
#define QUIRE_PLUGINS_OOXML_EMBED_H

#include "ooxml.h"

/* embed.c: packages embedded in a part (DOCX, XLSX, PPTX or ODT inside an
 * Office file: relationship type "package", or "oleObject" with an OLE2
 * Package stream), read one level deep; other OLE objects are read by the
 * reader of their format (ox_ole_object). */
void ox_embedded(struct ox *ox, const struct ox_rels *rels);

/* The package in part, read as embedded (one level deep, counted with
 * the others). */
void ox_embed_part(struct ox *ox, const char *part);
/* The bytes of entry part, counted against the caps: new, free with
 * free(); NULL when missing, past 64 MiB (ox->err untouched: the host
 * document goes on) or unreadable. *len is its length. */
unsigned char *ox_slurp(struct ox *ox, const char *part, size_t *len);

#endif
