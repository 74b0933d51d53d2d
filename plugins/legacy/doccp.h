/* doccp.h: Word 6/95 8-bit text in the code page of the document's
 * language. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef QUIRE_PLUGINS_LEGACY_DOCCP_H
#define QUIRE_PLUGINS_LEGACY_DOCCP_H

#include "doc.h"

/* The code page of a Word 6/95 document's language (FIB lid), when it is
 * not 1252; a double-byte character's lead and trail bytes as one
 * character; the converter closed. */
void doc_cp_init(struct doc *d);
unsigned doc_cp_pair(struct doc *d, unsigned char lead, unsigned char trail);
void doc_cp_free(struct doc *d);

#endif
