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
/* A package in memory embedded in another plugin's document (the legacy
 * plugin's Package streams), read as an embedded package of a file at
 * nesting depth `depth` (so at most one level more is read) whose last page
 * is *page: *page and *wrote follow what it wrote, *err is QUIRE_TOO_LARGE
 * or QUIRE_ERROR when a cap or memory stopped it (anything else in it fails
 * only itself). */
void ox_package_mem(const struct quire_host *host, unsigned depth, unsigned *page, int *wrote,
		    const unsigned char *mem, size_t len, enum quire_result *err);

#endif
