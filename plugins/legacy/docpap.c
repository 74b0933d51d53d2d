/* docpap.c: Word 97+ paragraph and character properties ([MS-DOC]
 * 2.9.175 PapxFkp, 2.9.33 ChpxFkp, 2.2.5.1 Sprm): the style of a
 * paragraph (headings), its list and level, whether it lies in a table,
 * ends a cell or ends a row; and of characters, whether they are a
 * tracked deletion. Only what the text needs is decoded; every offset is
 * checked against its page. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdlib.h>
#include <string.h>

#include "doc.h"
#include "docpap.h"

#define SPRM_PF_IN_TABLE 0x2416
#define SPRM_PF_TTP 0x2417
#define SPRM_PILVL 0x260a
#define SPRM_PILFO 0x460b
#define SPRM_PF_INNER_TABLE_CELL 0x244b
#define SPRM_PF_INNER_TTP 0x244c
#define SPRM_PITAP 0x6649
#define SPRM_PCHG_TABS 0xc615
#define SPRM_TDEF_TABLE 0xd608
#define SPRM_CF_RMARK_DEL 0x0800

static long operand_size(unsigned sprm, const unsigned char *p, size_t n);

/* The list and level a style's paragraph properties set, if they do. */
static void style_list(struct doc_style *st, const unsigned char *p, size_t n)
{
	size_t i = 0;

	while (i + 2 <= n) {
		unsigned sprm = pc_le16(p + i);
		long sz = operand_size(sprm, p + i + 2, n - i - 2);

		if (sz < 0 || !pc_in(n, i + 2, (size_t)sz))
			return;
		if (sprm == SPRM_PILFO && sz >= 2)
			st->ilfo = (int)pc_le16(p + i + 2);
		else if (sprm == SPRM_PILVL && sz >= 1)
			st->ilvl = p[i + 2];
		i += 2 + (size_t)sz;
	}
}

/* One STD ([MS-DOC] 2.9.260) of cb bytes: its base style and, for a
 * paragraph style, the list its UpxPapx names. */
static void read_std(struct doc_style *st, const unsigned char *s, size_t cb, size_t base_size)
{
	size_t at, cch, upx;

	st->ilfo = st->ilvl = -1;
	st->base = 0x0fff;
	if (cb < 4)
		return;
	st->base = (uint16_t)(pc_le16(s + 2) >> 4);
	if ((pc_le16(s + 2) & 0x0f) != 1 || !pc_in(cb, base_size, 2))   /* stk: paragraph */
		return;
	cch = pc_le16(s + base_size);
	at = base_size + 2 + 2 * cch + 2;   /* the name and its NUL */
	if (!pc_in(cb, at, 2))
		return;
	upx = pc_le16(s + at);
	if (upx >= 2 && pc_in(cb, at + 2, upx))
		style_list(st, s + at + 4, upx - 2);   /* past the istd */
}

/* Style sheet: the built-in style (sti) of each style index, its base
 * and the list its paragraph properties set. */
static void read_stsh(struct doc *d, uint32_t fc, uint32_t lcb)
{
	const unsigned char *p;
	size_t cb, pos, cstd, base_size;

	if (lcb < 4 || !pc_in(d->tn, fc, lcb))
		return;
	p = d->t + fc;
	cb = pc_le16(p);
	if (cb < 2 || !pc_in(lcb, 2, cb))
		return;
	cstd = pc_le16(p + 2);
	base_size = cb >= 4 ? pc_le16(p + 4) : 10;   /* cbSTDBaseInFile: 10 or 18 */
	if (cstd > 4096)
		cstd = 4096;
	d->sti = calloc(cstd ? cstd : 1, sizeof *d->sti);
	d->styles = calloc(cstd ? cstd : 1, sizeof *d->styles);
	if (!d->sti || !d->styles)
		return;
	pos = 2 + cb;
	for (size_t i = 0; i < cstd && pc_in(lcb, pos, 2); i++) {
		size_t cbstd = pc_le16(p + pos);

		d->sti[i] = 0x0fff;   /* unknown */
		if (cbstd >= 2 && pc_in(lcb, pos + 2, 2))
			d->sti[i] = (uint16_t)(pc_le16(p + pos + 2) & 0x0fff);
		read_std(&d->styles[i], p + pos + 2, pc_in(lcb, pos + 2, cbstd) ? cbstd : 0,
			 base_size);
		pos += 2 + cbstd;
		d->nsti = i + 1;
	}
}

/* The list and level of style istd, through its bases. */
static void style_pap(const struct doc *d, unsigned istd, struct pap *pap)
{
	int ilfo = -1, ilvl = -1;

	for (int hops = 0; d->styles && istd < d->nsti && hops < 16; hops++) {
		const struct doc_style *st = &d->styles[istd];

		if (ilfo < 0)
			ilfo = st->ilfo;
		if (ilvl < 0)
			ilvl = st->ilvl;
		if (st->base == istd)
			break;
		istd = st->base;
	}
	pap->ilfo = ilfo > 0 ? (unsigned)ilfo : 0;
	pap->ilvl = ilvl > 0 ? (unsigned)ilvl : 0;
}

void doc_pap_init(struct doc *d, uint32_t fc_bte, uint32_t lcb_bte, uint32_t fc_stsh,
		  uint32_t lcb_stsh)
{
	if (lcb_bte >= 12 && pc_in(d->tn, fc_bte, lcb_bte)) {
		d->bte = d->t + fc_bte;
		d->nbte = (lcb_bte - 4) / 8;
	}
	read_stsh(d, fc_stsh, lcb_stsh);
}

/* Size of a sprm's operand at p (n bytes left), or -1. */
static long operand_size(unsigned sprm, const unsigned char *p, size_t n)
{
	switch (sprm >> 13) {
	case 0:
	case 1: return 1;
	case 2:
	case 4:
	case 5: return 2;
	case 3: return 4;
	case 7: return 3;
	}
	if (sprm == SPRM_TDEF_TABLE)
		return n >= 2 ? 2 + (long)pc_le16(p) - 1 : -1;
	if (n < 1)
		return -1;
	if (sprm == SPRM_PCHG_TABS && p[0] == 255) {
		/* deletions: count, then 4 bytes each; additions: count, 3 bytes */
		size_t del = n >= 2 ? p[1] : 0, at = 2 + 4 * del;

		return at < n ? (long)(at + 1 + 3 * (size_t)p[at]) : -1;
	}
	return 1 + (long)p[0];
}

static void apply(struct pap *pap, unsigned sprm, const unsigned char *op, size_t n)
{
	unsigned v = n >= 1 ? op[0] : 0;

	switch (sprm) {
	case SPRM_PF_IN_TABLE: pap->in_table = v != 0; break;
	case SPRM_PF_TTP: pap->ttp = v != 0; break;
	case SPRM_PF_INNER_TTP: pap->inner_ttp = v != 0; break;
	case SPRM_PF_INNER_TABLE_CELL: pap->inner_cell = v != 0; break;
	case SPRM_PILVL: pap->ilvl = v; break;
	case SPRM_PILFO: pap->ilfo = n >= 2 ? pc_le16(op) : 0; break;
	case SPRM_PITAP: pap->itap = n >= 4 ? pc_le32(op) : 0; break;
	}
}

static void grpprl(struct pap *pap, const unsigned char *p, size_t n)
{
	size_t i = 0;

	while (i + 2 <= n) {
		unsigned sprm = pc_le16(p + i);
		long sz = operand_size(sprm, p + i + 2, n - i - 2);

		if (sz < 0 || !pc_in(n, i + 2, (size_t)sz))
			return;
		apply(pap, sprm, p + i + 2, (size_t)sz);
		i += 2 + (size_t)sz;
	}
}

/* The FKP page of a PlcBte (n pages) holding fc, or NULL. */
static const unsigned char *page_of(const struct doc *d, const unsigned char *bte, size_t nbte,
				    uint32_t fc)
{
	size_t lo = 0, hi = nbte, pn;

	/* the last aFC[i] <= fc */
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (pc_le32(bte + 4 * (mid + 1)) <= fc)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo >= nbte || pc_le32(bte + 4 * lo) > fc)
		return NULL;
	pn = pc_le32(bte + 4 * (nbte + 1) + 4 * lo) & 0x3fffff;
	return pc_in(d->wn, pn * 512, 512) ? d->w + pn * 512 : NULL;
}

void doc_pap(const struct doc *d, uint32_t fc, struct pap *pap)
{
	const unsigned char *pg;
	size_t crun, j, off, cb, start;

	memset(pap, 0, sizeof *pap);
	pap->sti = 0x0fff;
	if (!d->bte || !(pg = page_of(d, d->bte, d->nbte, fc)))
		return;
	crun = pg[511];
	if (crun == 0 || 4 * (crun + 1) + 13 * crun > 511)
		return;
	for (j = 0; j < crun; j++)
		if (pc_le32(pg + 4 * j) <= fc && fc < pc_le32(pg + 4 * (j + 1)))
			break;
	if (j == crun)
		return;
	pap->fc_end = pc_le32(pg + 4 * (j + 1));
	off = 2 * (size_t)pg[4 * (crun + 1) + 13 * j];
	if (off == 0 || off >= 511)
		return;
	cb = pg[off];
	if (cb == 0) {
		if (off + 1 >= 511)
			return;
		cb = 2 * (size_t)pg[off + 1];
		start = off + 2;
	} else {
		cb = 2 * cb - 1;
		start = off + 1;
	}
	if (cb < 2 || !pc_in(511, start, cb))
		return;
	pap->istd = pc_le16(pg + start);
	if (pap->istd < d->nsti)
		pap->sti = d->sti[pap->istd];
	style_pap(d, pap->istd, pap);   /* the paragraph's own sprms override it */
	grpprl(pap, pg + start + 2, cb - 2);
	if (pap->in_table && pap->itap == 0)
		pap->itap = 1;
}

void doc_chp_init(struct doc *d, uint32_t fc_bte, uint32_t lcb_bte)
{
	if (lcb_bte >= 12 && pc_in(d->tn, fc_bte, lcb_bte)) {
		d->bte_chp = d->t + fc_bte;
		d->nbte_chp = (lcb_bte - 4) / 8;
	}
	d->run0 = d->run1 = 0;
}

/* Does the CHPX grpprl mark its characters deleted? */
static int grpprl_deleted(const unsigned char *p, size_t n)
{
	size_t i = 0;
	int del = 0;

	while (i + 2 <= n) {
		unsigned sprm = pc_le16(p + i);
		long sz = operand_size(sprm, p + i + 2, n - i - 2);

		if (sz < 0 || !pc_in(n, i + 2, (size_t)sz))
			break;
		if (sprm == SPRM_CF_RMARK_DEL && sz >= 1)
			del = p[i + 2] != 0;
		i += 2 + (size_t)sz;
	}
	return del;
}

int doc_deleted(struct doc *d, uint32_t fc)
{
	const unsigned char *pg;
	size_t crun, j, off;

	if (!d->bte_chp)
		return 0;
	if (d->run0 <= fc && fc < d->run1)
		return d->run_deleted;
	d->run0 = d->run1 = 0;
	d->run_deleted = 0;
	if (!(pg = page_of(d, d->bte_chp, d->nbte_chp, fc)))
		return 0;
	crun = pg[511];
	if (crun == 0 || 4 * (crun + 1) + crun > 511)
		return 0;
	for (j = 0; j < crun; j++)
		if (pc_le32(pg + 4 * j) <= fc && fc < pc_le32(pg + 4 * (j + 1)))
			break;
	if (j == crun)
		return 0;
	d->run0 = pc_le32(pg + 4 * j);
	d->run1 = pc_le32(pg + 4 * (j + 1));
	off = 2 * (size_t)pg[4 * (crun + 1) + j];
	if (off != 0 && off < 511 && pc_in(511, off + 1, pg[off]))
		d->run_deleted = grpprl_deleted(pg + off + 1, pg[off]);
	return d->run_deleted;
}
