/* xls.c: Excel 97-2003 (BIFF8) and 5/95 (BIFF5) workbooks: the globals
 * (sheets, shared strings, formats), then each sheet as a page with its
 * name as a heading, its print header, its cells as table rows in row and
 * column order (numbers as Excel displays them), its text boxes, comments
 * and the labels of its embedded charts, and its print footer. A chart
 * sheet (a BOF of type chart) is read as a chart: its title, series
 * names, axis titles and category labels. A workbook
 * embedded in another document adds its rows to the current page.
 * Excel 2.x, 3.0 and 4.0 worksheets (BIFF2-4, no OLE2 container: the
 * file is the record stream) are read as one sheet with their own cell
 * records; notes of BIFF2-5 carry their text in NOTE records, BIFF5 text
 * boxes theirs in 8-bit CONTINUE records. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE   /* memmem */
#endif
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "legacy.h"
#include "xlscrypt.h"
#include "xls.h"
#include "out.h"
#include "../common/biff.h"

#define XLS_MAX_COL 1024
#define XLS_MAX_SHEETS 10000

/* BIFF2-4 records that BIFF5 and 8 number otherwise or do not have */
#define BIFF2_BOF 0x0009
#define BIFF3_BOF 0x0209
#define BIFF4_BOF 0x0409
#define BIFF2_BOOLERR 0x0005
#define BIFF2_FORMULA 0x0006   /* BIFF5's FORMULA number, BIFF2's layout */
#define BIFF2_STRING 0x0007
#define BIFF3_FORMULA 0x0206
#define BIFF4_FORMULA 0x0406
#define BIFF3_XF 0x0243
#define BIFF4_XF 0x0443
#define BIFF_NOTE 0x001c

struct sheet {
	size_t pos;         /* offset of its BOF */
	unsigned type;      /* 0 worksheet, 1 macro sheet, 2 chart, 6 VB module */
	size_t name, nlen;  /* in book.names */
};

struct cell {
	uint32_t row, seq;
	unsigned col;
	size_t off, len;    /* in the sheet's text */
};

struct book {
	struct lg *lg;
	const unsigned char *s;
	size_t n;
	struct biff_text t;
	int date1904;
	int biff;           /* 2, 3, 4, 5 or 8: from the first BOF */
	int decrypted;      /* FILEPASS met and its RC4 undone (lg_xls) */
	struct pbuf sst;  /* shared strings, back to back */
	size_t *sst_off;    /* nsst + 1 offsets */
	size_t nsst;
	unsigned *xf;       /* number format of each XF */
	size_t nxf, xfcap;
	struct pbuf fmts; /* FORMAT strings, each NUL-terminated */
	struct { unsigned id; size_t off; } *fmt;
	size_t nfmt, fmtcap;
	uint32_t *fmt_by_id;  /* 65536 entries: 1 + index into fmt, or 0 */
	struct pbuf names;
	struct sheet *sheets;
	size_t nsheets, sheetcap;
};

/* The sheet being read. */
struct sheetrd {
	struct pbuf text;
	struct cell *cells;
	size_t ncells, cap;
	long pending;       /* the formula cell waiting for its STRING record */
	int in_note;        /* a BIFF2-5 note's text is being added to boxes */
	struct pbuf hdr, ftr, boxes;   /* header, footer, text boxes (NUL-separated) */
	struct pbuf chart;             /* the strings of an embedded chart */
};

static int grow(void **v, size_t *cap, size_t n, size_t size)
{
	void *p;
	size_t c;

	if (n < *cap)
		return 0;
	c = *cap ? 2 * *cap : 16;
	p = realloc(*v, c * size);
	if (!p)
		return -1;
	*v = p;
	*cap = c;
	return 0;
}

/* The BOF record of each BIFF version: 2, 3, 4, 5 (0x0809: BIFF5 or 8,
 * the version in the record), or 0 for any other record. */
static int bof_type(unsigned type)
{
	switch (type) {
	case BIFF2_BOF: return 2;
	case BIFF3_BOF: return 3;
	case BIFF4_BOF: return 4;
	case BIFF_BOF: return 5;
	default: return 0;
	}
}

/* ---- globals ---- */

/* Bytes left in the record and its CONTINUE records. */
static int crd_more(const struct crd *c)
{
	return !c->bad && c->i < c->nseg && (c->pos < c->seg[c->i].n || c->i + 1 < c->nseg);
}

/* The shared strings: as many as the SST and its CONTINUE records hold,
 * whatever cstUnique says (writers that count fewer, or none, exist;
 * every string takes at least 3 bytes, which bounds the count). */
static void read_sst(struct book *b, size_t off)
{
	struct crd c;
	size_t cap;

	if (crd_init(&c, b->s, b->n, off, 0)) {
		lg_fail(b->lg, QUIRE_ERROR);
		return;
	}
	crd_u32(&c);
	cap = crd_u32(&c);
	cap = cap < 16 ? 16 : cap > b->n / 3 ? b->n / 3 + 1 : cap;
	free(b->sst_off);
	b->sst_off = malloc((cap + 1) * sizeof *b->sst_off);
	if (!b->sst_off) {
		crd_free(&c);
		lg_fail(b->lg, QUIRE_ERROR);
		return;
	}
	pbuf_reset(&b->sst);
	b->nsst = 0;
	b->sst_off[0] = 0;
	while (crd_more(&c) && b->nsst < b->n / 3) {
		biff_string(&b->t, &c, 2, &b->sst);
		if (c.bad)
			break;
		if (b->nsst + 1 > cap) {
			size_t *x = realloc(b->sst_off, (2 * cap + 1) * sizeof *x);

			if (!x) {
				lg_fail(b->lg, QUIRE_ERROR);
				break;
			}
			b->sst_off = x;
			cap *= 2;
		}
		b->sst_off[++b->nsst] = b->sst.n;
	}
	crd_free(&c);
}

static void add_format(struct book *b, const struct biff_rec *r)
{
	size_t off = b->fmts.n;

	if (r->len < 3 || grow((void **)&b->fmt, &b->fmtcap, b->nfmt, sizeof *b->fmt))
		return;
	if (r->type == BIFF4_FORMAT)   /* BIFF4: no index; the order is the index */
		biff_string_at(&b->t, r->p, r->len, 0, 1, &b->fmts);
	else
		biff_string_at(&b->t, r->p, r->len, 2, b->t.biff8 ? 2 : 1, &b->fmts);
	if (pbuf_add(&b->fmts, "", 1))
		return;
	/* BIFF2-4: the order of the FORMAT records is the index */
	b->fmt[b->nfmt].id = r->type == BIFF4_FORMAT || b->biff <= 4 ? (unsigned)b->nfmt
								  : pc_le16(r->p);
	b->fmt[b->nfmt++].off = off;
}

static void add_sheet(struct book *b, const struct biff_rec *r)
{
	struct sheet *sh;
	size_t name = b->names.n;

	if (r->len < 7 || b->nsheets >= XLS_MAX_SHEETS ||
	    grow((void **)&b->sheets, &b->sheetcap, b->nsheets, sizeof *b->sheets))
		return;
	biff_string_at(&b->t, r->p, r->len, 6, 1, &b->names);
	sh = &b->sheets[b->nsheets++];
	sh->pos = pc_le32(r->p);
	sh->type = r->p[5];
	sh->name = name;
	sh->nlen = b->names.n - name;
}

/* The workbook globals up to their EOF; returns the offset after it. */
static size_t globals(struct book *b)
{
	struct biff_rec r;
	size_t off = 0;

	while (!b->lg->err && biff_at(b->s, b->n, off, &r) == 0) {
		off = r.next;
		switch (r.type) {
		case BIFF_EOF:
			return off;
		case BIFF_FILEPASS:
			if (b->decrypted)
				break;
			b->lg->host->log(QUIRE_LOG_INFO, "legacy: the workbook is encrypted");
			lg_fail(b->lg, QUIRE_ENCRYPTED);
			return off;
		case BIFF_CODEPAGE:
			if (r.len >= 2)
				biff_text_codepage(&b->t, pc_le16(r.p));
			break;
		case BIFF_DATEMODE:
			b->date1904 = r.len >= 2 && pc_le16(r.p) == 1;
			break;
		case BIFF_BOUNDSHEET:
			add_sheet(b, &r);
			break;
		case BIFF_SST:
			read_sst(b, r.off);
			break;
		case BIFF_FORMAT:
		case BIFF4_FORMAT:
			add_format(b, &r);
			break;
		case BIFF_XF:
			if (r.len >= 4 && !grow((void **)&b->xf, &b->xfcap, b->nxf, sizeof *b->xf))
				b->xf[b->nxf++] = pc_le16(r.p + 2);
			break;
		case BIFF3_XF:   /* font, then the format index in one byte */
		case BIFF4_XF:
			if (r.len >= 2 && !grow((void **)&b->xf, &b->xfcap, b->nxf, sizeof *b->xf))
				b->xf[b->nxf++] = r.p[1];
			break;
		}
	}
	return off;
}

/* ---- cells ---- */

static const char *format_of(const struct book *b, unsigned ixfe)
{
	unsigned id;

	if (ixfe >= b->nxf)
		return NULL;
	id = b->xf[ixfe];
	if (b->fmt_by_id && id < 65536 && b->fmt_by_id[id])
		return b->fmts.p + b->fmt[b->fmt_by_id[id] - 1].off;
	return pc_builtin_fmt(id);
}

/* Start a cell at (row, col); its text is what is added to sr->text until
 * the next cell. Returns its index, or -1. */
static long cell_new(struct book *b, struct sheetrd *sr, unsigned row, unsigned col)
{
	struct cell *c;

	if (col >= XLS_MAX_COL)
		return -1;
	if (grow((void **)&sr->cells, &sr->cap, sr->ncells, sizeof *sr->cells)) {
		lg_fail(b->lg, QUIRE_ERROR);
		return -1;
	}
	c = &sr->cells[sr->ncells];
	c->row = row;
	c->col = col;
	c->seq = (uint32_t)sr->ncells;
	c->off = sr->text.n;
	c->len = 0;
	return (long)sr->ncells++;
}

static void cell_end(struct sheetrd *sr, long i)
{
	if (i >= 0)
		sr->cells[i].len = sr->text.n - sr->cells[i].off;
}

static void cell_number(struct book *b, struct sheetrd *sr, unsigned row, unsigned col,
			unsigned ixfe, double v)
{
	long i = cell_new(b, sr, row, col);

	if (i < 0)
		return;
	pc_numfmt(v, format_of(b, ixfe), b->date1904, &sr->text);
	cell_end(sr, i);
}

static void cell_text(struct book *b, struct sheetrd *sr, unsigned row, unsigned col,
		      const char *s, size_t n)
{
	long i = cell_new(b, sr, row, col);

	if (i < 0)
		return;
	pbuf_add(&sr->text, s, n);
	cell_end(sr, i);
}

static double rk_value(uint32_t rk)
{
	double v;

	if (rk & 2) {
		v = (double)((int32_t)rk >> 2);
	} else {
		uint64_t bits = (uint64_t)(rk & 0xfffffffcu) << 32;

		memcpy(&v, &bits, sizeof v);
	}
	return rk & 1 ? v / 100 : v;
}

static double le_double(const unsigned char *p)
{
	uint64_t bits = (uint64_t)pc_le32(p) | (uint64_t)pc_le32(p + 4) << 32;
	double v;

	memcpy(&v, &bits, sizeof v);
	return v;
}

static const char *error_text(unsigned code)
{
	switch (code) {
	case 0x00: return "#NULL!";
	case 0x07: return "#DIV/0!";
	case 0x0f: return "#VALUE!";
	case 0x17: return "#REF!";
	case 0x1d: return "#NAME?";
	case 0x24: return "#NUM!";
	case 0x2a: return "#N/A";
	default: return "#ERR";
	}
}

static void cell_boolerr(struct book *b, struct sheetrd *sr, unsigned row, unsigned col,
			 unsigned val, int err)
{
	const char *s = err ? error_text(val) : val ? "TRUE" : "FALSE";

	cell_text(b, sr, row, col, s, strlen(s));
}

static void formula(struct book *b, struct sheetrd *sr, const struct biff_rec *r)
{
	const unsigned char *v = r->p + 6;
	unsigned row = pc_le16(r->p), col = pc_le16(r->p + 2);

	if (r->len < 14)
		return;
	if (pc_le16(v + 6) != 0xffff) {
		cell_number(b, sr, row, col, pc_le16(r->p + 4), le_double(v));
		return;
	}
	switch (v[0]) {
	case 0:   /* a string: in the STRING record that follows */
		sr->pending = cell_new(b, sr, row, col);
		break;
	case 1:
	case 2:
		cell_boolerr(b, sr, row, col, v[2], v[0] == 2);
		break;
	}
}

/* BIFF2's FORMULA: 3 attribute bytes before the result (no XF table:
 * numbers in the General format). */
static void formula2(struct book *b, struct sheetrd *sr, const struct biff_rec *r)
{
	const unsigned char *v = r->p + 7;
	unsigned row = pc_le16(r->p), col = pc_le16(r->p + 2);

	if (r->len < 15)
		return;
	if (pc_le16(v + 6) != 0xffff)
		cell_number(b, sr, row, col, (unsigned)-1, le_double(v));
	else if (v[0] == 0)
		sr->pending = cell_new(b, sr, row, col);
	else if (v[0] == 1 || v[0] == 2)
		cell_boolerr(b, sr, row, col, v[2], v[0] == 2);
}

static void string_rec(struct book *b, struct sheetrd *sr, const struct biff_rec *r)
{
	struct cell *c;
	struct crd cr;

	if (sr->pending < 0)
		return;
	c = &sr->cells[sr->pending];
	sr->pending = -1;
	/* the cell must be the last one started: its text goes at the end */
	if (c->seq + 1 != sr->ncells)
		return;
	if (r->type == BIFF2_STRING) {   /* an 8-bit length, 8-bit characters */
		biff_string_at(&b->t, r->p, r->len, 0, 1, &sr->text);
		c->len = sr->text.n - c->off;
		return;
	}
	if (crd_init(&cr, b->s, b->n, r->off, 0))
		return;
	biff_string(&b->t, &cr, 2, &sr->text);
	crd_free(&cr);
	c->len = sr->text.n - c->off;
}

static void mulrk(struct book *b, struct sheetrd *sr, const struct biff_rec *r)
{
	unsigned row, col;

	if (r->len < 6)
		return;
	row = pc_le16(r->p);
	col = pc_le16(r->p + 2);
	for (size_t off = 4; off + 6 <= r->len - 2; off += 6, col++)
		cell_number(b, sr, row, col, pc_le16(r->p + off), rk_value(pc_le32(r->p + off + 2)));
}

/* A text box or comment: the text in the CONTINUE records after TXO. */
static void txo(struct book *b, struct sheetrd *sr, const struct biff_rec *r)
{
	struct crd c;
	size_t cch, start = sr->boxes.n;

	if (r->len < 14)
		return;
	cch = pc_le16(r->p + 10);
	if (cch == 0 || crd_init(&c, b->s, b->n, r->off, 1))
		return;
	if (b->t.biff8) {
		biff_chars(&c, cch, crd_u8(&c) & 1, &sr->boxes);
	} else if (c.nseg > 0) {   /* BIFF5: 8-bit text, no flags byte */
		size_t k = c.seg[0].n < cch ? c.seg[0].n : cch;

		biff_put8(&b->t, &sr->boxes, b->s + c.seg[0].off, k);
	}
	crd_free(&c);
	if (sr->boxes.n > start)
		pbuf_add(&sr->boxes, "", 1);
}

/* A cell note before BIFF8: its text in the NOTE record and in the NOTE
 * records after it whose row is 0xFFFF (BIFF8's NOTE holds no text: its
 * TXO does). Each note ends at the next record of another type. */
static void note(struct book *b, struct sheetrd *sr, const struct biff_rec *r)
{
	if (b->t.biff8 || r->len <= 6)
		return;
	if (pc_le16(r->p) != 0xffff && sr->in_note)
		pbuf_add(&sr->boxes, "", 1);   /* the note before ends */
	biff_put8(&b->t, &sr->boxes, r->p + 6, r->len - 6);
	sr->in_note = 1;
}

/* Header and footer: the text of &L/&C/&R sections, codes dropped. */
static void header_footer(struct book *b, const struct biff_rec *r, struct pbuf *out)
{
	struct pbuf raw;

	if (r->len == 0)
		return;
	pbuf_init(&raw, 1 << 16);
	biff_string_at(&b->t, r->p, r->len, 0, b->t.biff8 ? 2 : 1, &raw);
	for (size_t i = 0; i < raw.n; i++) {
		char ch = raw.p[i];

		if (ch != '&') {
			pbuf_add(out, &ch, 1);
			continue;
		}
		if (++i >= raw.n)
			break;
		ch = raw.p[i];
		if (ch == '&')
			pbuf_add(out, "&", 1);
		else if (ch == 'L' || ch == 'C' || ch == 'R')
			pbuf_add(out, "", 1);
		else if (ch == '"') {   /* &"font,style" */
			while (i + 1 < raw.n && raw.p[i + 1] != '"')
				i++;
			i++;
		} else if (ch >= '0' && ch <= '9') {   /* &nn: font size */
			while (i + 1 < raw.n && raw.p[i + 1] >= '0' && raw.p[i + 1] <= '9')
				i++;
		}
		/* &P &N &D &T &F &A &Z &G &B &I &U &E &S &X &Y: fields and styles */
	}
	pbuf_add(out, "", 1);
	pbuf_free(&raw);
}

static void cell_record(struct book *b, struct sheetrd *sr, const struct biff_rec *r)
{
	unsigned row = r->len >= 4 ? pc_le16(r->p) : 0, col = r->len >= 4 ? pc_le16(r->p + 2) : 0;
	unsigned ixfe = r->len >= 6 ? pc_le16(r->p + 4) : 0;
	long i;

	switch (r->type) {
	case BIFF_LABELSST:
		if (r->len >= 10) {
			uint32_t k = pc_le32(r->p + 6);

			if (k < b->nsst)
				cell_text(b, sr, row, col, b->sst.p + b->sst_off[k],
					  b->sst_off[k + 1] - b->sst_off[k]);
		}
		break;
	case BIFF_LABEL:
	case BIFF_RSTRING:
		if (r->len >= 8 && (i = cell_new(b, sr, row, col)) >= 0) {
			biff_string_at(&b->t, r->p, r->len, 6, 2, &sr->text);
			cell_end(sr, i);
		}
		break;
	case BIFF2_LABEL:   /* BIFF2: 3 attribute bytes, an 8-bit length */
		if (r->len >= 8 && (i = cell_new(b, sr, row, col)) >= 0) {
			biff_string_at(&b->t, r->p, r->len, 7, 1, &sr->text);
			cell_end(sr, i);
		}
		break;
	case BIFF_NUMBER:
		if (r->len >= 14)
			cell_number(b, sr, row, col, ixfe, le_double(r->p + 6));
		break;
	case BIFF2_NUMBER:
		if (r->len >= 15)
			cell_number(b, sr, row, col, 0, le_double(r->p + 7));
		break;
	case BIFF2_INTEGER:
		if (r->len >= 9)
			cell_number(b, sr, row, col, 0, pc_le16(r->p + 7));
		break;
	case BIFF_RK:
		if (r->len >= 10)
			cell_number(b, sr, row, col, ixfe, rk_value(pc_le32(r->p + 6)));
		break;
	case BIFF_MULRK:
		mulrk(b, sr, r);
		break;
	case BIFF_BOOLERR:
		if (r->len >= 8)
			cell_boolerr(b, sr, row, col, r->p[6], r->p[7]);
		break;
	case BIFF_FORMULA:   /* and BIFF2_FORMULA */
		if (b->biff == 2)
			formula2(b, sr, r);
		else
			formula(b, sr, r);
		break;
	case BIFF3_FORMULA:
	case BIFF4_FORMULA:
		formula(b, sr, r);
		break;
	case BIFF2_BOOLERR:   /* 3 attribute bytes, then value and error flag */
		if (r->len >= 9 && b->biff == 2)
			cell_boolerr(b, sr, row, col, r->p[7], r->p[8]);
		break;
	}
}

/* ---- a sheet ---- */

static int cell_cmp(const void *a, const void *b)
{
	const struct cell *x = a, *y = b;

	if (x->row != y->row)
		return x->row < y->row ? -1 : 1;
	if (x->col != y->col)
		return x->col < y->col ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Paragraphs of NUL-separated pieces. */
static void pieces(struct lg *lg, struct pbuf *b)
{
	struct pbuf one;

	pbuf_init(&one, LG_BLOCK_MAX * 2);
	for (size_t i = 0; i < b->n;) {
		size_t k = strnlen(b->p + i, b->n - i);

		pbuf_reset(&one);
		pbuf_add(&one, b->p + i, k);
		pbuf_squeeze(&one);
		if (one.n && lg_para(lg, one.p, one.n))
			break;
		i += k + 1;
	}
	pbuf_free(&one);
}

static void emit_rows(struct lg *lg, struct sheetrd *sr)
{
	const char *cells[XLS_MAX_COL];
	size_t lens[XLS_MAX_COL];
	int rows = 0;

	if (sr->ncells)
		qsort(sr->cells, sr->ncells, sizeof *sr->cells, cell_cmp);
	for (size_t i = 0; i < sr->ncells && !lg->err;) {
		uint32_t row = sr->cells[i].row;
		size_t n = 0;

		for (; i < sr->ncells && sr->cells[i].row == row; i++) {
			const struct cell *c = &sr->cells[i];

			if (c->len == 0)
				continue;
			while (n <= c->col) {
				cells[n] = "";
				lens[n++] = 0;
			}
			cells[c->col] = sr->text.p + c->off;
			lens[c->col] = c->len;
		}
		if (n)
			lg_row(lg, cells, lens, n, rows++ == 0);
	}
}

/* A string of an embedded chart: its category labels (LABEL records of
 * its data cache) and series names, "; "-separated, each once. */
static void chart_string(struct book *b, struct sheetrd *sr, const struct biff_rec *r)
{
	struct pbuf one;

	if ((r->type == BIFF_LABEL && r->len < 8) || (r->type == BIFF_SERIESTEXT && r->len < 3))
		return;
	pbuf_init(&one, 1 << 16);
	if (r->type == BIFF_LABEL)
		biff_string_at(&b->t, r->p, r->len, 6, 2, &one);
	else
		biff_string_at(&b->t, r->p, r->len, 2, 1, &one);
	pbuf_squeeze(&one);
	/* duplicates are looked for in the first few KiB only */
	if (one.n && !(sr->chart.n && sr->chart.n < 4096 &&
		       memmem(sr->chart.p, sr->chart.n, one.p, one.n))) {
		if (sr->chart.n)
			pbuf_add(&sr->chart, "; ", 2);
		pbuf_add(&sr->chart, one.p, one.n);
	}
	pbuf_free(&one);
}

/* A chart's strings so far become one text block of the sheet. */
static void chart_end(struct sheetrd *sr)
{
	if (sr->chart.n) {
		pbuf_add(&sr->boxes, sr->chart.p, sr->chart.n);
		pbuf_add(&sr->boxes, "", 1);
		pbuf_reset(&sr->chart);
	}
}

/* Read the sheet substream at pos (a BOF) up to its EOF; of the chart
 * substreams inside it, and of a chart sheet, only the strings are kept. */
static void read_sheet(struct book *b, struct sheetrd *sr, size_t pos)
{
	struct biff_rec r;
	int depth = 0, chart_sheet = 0;

	sr->pending = -1;
	while (!b->lg->err && biff_at(b->s, b->n, pos, &r) == 0) {
		pos = r.next;
		if (r.type != BIFF_NOTE && sr->in_note) {
			pbuf_add(&sr->boxes, "", 1);
			sr->in_note = 0;
		}
		if (bof_type(r.type)) {
			/* BOF dt 0x0020: the substream is a chart */
			if (depth++ == 0 && r.len >= 4 && pc_le16(r.p + 2) == 0x0020)
				chart_sheet = 1;
			continue;
		}
		if (r.type == BIFF_EOF) {
			if (--depth <= 0) {
				chart_end(sr);
				return;
			}
			if (depth == 1)
				chart_end(sr);
			continue;
		}
		if (depth > 1 || chart_sheet) {
			if (r.type == BIFF_LABEL || r.type == BIFF_SERIESTEXT)
				chart_string(b, sr, &r);
			continue;
		}
		if (r.type == BIFF_STRING || (r.type == BIFF2_STRING && b->biff == 2)) {
			string_rec(b, sr, &r);
			continue;
		}
		if (r.type == BIFF_HEADER)
			header_footer(b, &r, &sr->hdr);
		else if (r.type == BIFF_FOOTER)
			header_footer(b, &r, &sr->ftr);
		else if (r.type == BIFF_TXO)
			txo(b, sr, &r);
		else if (r.type == BIFF_NOTE)
			note(b, sr, &r);
		else if (r.type != BIFF_CONTINUE && r.type != 0x04bc && r.type != 0x0221 &&
			 r.type != 0x0236)   /* SHRFMLA, ARRAY, TABLE come before STRING */
			sr->pending = -1;
		cell_record(b, sr, &r);
	}
}

static void sheet(struct book *b, const char *name, size_t nlen, size_t pos)
{
	struct lg *lg = b->lg;
	size_t cap = lg->host->limits->max_text_bytes;
	struct sheetrd sr = { 0 };

	cap = cap && cap < SIZE_MAX / 4 ? cap + (1u << 20) : SIZE_MAX / 4;
	pbuf_init(&sr.text, cap);
	pbuf_init(&sr.hdr, 1 << 20);
	pbuf_init(&sr.ftr, 1 << 20);
	pbuf_init(&sr.boxes, cap);
	pbuf_init(&sr.chart, 1 << 16);
	/* a workbook inside another document adds no pages of its own */
	if (lg->depth == 0 && lg_page(lg))
		return;
	if (nlen && lg->depth == 0)
		lg_heading(lg, 1, name, nlen);
	read_sheet(b, &sr, pos);
	pieces(lg, &sr.hdr);
	emit_rows(lg, &sr);
	pieces(lg, &sr.boxes);
	pieces(lg, &sr.ftr);
	if (sr.text.full || sr.boxes.full)
		lg_fail(lg, QUIRE_TOO_LARGE);
	free(sr.cells);
	pbuf_free(&sr.text);
	pbuf_free(&sr.hdr);
	pbuf_free(&sr.ftr);
	pbuf_free(&sr.boxes);
	pbuf_free(&sr.chart);
}

static int is_bof(const struct book *b, size_t pos)
{
	struct biff_rec r;

	return biff_at(b->s, b->n, pos, &r) == 0 && bof_type(r.type);
}

/* The offset past the EOF that closes the substream whose BOF is at pos. */
static size_t substream_end(const struct book *b, size_t pos)
{
	struct biff_rec r;

	for (int depth = 0; biff_at(b->s, b->n, pos, &r) == 0;) {
		pos = r.next;
		depth += bof_type(r.type) != 0;
		if (r.type == BIFF_EOF && --depth <= 0)
			break;
	}
	return pos;
}

static int lies(const struct book *b, size_t after_globals, size_t pos)
{
	return pos < after_globals || !is_bof(b, pos);
}

/* Sheets whose BOUNDSHEET offset is no BOF past the globals (0 from some
 * writers, or a lie) are taken to be the substream in their place in the
 * list, the substreams following the globals in the order of the list. */
static void place_sheets(struct book *b, size_t after_globals)
{
	size_t *at, n = 0, pos = after_globals, i = 0;
	struct biff_rec r;

	while (i < b->nsheets && !lies(b, after_globals, b->sheets[i].pos))
		i++;
	if (i == b->nsheets || !(at = malloc(b->nsheets * sizeof *at)))
		return;
	while (n < b->nsheets && biff_at(b->s, b->n, pos, &r) == 0) {
		if (!bof_type(r.type)) {
			pos = r.next;
			continue;
		}
		at[n++] = pos;
		pos = substream_end(b, pos);
	}
	for (i = 0; i < b->nsheets && i < n; i++)
		if (lies(b, after_globals, b->sheets[i].pos))
			b->sheets[i].pos = at[i];
	free(at);
}

static void sheets(struct book *b, size_t after_globals)
{
	char name[32];
	struct biff_rec r;
	size_t pos = after_globals;
	unsigned k = 0;
	size_t listed = 0;

	for (size_t i = 0; i < b->nsheets; i++)
		listed += b->sheets[i].type != 6;   /* VB modules are no pages */
	if (lg_over_cap(b->lg, listed, "sheets"))
		return;
	place_sheets(b, after_globals);
	for (size_t i = 0; i < b->nsheets && !b->lg->err; i++) {
		const struct sheet *sh = &b->sheets[i];
		size_t j = 0;

		while (j < i && b->sheets[j].pos != sh->pos)
			j++;
		if (sh->type == 6 || j < i || lies(b, after_globals, sh->pos))
			continue;   /* a VB module, a sheet listed twice, an offset that lies */
		/* no name read at all leaves names.p NULL: no offset from it */
		sheet(b, sh->nlen ? b->names.p + sh->name : "", sh->nlen, sh->pos);
		k++;
	}
	if (k || b->lg->err)
		return;
	/* no usable BOUNDSHEET: the substreams one after the other */
	while (!b->lg->err && biff_at(b->s, b->n, pos, &r) == 0) {
		if (r.type != BIFF_BOF) {
			pos = r.next;
			continue;
		}
		snprintf(name, sizeof name, "Sheet%u", ++k);
		sheet(b, name, strlen(name), pos);
		pos = substream_end(b, pos);   /* past this substream's EOF */
	}
}

static void book_free(struct book *b)
{
	biff_text_close(&b->t);
	pbuf_free(&b->sst);
	pbuf_free(&b->fmts);
	pbuf_free(&b->names);
	free(b->sst_off);
	free(b->xf);
	free(b->fmt);
	free(b->fmt_by_id);
	free(b->sheets);
}

/* A workbook stream in memory: its sheets to the sink. */
static enum quire_result workbook(struct lg *lg, const unsigned char *s, size_t n, int decrypted)
{
	struct book b = { .lg = lg, .s = s, .n = n, .decrypted = decrypted };
	struct biff_rec r;
	size_t after;

	b.t.cd = (iconv_t)-1;
	if (biff_at(s, n, 0, &r) != 0 || !bof_type(r.type) || r.len < 4) {
		lg->host->log(QUIRE_LOG_INFO, "legacy: the workbook does not start with BOF");
		return lg_fail(lg, QUIRE_CORRUPT), lg->err;
	}
	b.t.biff8 = r.type == BIFF_BOF && pc_le16(r.p) >= 0x0600;   /* MS Graph: 0x0680 */
	b.biff = b.t.biff8 ? 8 : bof_type(r.type);
	pbuf_init(&b.sst, n * 2 + 16);
	pbuf_init(&b.fmts, 1 << 20);
	pbuf_init(&b.names, 1 << 20);
	after = globals(&b);
	if (b.nfmt && (b.fmt_by_id = calloc(65536, sizeof *b.fmt_by_id)) != NULL)
		for (size_t i = 0; i < b.nfmt; i++)   /* the last FORMAT of an id wins */
			if (b.fmt[i].id < 65536)
				b.fmt_by_id[b.fmt[i].id] = (uint32_t)i + 1;
	/* BIFF2-4 worksheets: the globals were the sheet's own head, no sheet
	 * list (a BIFF4 workbook, BOF type 0x0100, has its sheets after); a
	 * BIFF5/8 stream that opens with a worksheet or chart substream (an
	 * embedded chart object's) has no globals: that substream is the
	 * whole book */
	if (!lg->err && ((b.biff <= 4 && pc_le16(r.p + 2) != 0x0100) ||
			 (b.biff >= 5 && (pc_le16(r.p + 2) == 0x0010 || pc_le16(r.p + 2) == 0x0020))))
		sheet(&b, "", 0, 0);
	else if (!lg->err)
		sheets(&b, after);
	book_free(&b);
	return lg->err;
}

int lg_xls_bare_sniff(const unsigned char *s, size_t n)
{
	unsigned type, len, dt;

	if (n < 8)
		return 0;
	type = pc_le16(s);
	len = pc_le16(s + 2);
	dt = pc_le16(s + 6);
	/* a BOF of its own size, of a worksheet, chart, macro sheet or BIFF4
	 * workbook (BIFF5/8 streams with no container: globals too) */
	if (!bof_type(type) || len < 4 || len > 20 || (type == BIFF2_BOF && len != 4))
		return 0;
	return dt == 0x0010 || dt == 0x0020 || dt == 0x0040 || dt == 0x0100 ||
	       (type == BIFF_BOF && dt == 0x0005);
}

enum quire_result lg_xls_bare(struct lg *lg, const unsigned char *s, size_t n)
{
	return workbook(lg, s, n, 0);
}

enum quire_result lg_xls(struct lg *lg, GsfInfile *dir)
{
	struct lg_bytes w;
	enum quire_result r;
	int dec, got = lg_stream(lg, dir, "Workbook", &w);

	if (got == 1)
		got = lg_stream(lg, dir, "Book", &w);
	if (got != 0)
		return got < 0 ? lg->err : QUIRE_UNSUPPORTED;
	r = lg_xls_decrypt(lg, w.p, w.n, &dec);   /* xlscrypt.c */
	if (r != QUIRE_OK) {
		lg->host->log(QUIRE_LOG_INFO, "legacy: the workbook is encrypted");
		lg_bytes_free(&w);
		return lg_fail(lg, r), lg->err;
	}
	r = workbook(lg, w.p, w.n, dec);
	lg_bytes_free(&w);
	return r;
}
