/* doclist.c: Word 97+ list labels as the author sees them ([MS-DOC]
 * 2.9.147 PlfLst, 2.9.150 LVL, 2.9.146 PlfLfo): each list's levels (start,
 * number format, level text with its placeholders, legal numbering),
 * each list instance's start overrides, and the running numbers, so that
 * a list paragraph reads "1.", "a)", "ii)", "II.", "1.1.1." or its bullet.
 * Numbers run per list: a level counts on, deeper levels start again
 * unless they say not to (fNoRestart).
 * Every offset is checked against the table stream. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "doc.h"
#include "doclist.h"
#include "../common/listnum.h"

#define LSTF_SIZE 28
#define LVLF_SIZE 28
#define LFO_SIZE 16

/* One LVL at p (n bytes left) into lv; its size, or 0 when it does not fit. */
static size_t read_lvl(const unsigned char *p, size_t n, struct doc_lvl *lv)
{
	size_t cb, cch;

	if (n < LVLF_SIZE)
		return 0;
	cb = LVLF_SIZE + (size_t)p[24] + p[25];   /* grpprlChpx, grpprlPapx */
	if (!pc_in(n, cb, 2))
		return 0;
	cch = pc_le16(p + cb);
	if (!pc_in(n, cb + 2, 2 * cch))
		return 0;
	if (lv) {
		lv->start = (int32_t)pc_le32(p);
		lv->nfc = p[4];
		lv->legal = (p[5] >> 2) & 1;
		lv->norestart = (p[5] >> 3) & 1;
		lv->ntext = cch < DOC_LVL_TEXT ? (unsigned)cch : DOC_LVL_TEXT;
		for (unsigned i = 0; i < lv->ntext; i++)
			lv->text[i] = (uint16_t)pc_le16(p + cb + 2 + 2 * i);
	}
	return cb + 2 + 2 * cch;
}

static void read_plflst(struct doc *d, uint32_t fc, uint32_t lcb)
{
	const unsigned char *p;
	size_t n, pos, c;

	if (lcb < 2 || !pc_in(d->tn, fc, lcb))
		return;
	p = d->t + fc;
	n = d->tn - fc;   /* the LVLs lie past lcb, to the stream's end at most */
	c = pc_le16(p);
	if (c > DOC_MAX_LISTS || !pc_in(n, 2, LSTF_SIZE * c))
		return;
	d->lists = calloc(c ? c : 1, sizeof *d->lists);
	if (!d->lists)
		return;
	/* the LVLs of every list follow the LSTFs, the lists in order,
	 * outside the PlfLst's own length */
	pos = 2 + LSTF_SIZE * c;
	for (size_t i = 0; i < c; i++) {
		const unsigned char *lstf = p + 2 + LSTF_SIZE * i;
		struct doc_list *l = &d->lists[i];

		l->lsid = pc_le32(lstf);
		l->nlvl = lstf[26] & 1 ? 1 : 9;   /* fSimpleList */
		d->nlists = i + 1;
		for (unsigned k = 0; k < l->nlvl; k++) {
			size_t sz = pos < n ? read_lvl(p + pos, n - pos, &l->lvl[k]) : 0;

			if (sz == 0) {
				l->nlvl = k;
				return;
			}
			pos += sz;
		}
	}
}

static void read_plflfo(struct doc *d, uint32_t fc, uint32_t lcb)
{
	const unsigned char *p;
	size_t n, pos, c;

	if (lcb < 4 || !pc_in(d->tn, fc, lcb))
		return;
	p = d->t + fc;
	n = lcb;
	c = pc_le32(p);
	if (c > DOC_MAX_LISTS || !pc_in(n, 4, LFO_SIZE * c))
		return;
	d->lfos = calloc(c ? c : 1, sizeof *d->lfos);
	if (!d->lfos)
		return;
	d->nlfos = c;
	for (size_t i = 0; i < c; i++) {
		struct doc_lfo *o = &d->lfos[i];
		uint32_t lsid = pc_le32(p + 4 + LFO_SIZE * i);

		o->list = -1;
		for (size_t k = 0; k < d->nlists; k++)
			if (d->lists[k].lsid == lsid)
				o->list = (int)k;
		for (int k = 0; k < 9; k++)
			o->start[k] = INT32_MIN;
	}
	/* LFOData: a cp, then clfolvl overrides, each maybe with an LVL */
	pos = 4 + LFO_SIZE * c;
	for (size_t i = 0; i < c; i++) {
		unsigned nover = p[4 + LFO_SIZE * i + 12];

		if (!pc_in(n, pos, 4))
			return;
		pos += 4;
		for (unsigned k = 0; k < nover; k++) {
			uint32_t flags;
			unsigned ilvl;

			if (!pc_in(n, pos, 8))
				return;
			flags = pc_le32(p + pos + 4);
			ilvl = flags & 0x0f;
			if (ilvl < 9 && (flags & 0x10))   /* fStartAt */
				d->lfos[i].start[ilvl] = (int32_t)pc_le32(p + pos);
			pos += 8;
			if (flags & 0x20) {   /* fFormatting: an LVL follows */
				struct doc_lvl lv;
				size_t sz = read_lvl(p + pos, n - pos, &lv);

				if (sz == 0)
					return;
				if (ilvl < 9 && (flags & 0x10))
					d->lfos[i].start[ilvl] = lv.start;
				pos += sz;
			}
		}
	}
}

void doc_lists_init(struct doc *d, uint32_t fc_lst, uint32_t lcb_lst, uint32_t fc_lfo,
		    uint32_t lcb_lfo)
{
	read_plflst(d, fc_lst, lcb_lst);
	if (d->nlists)
		read_plflfo(d, fc_lfo, lcb_lfo);
}

void doc_lists_free(struct doc *d)
{
	free(d->lists);
	free(d->lfos);
	d->lists = NULL;
	d->lfos = NULL;
	d->nlists = d->nlfos = 0;
}

/* A number in the format nfc ([MS-DOC] 2.9.173 MSONFC). */
static void number(struct pbuf *b, int v, unsigned nfc)
{
	enum pc_num_style style;
	char s[48];

	switch (nfc) {
	case 255: case 23: return;   /* none; a bullet has no number */
	case 1: style = PC_NUM_ROMAN_UPPER; break;
	case 2: style = PC_NUM_ROMAN_LOWER; break;
	case 3: style = PC_NUM_LETTER_UPPER; break;
	case 4: style = PC_NUM_LETTER_LOWER; break;
	case 5: style = PC_NUM_ORDINAL; break;
	case 22: style = PC_NUM_DECIMAL_ZERO; break;   /* leading zero */
	default: style = PC_NUM_DECIMAL; break;
	}
	pc_list_number(v, style, s, sizeof s);
	pbuf_add(b, s, strlen(s));
}

void doc_list_label(struct doc *d, unsigned ilfo, unsigned ilvl, struct pbuf *out)
{
	struct doc_lfo *o;
	struct doc_list *l;
	const struct doc_lvl *lv;
	unsigned lvl;

	pbuf_reset(out);
	if (ilfo == 0 || ilfo > d->nlfos)
		return;
	o = &d->lfos[ilfo - 1];
	if (o->list < 0 || d->lists[o->list].nlvl == 0)
		return;
	l = &d->lists[o->list];
	lvl = ilvl < l->nlvl ? ilvl : l->nlvl - 1;
	lv = &l->lvl[lvl];
	if (o->start[lvl] != INT32_MIN && !o->used[lvl]) {   /* a restart of this instance */
		l->count[lvl] = o->start[lvl];
		l->started[lvl] = 1;
		o->used[lvl] = 1;
	} else if (l->started[lvl]) {
		if (l->count[lvl] < INT32_MAX)
			l->count[lvl]++;
	} else {
		l->count[lvl] = lv->start;
		l->started[lvl] = 1;
	}
	for (unsigned k = lvl + 1; k < l->nlvl; k++)
		if (!l->lvl[k].norestart)   /* fNoRestart: it counts on */
			l->started[k] = 0;
	for (unsigned i = 0; i < lv->ntext; i++) {
		unsigned c = lv->text[i];

		if (c < 9 && c < l->nlvl) {
			int v = l->started[c] ? l->count[c] : l->lvl[c].start;

			number(out, v, lv->legal ? 0 : l->lvl[c].nfc);   /* legal: all Arabic */
		} else if (c >= 0xf000 && c <= 0xf0ff) {
			pbuf_cp(out, pc_list_bullet(c));   /* a symbol font's private-use bullet */
		} else if (c >= 0x20) {
			pbuf_u16(out, c);
		}
	}
	pbuf_squeeze(out);
}
