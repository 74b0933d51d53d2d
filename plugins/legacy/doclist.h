/* doclist.h: Word 97+ list labels as the author sees them ([MS-DOC] 2.9.147
 * PlfLst, 2.9.150 LVL, 2.9.146 PlfLfo). */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef QUIRE_PLUGINS_LEGACY_DOCLIST_H
#define QUIRE_PLUGINS_LEGACY_DOCLIST_H

#include "doc.h"

/* doclist.c: read PlfLst and PlfLfo of the table stream. */
void doc_lists_init(struct doc *d, uint32_t fc_lst, uint32_t lcb_lst, uint32_t fc_lfo,
		    uint32_t lcb_lfo);
void doc_lists_free(struct doc *d);
/* The label of the next paragraph of list instance ilfo (1-based) at
 * level ilvl, counting it, into out ("" when there is none). */
void doc_list_label(struct doc *d, unsigned ilfo, unsigned ilvl, struct pbuf *out);

#endif
