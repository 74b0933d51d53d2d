/* doc.c: Word 97-2003 documents ([MS-DOC]) and, best effort, Word 6/95:
 * the FIB (encryption flags, which table stream, the story lengths, the
 * CLX), the piece table (8-bit Windows-1252 or UTF-16LE pieces; Word 6's
 * 8-bit text in its language's code page, doccp.c), then the
 * main text, footnotes, comments, endnotes, text boxes and headers and
 * footers as paragraphs split at paragraph marks, headings and list items
 * from the paragraph properties (list items led by their label, doclist.c),
 * cells and rows of tables, and of each field its result without its
 * code. Tracked deletions are left out (a deleted paragraph mark joins
 * its paragraph to the next, as Word shows it); insertions are text. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdlib.h>
#include <string.h>

#include "doc.h"
#include "docrypt.h"
#include "docpap.h"
#include "doclist.h"
#include "out.h"
#include "doccp.h"
#include "../common/embed.h"

/* Where the story of each kind starts, in FIB order. */
enum { ST_MAIN, ST_FTN, ST_HDD, ST_MCR, ST_ATN, ST_EDN, ST_TXBX, ST_HDRTXBX, ST_N };

struct field {
	int result;         /* past the separator */
};

struct reader {
	struct doc *d;
	struct lg *lg;
	struct pbuf para, cells, code, label, line;
	size_t ncells;
	int rows;           /* rows of the current table */
	struct field f[DOC_MAX_FIELDS];
	int nf, deep;       /* fields open (and beyond the cap) */
	unsigned prev;      /* the previous character (fallback tables) */
	size_t chars;       /* read so far: never more than the stream holds */
	int props;          /* paragraph properties are read */
	int lead;           /* a double-byte character's lead byte, or -1 */
	unsigned width;     /* bytes of a character in the current piece */
};

/* ---- blocks ---- */

static void row_end(struct reader *r)
{
	const char *cells[LG_MAX_COLS];
	size_t lens[LG_MAX_COLS], n = 0;

	for (size_t i = 0; i < r->cells.n && n < LG_MAX_COLS;) {
		size_t k = strlen(r->cells.p + i);

		cells[n] = r->cells.p + i;
		lens[n++] = k;
		i += k + 1;
	}
	while (n > 0 && lens[n - 1] == 0)
		n--;
	if (n > 0)
		lg_row(r->lg, cells, lens, n, r->rows++ == 0);
	pbuf_reset(&r->cells);
	r->ncells = 0;
}

/* The paragraph so far into the current cell. */
static void cell_text(struct reader *r)
{
	pbuf_squeeze(&r->para);
	if (r->para.n) {
		if (r->cells.n && r->cells.p[r->cells.n - 1] != '\0')
			pbuf_add(&r->cells, " ", 1);
		pbuf_add(&r->cells, r->para.p, r->para.n);
	}
	pbuf_reset(&r->para);
}

static void cell_end(struct reader *r)
{
	cell_text(r);
	pbuf_add(&r->cells, "", 1);
	r->ncells++;
}

/* The paragraph led by its list label ("1.", "a)", a bullet): the text
 * in r->line, or r->para when it has no label. An empty list paragraph
 * is counted all the same, as Word numbers it. */
static const struct pbuf *labelled(struct reader *r, const struct pap *pap)
{
	pbuf_reset(&r->line);
	if (!pap->ilfo || !r->props)
		return &r->para;
	doc_list_label(r->d, pap->ilfo, pap->ilvl, &r->label);
	if (r->label.n == 0 || r->para.n == 0 || pbuf_add(&r->line, r->label.p, r->label.n) ||
	    pbuf_add(&r->line, " ", 1) || pbuf_add(&r->line, r->para.p, r->para.n))
		return &r->para;
	return &r->line;
}

static void para_end(struct reader *r, const struct pap *pap)
{
	const struct pbuf *t;

	pbuf_squeeze(&r->para);
	if (r->ncells || r->cells.n)   /* a table ended without its row mark */
		row_end(r);
	r->rows = 0;
	t = labelled(r, pap);
	if (r->para.n == 0)
		goto out;
	if (pap->sti >= 1 && pap->sti <= 9)   /* the built-in styles Heading 1-9 */
		lg_heading(r->lg, pap->sti, t->p, t->n);
	else if (pap->sti == 62)               /* Title */
		lg_heading(r->lg, 1, t->p, t->n);
	else if (pap->ilfo)
		lg_item(r->lg, pap->ilvl + 1, t->p, t->n);
	else
		lg_para(r->lg, t->p, t->n);
out:
	pbuf_reset(&r->para);
}

/* A paragraph or cell mark (13 or 7) stored at byte fc. */
static void mark(struct reader *r, unsigned c, uint32_t fc)
{
	struct pap pap;

	doc_pap(r->d, fc, &pap);
	if (!r->props) {   /* Word 6: a cell mark right after one ends the row */
		if (c == 7 && r->prev == 7 && r->para.n == 0)
			row_end(r);
		else if (c == 7)
			cell_end(r);
		else
			para_end(r, &pap);
		return;
	}
	if (c == 7 && pap.ttp)
		row_end(r);
	else if (c == 7 && pap.itap <= 1)
		cell_end(r);
	else if (pap.in_table || c == 7)
		cell_text(r);   /* a paragraph inside a cell, or a nested table's */
	else
		para_end(r, &pap);
}

/* ---- fields ---- */

/* EQ fields without a result (phonetic guides, ...): the text of their
 * arguments, switches dropped. */
static void eq_text(struct reader *r)
{
	const char *s = r->code.p;
	size_t n = r->code.n, i = 0;

	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	if (n - i < 2 || strncmp(s + i, "EQ", 2) != 0)
		return;
	for (i += 2; i < n; i++) {
		if (s[i] == '\\') {   /* a switch and its letters and digits */
			while (i + 1 < n && (s[i + 1] == '*' || (s[i + 1] >= 'a' && s[i + 1] <= 'z') ||
					     (s[i + 1] >= 'A' && s[i + 1] <= 'Z')))
				i++;
			while (i + 1 < n && (s[i + 1] == ' ' || (s[i + 1] >= '0' && s[i + 1] <= '9')))
				i++;
		} else if (s[i] == '"') {   /* a quoted option: "Font:MS Mincho" */
			while (i + 1 < n && s[i + 1] != '"')
				i++;
			i++;
		} else if (s[i] == '(' || s[i] == ')' || s[i] == ',') {
			pbuf_add(&r->para, " ", 1);
		} else if (!(s[i] >= 'a' && s[i] <= 'z') && !(s[i] >= '0' && s[i] <= '9')) {
			pbuf_add(&r->para, s + i, 1);
		}
	}
}

/* Field characters; returns 1 when c was one, or is hidden in a code. */
static int field(struct reader *r, unsigned c)
{
	if (c == 0x13) {
		if (r->nf < DOC_MAX_FIELDS) {
			r->f[r->nf++].result = 0;
			if (r->nf == 1)
				pbuf_reset(&r->code);
		} else {
			r->deep++;
		}
		return 1;
	}
	if (c == 0x14 || c == 0x15) {
		if (r->deep) {
			r->deep -= c == 0x15;
			return 1;
		}
		if (r->nf == 0)
			return 1;   /* a stray mark */
		if (c == 0x14) {
			r->f[r->nf - 1].result = 1;
		} else {
			if (r->nf == 1 && !r->f[0].result)
				eq_text(r);
			r->nf--;
		}
		return 1;
	}
	if (r->deep)
		return 1;
	for (int i = 0; i < r->nf; i++) {
		if (!r->f[i].result) {
			if (r->nf == 1)
				pbuf_u16(&r->code, c);
			return 1;
		}
	}
	return 0;
}

/* ---- characters ---- */

static void character(struct reader *r, unsigned c, uint32_t fc)
{
	if (field(r, c))
		return;
	if (c == 13 || c == 7) {
		mark(r, c, fc);
	} else if (c == 12) {   /* page or section break */
		struct pap pap = { .sti = 0x0fff };

		/* a section mark that ends its paragraph is its paragraph mark:
		 * the paragraph keeps its list label, heading level, table */
		if (r->props)
			doc_pap(r->d, fc, &pap);
		if (pap.fc_end && pap.fc_end == fc + r->width)
			mark(r, 13, fc);
		else if (r->ncells == 0)
			para_end(r, &(struct pap){ .sti = 0x0fff });
	} else if (c == 11 || c == 9 || c == 0xa0) {
		pbuf_add(&r->para, c == 9 ? "\t" : " ", 1);
	} else if (c == 0x1e) {
		pbuf_add(&r->para, "-", 1);
	} else if (c == 0xf0b7) {   /* the Symbol font's bullet */
		pbuf_cp(&r->para, 0x2022);
	} else if (c >= 0x20 && !(c >= 0xf000 && c <= 0xf0ff)) {
		pbuf_u16(&r->para, c);
	}
	r->prev = c;
	if (r->para.n >= LG_BLOCK_MAX) {   /* a paragraph without end */
		lg_para(r->lg, r->para.p, r->para.n);
		pbuf_reset(&r->para);
	}
}

/* An 8-bit character: Windows-1252, or the Word 6 document's code page
 * (DOC_LEAD: a lead byte, kept until its trail byte). */
static unsigned eight_bit(struct reader *r, unsigned char b)
{
	const struct doc *d = r->d;
	unsigned lead = (unsigned)r->lead;

	if (!d->bytes)
		return pc_cp1252(b);
	if (r->lead >= 0) {
		r->lead = -1;
		if (b >= 0x40)   /* no trail byte is below 0x40: a mark stays a mark */
			return doc_cp_pair(r->d, (unsigned char)lead, b);
	}
	if (d->bytes[b] == DOC_LEAD) {
		r->lead = b;
		return DOC_LEAD;
	}
	return d->bytes[b];
}

/* The characters [cp0, cp1) through the piece table. */
static void story(struct reader *r, uint32_t cp0, uint32_t cp1)
{
	struct doc *d = r->d;
	struct pap none = { .sti = 0x0fff };

	r->lead = -1;
	for (size_t i = 0; i < d->npcs && !r->lg->err; i++) {
		const struct piece *p = &d->pcs[i];
		uint32_t a = p->cp0 > cp0 ? p->cp0 : cp0, b = p->cp1 < cp1 ? p->cp1 : cp1;
		size_t w = p->compressed ? 1 : 2;

		if (a >= b)
			continue;
		if (!pc_in(d->wn, p->fc + (size_t)(a - p->cp0) * w, (size_t)(b - a) * w)) {
			r->lg->host->log(QUIRE_LOG_INFO, "legacy: a text piece lies past the stream");
			lg_fail(r->lg, QUIRE_CORRUPT);
			return;
		}
		r->chars += b - a;
		r->width = (unsigned)w;
		if (r->chars > d->wn) {   /* pieces that share their bytes */
			r->lg->host->log(QUIRE_LOG_INFO, "legacy: the pieces hold more text than the file");
			lg_fail(r->lg, QUIRE_CORRUPT);
			return;
		}
		for (uint32_t cp = a; cp < b && !r->lg->err; cp++) {
			uint32_t fc = p->fc + (cp - p->cp0) * (uint32_t)w;
			unsigned c = w == 2 ? pc_le16(d->w + fc) : eight_bit(r, d->w[fc]);

			if (c == DOC_LEAD)
				continue;   /* the character is the next byte's */

			if (c != 7 && doc_deleted(d, fc))
				continue;   /* a tracked deletion: Word does not show it */
			character(r, c, fc);
		}
	}
	/* what is left of the story */
	r->nf = r->deep = 0;
	if (r->ncells)
		row_end(r);
	para_end(r, &none);
}

/* ---- the FIB and the piece table ---- */

/* The CLX's PlcPcd (Word 97 and later; Word 6 complex files). */
static int read_clx(struct doc *d, const unsigned char *base, size_t n, uint32_t fc, uint32_t lcb)
{
	const unsigned char *c;
	size_t pos = 0, np;

	if (!pc_in(n, fc, lcb))
		return -1;
	c = base + fc;
	while (pos < lcb && c[pos] == 1) {   /* Prc: grpprls of the pieces */
		if (!pc_in(lcb, pos + 1, 2))
			return -1;
		pos += 3 + pc_le16(c + pos + 1);
	}
	if (!pc_in(lcb, pos, 5) || c[pos] != 2)
		return -1;
	n = pc_le32(c + pos + 1);
	c += pos + 5;
	if (n < 4 || !pc_in(lcb, pos + 5, n))
		return -1;
	np = (n - 4) / 12;
	d->pcs = calloc(np ? np : 1, sizeof *d->pcs);
	if (!d->pcs)
		return -1;
	for (size_t i = 0; i < np; i++) {
		const unsigned char *pcd = c + 4 * (np + 1) + 8 * i;
		uint32_t f = pc_le32(pcd + 2);
		struct piece *p = &d->pcs[d->npcs];

		p->cp0 = pc_le32(c + 4 * i);
		p->cp1 = pc_le32(c + 4 * (i + 1));
		if (p->cp1 <= p->cp0)
			continue;
		if (d->word6) {
			p->compressed = 1;
			p->fc = f;
		} else {
			p->compressed = (f >> 30) & 1;
			p->fc = p->compressed ? (f & 0x3fffffff) / 2 : f & 0x3fffffff;
		}
		d->npcs++;
	}
	return 0;
}

/* One 8-bit piece from fcMin: files without a piece table. */
static int simple_piece(struct doc *d, uint32_t ccp)
{
	if (d->wn < 0x20)
		return -1;
	d->pcs = calloc(1, sizeof *d->pcs);
	if (!d->pcs)
		return -1;
	d->pcs[0] = (struct piece){ 0, ccp, pc_le32(d->w + 0x18), 1 };
	d->npcs = 1;
	return 0;
}

struct fib {
	uint32_t ccp[ST_N];
	uint32_t fc_clx, lcb_clx, fc_bte, lcb_bte, fc_stsh, lcb_stsh, fc_chp, lcb_chp;
	uint32_t fc_lst, lcb_lst, fc_lfo, lcb_lfo;
	unsigned flags, nfib;
};

/* The FIB's fields; -1 when it is too short. */
static int read_fib(const struct doc *d, struct fib *f)
{
	const unsigned char *w = d->w;
	size_t csw, cslw, lw, blob, nfc;

	memset(f, 0, sizeof *f);
	f->nfib = pc_le16(w + 2);
	f->flags = pc_le16(w + 0x0a);
	if (d->word6) {   /* Word 6/95: fixed offsets */
		if (d->wn < 0x168)
			return -1;
		for (int i = 0; i < ST_N; i++)
			f->ccp[i] = pc_le32(w + 0x34 + 4 * i);
		f->fc_clx = pc_le32(w + 0x160);
		f->lcb_clx = pc_le32(w + 0x164);
		return 0;
	}
	csw = pc_le16(w + 32);
	if (!pc_in(d->wn, 34, 2 * csw + 2))
		return -1;
	cslw = pc_le16(w + 34 + 2 * csw);
	lw = 36 + 2 * csw;
	if (cslw < 11 || !pc_in(d->wn, lw, 4 * cslw + 2))
		return -1;
	for (int i = 0; i < ST_N; i++)
		f->ccp[i] = pc_le32(w + lw + 12 + 4 * i);
	nfc = pc_le16(w + lw + 4 * cslw);
	blob = lw + 4 * cslw + 2;
	if (nfc < 34 || !pc_in(d->wn, blob, 8 * nfc))
		return -1;
	f->fc_stsh = pc_le32(w + blob + 8);
	f->lcb_stsh = pc_le32(w + blob + 12);
	f->fc_bte = pc_le32(w + blob + 8 * 13);
	f->lcb_bte = pc_le32(w + blob + 8 * 13 + 4);
	f->fc_clx = pc_le32(w + blob + 8 * 33);
	f->lcb_clx = pc_le32(w + blob + 8 * 33 + 4);
	f->fc_chp = pc_le32(w + blob + 8 * 12);
	f->lcb_chp = pc_le32(w + blob + 8 * 12 + 4);
	if (nfc >= 75) {   /* fcPlfLst, fcPlfLfo */
		f->fc_lst = pc_le32(w + blob + 8 * 73);
		f->lcb_lst = pc_le32(w + blob + 8 * 73 + 4);
		f->fc_lfo = pc_le32(w + blob + 8 * 74);
		f->lcb_lfo = pc_le32(w + blob + 8 * 74 + 4);
	}
	return 0;
}

static void stories(struct doc *d, const struct fib *f)
{
	/* read in this order: the body, then what hangs off it, headers last */
	static const int order[] = { ST_MAIN, ST_FTN, ST_EDN, ST_ATN, ST_TXBX, ST_HDD, ST_HDRTXBX };
	/* each story's part (host->part): text boxes belong to the body; the
	 * headers' story holds every section's headers and footers */
	static const char *const part[] = { "body", "footnotes", "endnotes", "comments", "body",
		"margins", "margins" };
	const char *in = "body";
	struct reader r = { .d = d, .lg = d->lg, .props = !d->word6 && d->bte, .lead = -1 };
	uint32_t start[ST_N + 1] = { 0 };

	for (int i = 0; i < ST_N; i++)
		start[i + 1] = start[i] + f->ccp[i] < start[i] ? UINT32_MAX : start[i] + f->ccp[i];
	pbuf_init(&r.para, LG_BLOCK_MAX + 8);
	pbuf_init(&r.cells, LG_BLOCK_MAX * 2);
	pbuf_init(&r.code, 1 << 16);
	pbuf_init(&r.label, 1024);
	pbuf_init(&r.line, LG_BLOCK_MAX + 1100);
	for (size_t i = 0; i < sizeof order / sizeof order[0] && !d->lg->err; i++)
		if (f->ccp[order[i]]) {
			if (strcmp(in, part[i]) && pc_part(d->lg->host, (in = part[i])))
				lg_fail(d->lg, QUIRE_TOO_LARGE);
			story(&r, start[order[i]], start[order[i] + 1]);
		}
	if (strcmp(in, "body") && !d->lg->err && pc_part(d->lg->host, "body"))
		lg_fail(d->lg, QUIRE_TOO_LARGE);
	pbuf_free(&r.para);
	pbuf_free(&r.cells);
	pbuf_free(&r.code);
	pbuf_free(&r.label);
	pbuf_free(&r.line);
}

static enum quire_result word(struct doc *d, GsfInfile *dir)
{
	struct lg *lg = d->lg;
	struct lg_bytes table = { 0 };
	struct fib f;
	int got;

	/* fEncrypted (with fObfuscated: XOR), in the FibBase that is never
	 * encrypted; past it the FIB may be: RC4 is decrypted with the host's
	 * password (docrypt.c), WordDocument (owned by lg_doc) in place */
	if (pc_le16(d->w + 0x0a) & 0x0100) {
		enum quire_result r = QUIRE_ENCRYPTED;

		if (!d->word6 && lg_stream(lg, dir, pc_le16(d->w + 0x0a) & 0x0200 ? "1Table" : "0Table",
					   &table) == 0)
			r = doc_decrypt(d, (unsigned char *)d->w, d->wn, table.p, table.n);
		if (r != QUIRE_OK) {
			lg->host->log(QUIRE_LOG_INFO, "legacy: the document is encrypted");
			lg_bytes_free(&table);
			return lg_fail(lg, r), lg->err;
		}
	}
	if (read_fib(d, &f) != 0) {
		lg->host->log(QUIRE_LOG_INFO, "legacy: the Word FIB is truncated");
		return lg_fail(lg, QUIRE_CORRUPT), lg->err;
	}
	if (d->word6) {
		got = f.flags & 0x0004 ? read_clx(d, d->w, d->wn, f.fc_clx, f.lcb_clx)
				       : simple_piece(d, f.ccp[ST_MAIN] + f.ccp[ST_FTN] + f.ccp[ST_HDD]);
	} else {
		const char *which = f.flags & 0x0200 ? "1Table" : "0Table";

		got = table.p ? 0 : lg_stream(lg, dir, which, &table);
		if (got == 1)   /* writers that name the other one than fWhichTblStm says */
			got = lg_stream(lg, dir, which[0] == '1' ? "0Table" : "1Table", &table);
		if (got == 0) {
			d->t = table.p;
			d->tn = table.n;
			got = read_clx(d, d->t, d->tn, f.fc_clx, f.lcb_clx);
			doc_pap_init(d, f.fc_bte, f.lcb_bte, f.fc_stsh, f.lcb_stsh);
			doc_chp_init(d, f.fc_chp, f.lcb_chp);
			doc_lists_init(d, f.fc_lst, f.lcb_lst, f.fc_lfo, f.lcb_lfo);
		}
	}
	if (got != 0 && !lg->err) {
		lg->host->log(QUIRE_LOG_INFO, "legacy: no readable piece table");
		lg_fail(lg, QUIRE_CORRUPT);
	}
	if (!lg->err) {
		doc_cp_init(d);
		stories(d, &f);
		doc_cp_free(d);
	}
	free(d->pcs);
	free(d->sti);
	free(d->styles);
	doc_lists_free(d);
	lg_bytes_free(&table);
	return lg->err;
}

enum quire_result lg_doc(struct lg *lg, GsfInfile *dir)
{
	struct doc d = { .lg = lg, .cd = (iconv_t)-1 };
	struct lg_bytes w;
	enum quire_result r;

	if (lg_stream(lg, dir, "WordDocument", &w) != 0)
		return lg->err ? lg->err : QUIRE_UNSUPPORTED;
	d.w = d.t = w.p;
	d.wn = d.tn = w.n;
	/* wIdent: 0xa5ec (Word 97 and later), 0xa5dc (Word 6/95) */
	if (w.n < 0x40 || (pc_le16(w.p) != 0xa5ec && pc_le16(w.p) != 0xa5dc)) {
		lg->host->log(QUIRE_LOG_INFO, "legacy: WordDocument has no Word FIB");
		lg_bytes_free(&w);
		return lg_fail(lg, QUIRE_CORRUPT), lg->err;
	}
	d.word6 = pc_le16(w.p + 2) < 0xc0;   /* nFib: 101-105 Word 6/95, 193 Word 97 */
	r = word(&d, dir);
	lg_bytes_free(&w);
	return r;
}
