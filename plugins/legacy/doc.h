/* doc.h: the Word reader's shared state: the WordDocument and table
 * streams, the piece table, paragraph properties from the PAPX pages. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef QUIRE_LEGACY_DOC_H
#define QUIRE_LEGACY_DOC_H

#include <iconv.h>

#include "legacy.h"

#define DOC_MAX_FIELDS 32
#define DOC_MAX_LISTS 4096     /* lists and list instances read */
#define DOC_LVL_TEXT 32        /* characters of a level's text kept */

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
	uint32_t fc_end;        /* past the paragraph's last character (0: unknown) */
};

/* One level of a list: its start, number format (MSONFC), whether it
 * shows every level in Arabic (legal), whether it goes on counting after
 * a higher level (norestart), and its text, where characters 0-8 stand
 * for the number of that level. */
struct doc_lvl {
	int32_t start;
	unsigned char nfc, legal, norestart;
	unsigned ntext;
	uint16_t text[DOC_LVL_TEXT];
};

/* A list (LSTF and its levels) and its running numbers. */
struct doc_list {
	uint32_t lsid;
	unsigned nlvl;
	struct doc_lvl lvl[9];
	int32_t count[9];
	unsigned char started[9];
};

/* A list instance (LFO), what a paragraph's ilfo names: its list, and
 * the levels it starts again at a number of its own (INT32_MIN: none). */
struct doc_lfo {
	int list;
	int32_t start[9];
	unsigned char used[9];
};

/* What a style gives its paragraphs besides its sti: its base style and
 * list (ilfo, ilvl; -1 when it sets none). */
struct doc_style {
	uint16_t base;
	int ilfo, ilvl;
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
	struct doc_style *styles;     /* and the rest of its style */
	size_t nsti;
	/* lists */
	struct doc_list *lists;
	size_t nlists;
	struct doc_lfo *lfos;
	size_t nlfos;
	/* PlcBteChpx: character property pages by fc, and the run last
	 * looked up (revision marks) */
	const unsigned char *bte_chp;
	size_t nbte_chp;
	uint32_t run0, run1;
	int run_deleted;
	/* Word 6/95 8-bit text in another code page than 1252 (doccp.c):
	 * each byte's character, DOC_LEAD for the lead bytes of a
	 * double-byte code page; NULL: Windows-1252 */
	uint16_t *bytes;
	iconv_t cd;
};

#define DOC_LEAD 0xffffu

enum quire_result lg_doc(struct lg *lg, GsfInfile *dir);

#endif
