/* doc.h: the Word reader's shared state: the WordDocument and table
 * streams, the piece table, paragraph properties from the PAPX pages. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef QUIRE_LEGACY_DOC_H
#define QUIRE_LEGACY_DOC_H

#include "legacy.h"

#define DOC_MAX_FIELDS 32

/* A run of text: characters [cp0, cp1) stored from byte fc, 8-bit
 * (Windows-1252) or UTF-16LE. */
struct piece {
	uint32_t cp0, cp1, fc;
	int compressed;
};

/* What a paragraph mark says about its paragraph. */
struct pap {
	unsigned istd, sti;     /* style, and what built-in style it is */
	int in_table, ttp, inner_ttp, inner_cell;
	unsigned itap;          /* table depth */
	unsigned ilfo, ilvl;    /* list, level */
};

struct doc {
	struct lg *lg;
	const unsigned char *w, *t;   /* WordDocument, table stream (Word 6: w) */
	size_t wn, tn;
	int word6;
	struct piece *pcs;
	size_t npcs;
	/* PlcBtePapx: FKP pages by fc */
	const unsigned char *bte;
	size_t nbte;
	uint16_t *sti;                /* sti of each istd */
	size_t nsti;
};

/* Paragraph properties at the paragraph mark stored at byte fc (Word 97
 * and later; zeros otherwise). */
void doc_pap(const struct doc *d, uint32_t fc, struct pap *pap);
/* Read PlcBtePapx and the style sheet (STSH) of a Word 97+ file. */
void doc_pap_init(struct doc *d, uint32_t fc_bte, uint32_t lcb_bte, uint32_t fc_stsh,
		  uint32_t lcb_stsh);

#endif
