/* xlsb.c: the Excel binary workbook (XLSB, [MS-XLSB]): the package of an
 * XLSX whose parts are BIFF12 records. Sheet names and order from
 * workbook.bin, the shared strings, the number formats of styles.bin, and
 * each worksheet's cells, shown as XLSX shows them (a page per sheet headed
 * by its name, rows as table rows). Comments and drawings are not read. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ooxml.h"
#include "embed.h"
#include "rels.h"
#include "xml.h"
#include "xlsb.h"
#include "../common/bytes.h"
#include "../common/numfmt.h"
#include "../common/utf8.h"

#define XB_MAX_COLS 1024
#define XB_MAX_SHEETS 4096
#define XB_MAX_XF 65536
#define XB_MAX_FMT 4096

/* Record types ([MS-XLSB] 2.3.2). */
enum {
	BRT_ROW_HDR = 0, BRT_CELL_RK = 2, BRT_CELL_ERROR = 3, BRT_CELL_BOOL = 4, BRT_CELL_REAL = 5,
	BRT_CELL_ST = 6, BRT_CELL_ISST = 7, BRT_FMLA_STRING = 8, BRT_FMLA_NUM = 9,
	BRT_FMLA_BOOL = 10, BRT_FMLA_ERROR = 11, BRT_SST_ITEM = 19, BRT_FMT = 44, BRT_XF = 47,
	BRT_CELL_RSTRING = 62, BRT_END_SHEET_DATA = 146, BRT_WB_PROP = 153, BRT_BUNDLE_SH = 156,
	BRT_BEGIN_CELL_XFS = 617, BRT_END_CELL_XFS = 618,
};

struct rec {
	unsigned type;
	const unsigned char *p;
	size_t n;
};

struct xbook {
	struct pbuf sst;          /* shared strings, NUL-separated */
	size_t *sst_off, nsst, sst_cap;
	uint16_t xf_fmt[XB_MAX_XF];
	size_t nxf;
	uint16_t fmt_id[XB_MAX_FMT];
	char *fmt_code[XB_MAX_FMT];
	size_t nfmt;
	int date1904;
};

/* The record at *off: a type of one or two bytes and a size of one to four,
 * seven bits each. 1 with r set; 0 at the end or at a broken header. */
static int next_rec(const unsigned char *b, size_t len, size_t *off, struct rec *r)
{
	unsigned type = 0, size = 0;
	size_t o = *off;

	for (int i = 0;; i++) {
		if (o >= len || i == 2)
			return 0;
		type |= (unsigned)(b[o] & 0x7f) << (7 * i);
		if (!(b[o++] & 0x80))
			break;
	}
	for (int i = 0;; i++) {
		if (o >= len || i == 4)
			return 0;
		size |= (unsigned)(b[o] & 0x7f) << (7 * i);
		if (!(b[o++] & 0x80))
			break;
	}
	if (size > len - o)
		return 0;
	r->type = type;
	r->p = b + o;
	r->n = size;
	*off = o + size;
	return 1;
}

/* An XLWideString at p (n bytes there): a 32-bit count of UTF-16 units,
 * then the units. Appended to out as UTF-8 when out is not NULL. Returns
 * the bytes it takes, 4 for a null string (0xFFFFFFFF), 0 when it does
 * not fit. */
static size_t wide(struct ox *ox, const unsigned char *p, size_t n, struct pbuf *out)
{
	uint32_t cch;

	if (n < 4)
		return 0;
	cch = pc_le32(p);
	if (cch == 0xFFFFFFFFu)
		return 4;
	if (cch > (n - 4) / 2)
		return 0;
	for (uint32_t i = 0; out && i < cch && !ox->err; i++) {
		uint32_t u = pc_le16(p + 4 + 2 * i);
		unsigned char s[4];

		if (u >= 0xd800 && u <= 0xdbff && i + 1 < cch) {
			uint32_t lo = pc_le16(p + 6 + 2 * i);

			if (lo >= 0xdc00 && lo <= 0xdfff) {
				u = 0x10000 + ((u - 0xd800) << 10) + (lo - 0xdc00);
				i++;
			}
		}
		ox_buf_add(ox, out, (const char *)s, pc_utf8_put(u, s));
	}
	return 4 + 2 * (size_t)cch;
}

static void load_sst(struct ox *ox, struct xbook *b, const unsigned char *buf, size_t len)
{
	struct rec r;
	size_t off = 0;

	while (!ox->err && next_rec(buf, len, &off, &r)) {
		if (r.type != BRT_SST_ITEM || r.n < 1)
			continue;
		if (b->nsst == b->sst_cap) {
			size_t cap = b->sst_cap ? b->sst_cap * 2 : 256;
			size_t *o = realloc(b->sst_off, cap * sizeof *o);

			if (!o) {
				ox->err = QUIRE_ERROR;
				return;
			}
			b->sst_off = o;
			b->sst_cap = cap;
		}
		b->sst_off[b->nsst++] = b->sst.n;
		wide(ox, r.p + 1, r.n - 1, &b->sst);   /* after the RichStr flags */
		ox_buf_add(ox, &b->sst, "", 1);
	}
}

static void load_styles(struct ox *ox, struct xbook *b, const unsigned char *buf, size_t len)
{
	struct rec r;
	size_t off = 0;
	int in_xfs = 0;

	while (!ox->err && next_rec(buf, len, &off, &r)) {
		if (r.type == BRT_FMT && r.n >= 2 && b->nfmt < XB_MAX_FMT) {
			struct pbuf code = { 0 };

			if (wide(ox, r.p + 2, r.n - 2, &code) && code.n &&
			    ox_buf_add(ox, &code, "", 1) == 0) {
				b->fmt_id[b->nfmt] = pc_le16(r.p);
				b->fmt_code[b->nfmt++] = code.p;
			} else
				pbuf_free(&code);
		} else if (r.type == BRT_BEGIN_CELL_XFS)
			in_xfs = 1;
		else if (r.type == BRT_END_CELL_XFS)
			in_xfs = 0;
		else if (in_xfs && r.type == BRT_XF && r.n >= 4 && b->nxf < XB_MAX_XF)
			b->xf_fmt[b->nxf++] = pc_le16(r.p + 2);
	}
}

/* An RkNumber ([MS-XLSB] 2.5.122): 30 bits of an integer or of a
 * double's high word, perhaps a hundredth. */
static double rk(uint32_t v)
{
	double d;

	if (v & 2)
		d = (double)((int32_t)v >> 2);
	else {
		uint64_t bits = (uint64_t)(v & 0xfffffffcu) << 32;

		memcpy(&d, &bits, sizeof d);
	}
	return v & 1 ? d / 100 : d;
}

static void number(struct ox *ox, struct xbook *b, uint32_t xf, double v, struct pbuf *out)
{
	unsigned id = xf < b->nxf ? b->xf_fmt[xf] : 0;
	const char *code = NULL;
	struct pbuf nb;

	for (size_t i = 0; i < b->nfmt; i++)
		if (b->fmt_id[i] == id)
			code = b->fmt_code[i];
	pbuf_init(&nb, 512);
	pc_numfmt(v, code ? code : pc_builtin_fmt(id), b->date1904, &nb);
	while (nb.n && nb.p[nb.n - 1] == ' ')
		nb.n--;
	ox_buf_add(ox, out, nb.p ? nb.p : "", nb.n);
	pbuf_free(&nb);
}

static const char *error_text(unsigned e)
{
	switch (e) {
	case 0x00: return "#NULL!";
	case 0x07: return "#DIV/0!";
	case 0x0F: return "#VALUE!";
	case 0x17: return "#REF!";
	case 0x1D: return "#NAME?";
	case 0x24: return "#NUM!";
	case 0x2A: return "#N/A";
	default: return "#ERROR";
	}
}

/* One cell record (past its 8-byte Cell: column, style) into out. */
static void cell(struct ox *ox, struct xbook *b, const struct rec *r, struct pbuf *out)
{
	const unsigned char *p = r->p + 8;
	size_t n = r->n - 8;
	uint32_t xf = pc_le32(r->p + 4) & 0xffffff;

	switch (r->type) {
	case BRT_CELL_RK:
		if (n >= 4)
			number(ox, b, xf, rk(pc_le32(p)), out);
		break;
	case BRT_CELL_REAL:
	case BRT_FMLA_NUM:
		if (n >= 8) {
			double d;
			uint64_t bits = (uint64_t)pc_le32(p) | (uint64_t)pc_le32(p + 4) << 32;

			memcpy(&d, &bits, sizeof d);
			number(ox, b, xf, d, out);
		}
		break;
	case BRT_CELL_BOOL:
	case BRT_FMLA_BOOL:
		if (n >= 1)
			ox_buf_add(ox, out, p[0] ? "TRUE" : "FALSE", p[0] ? 4 : 5);
		break;
	case BRT_CELL_ERROR:
	case BRT_FMLA_ERROR:
		if (n >= 1)
			ox_buf_add(ox, out, error_text(p[0]), strlen(error_text(p[0])));
		break;
	case BRT_CELL_ST:
	case BRT_FMLA_STRING:
		wide(ox, p, n, out);
		break;
	case BRT_CELL_RSTRING:
		if (n >= 1)
			wide(ox, p + 1, n - 1, out);
		break;
	case BRT_CELL_ISST:
		if (n >= 4 && pc_le32(p) < b->nsst) {
			const char *s = b->sst.p + b->sst_off[pc_le32(p)];

			ox_buf_add(ox, out, s, strlen(s));
		}
		break;
	}
}

static void emit_row(struct ox *ox, struct pbuf *cells, size_t n, int *rows)
{
	while (n && cells[n - 1].n == 0)
		n--;
	if (n)
		ox_row(ox, cells, n, (*rows)++ == 0);
}

static void sheet(struct ox *ox, struct xbook *b, const char *part)
{
	size_t len = 0, off = 0, ncells = 0;
	unsigned char *buf = ox_slurp(ox, part, &len);
	struct pbuf *cells = calloc(XB_MAX_COLS, sizeof *cells);
	struct rec r;
	int rows = 0;

	if (!cells)
		ox->err = QUIRE_ERROR;
	while (buf && cells && !ox->err && next_rec(buf, len, &off, &r)) {
		if (r.type == BRT_ROW_HDR || r.type == BRT_END_SHEET_DATA) {
			emit_row(ox, cells, ncells, &rows);
			for (size_t i = 0; i < ncells; i++)
				cells[i].n = 0;
			ncells = 0;
		} else if (((r.type >= BRT_CELL_RK && r.type <= BRT_FMLA_ERROR) ||
			    r.type == BRT_CELL_RSTRING) && r.n >= 8) {
			uint32_t col = pc_le32(r.p);

			if (col >= XB_MAX_COLS)
				continue;
			cells[col].n = 0;
			cell(ox, b, &r, &cells[col]);
			if (col + 1 > ncells)
				ncells = col + 1;
		}
	}
	if (cells && ncells && !ox->err)
		emit_row(ox, cells, ncells, &rows);
	for (size_t i = 0; cells && i < XB_MAX_COLS; i++)
		pbuf_free(&cells[i]);
	free(cells);
	free(buf);
}

/* The part a relationship of type names, read whole through fn. */
static void load_part(struct ox *ox, struct xbook *b, const struct ox_rels *rels, const char *type,
		      void (*fn)(struct ox *, struct xbook *, const unsigned char *, size_t))
{
	const struct ox_rel *rel = ox_rels_type(rels, type, 0);
	size_t len = 0;
	unsigned char *buf = rel ? ox_slurp(ox, rel->target, &len) : NULL;

	if (buf)
		fn(ox, b, buf, len);
	free(buf);
}

/* workbook.bin: the date system, then each sheet in order. */
static void sheets(struct ox *ox, struct xbook *b, const struct ox_rels *rels,
		   const unsigned char *buf, size_t len)
{
	const unsigned max_pages = ox->host->limits->max_pages;
	struct rec r;
	size_t off = 0;
	unsigned nsheets = 0;

	while (!ox->err && next_rec(buf, len, &off, &r)) {
		struct pbuf id = { 0 }, name = { 0 };
		const struct ox_rel *rel;
		size_t k;

		if (r.type == BRT_WB_PROP && r.n >= 4)
			b->date1904 = pc_le32(r.p) & 1;
		if (r.type != BRT_BUNDLE_SH || r.n < 8 || nsheets++ >= XB_MAX_SHEETS)
			continue;
		k = wide(ox, r.p + 8, r.n - 8, &id);
		if (k && wide(ox, r.p + 8 + k, r.n - 8 - k, &name) && ox_buf_add(ox, &id, "", 1) == 0 &&
		    (rel = ox_rels_id(rels, id.p)) && strcmp(rel->type, "worksheet") == 0) {
			if (max_pages && ox->page >= max_pages)
				ox->err = QUIRE_TOO_LARGE;
			else if (!ox_page(ox)) {
				if (name.n)
					ox_emit(ox, OX_HEADING, 1, name.p, name.n);
				sheet(ox, b, rel->target);
			}
		}
		pbuf_free(&id);
		pbuf_free(&name);
	}
}

void ox_xlsb(struct ox *ox, const char *main_part)
{
	struct xbook *b = calloc(1, sizeof *b);
	struct ox_rels rels;
	unsigned char *buf;
	size_t len = 0;

	if (!b) {
		ox->err = QUIRE_ERROR;
		return;
	}
	ox_rels_load(ox, main_part, &rels);
	if (!ox_over_page_cap(ox, &rels, "worksheet")) {
		load_part(ox, b, &rels, "sharedStrings", load_sst);
		load_part(ox, b, &rels, "styles", load_styles);
		buf = ox->err ? NULL : ox_slurp(ox, main_part, &len);
		if (buf)
			sheets(ox, b, &rels, buf, len);
		else if (!ox->err)
			ox->err = QUIRE_CORRUPT;
		free(buf);
	}
	ox_rels_free(&rels);
	pbuf_free(&b->sst);
	free(b->sst_off);
	for (size_t i = 0; i < b->nfmt; i++)
		free(b->fmt_code[i]);
	free(b);
}
