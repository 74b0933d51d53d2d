/* docpap.h: Word 97+ paragraph and character properties ([MS-DOC] 2.9.175
 * PapxFkp, 2.9.33 ChpxFkp, 2.2.5.1 Sprm). */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef QUIRE_PLUGINS_LEGACY_DOCPAP_H
#define QUIRE_PLUGINS_LEGACY_DOCPAP_H

#include "doc.h"

/* Paragraph properties at the paragraph mark stored at byte fc (Word 97
 * and later; zeros otherwise). */
void doc_pap(const struct doc *d, uint32_t fc, struct pap *pap);

void doc_pap_init(struct doc *d, uint32_t fc_bte, uint32_t lcb_bte, uint32_t fc_stsh,
		  uint32_t lcb_stsh);

/* Read PlcBteChpx (Word 97+). */
void doc_chp_init(struct doc *d, uint32_t fc_bte, uint32_t lcb_bte);
/* Is the character stored at byte fc deleted text (a tracked deletion,
 * sprmCFRMarkDel)? Deleted text is not shown; inserted text is. */
int doc_deleted(struct doc *d, uint32_t fc);

#endif
