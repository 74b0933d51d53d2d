/* embed.h: Office packages embedded in a document (an Excel workbook in a
 * Word file, a document in a slide, either as a package part or wrapped in
 * an OLE object) and old OLE charts and workbooks. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef QUIRE_PLUGINS_OOXML_EMBED_H
#define QUIRE_PLUGINS_OOXML_EMBED_H

#include "ooxml.h"

/* embed.c: packages embedded in a part (DOCX, XLSX, PPTX or ODT inside an
 * Office file: relationship type "package", or "oleObject" with an OLE2
 * Package stream), read one level deep; other OLE objects give the labels
 * of their workbook (ox_ole_text). */
void ox_embedded(struct ox *ox, const struct ox_rels *rels);

#endif
