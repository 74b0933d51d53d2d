/* xlsx.c: SpreadsheetML: every sheet (and chart sheet) in workbook order as
 * a page headed by its name, rows as table rows (the first as header) with
 * numbers shown through their number format, then print headers/footers,
 * drawings (shapes, text boxes, charts, SmartArt), comments and threaded
 * comments with their replies. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ooxml.h"
#include "xml.h"
#include "xlsx.h"
#include "rels.h"
#include "objects.h"
#include "embed.h"
#include "../common/numfmt.h"
#include "../common/utf8.h"

#define OX_MAX_XF 65536
#define OX_MAX_FMT 4096
#define OX_MAX_COLS 1024   /* columns padded from cell references */

struct book {
	struct pbuf sst;       /* shared strings, NUL-separated */
	size_t *sst_off, nsst;
	int xf_fmt[OX_MAX_XF];   /* cellXfs index -> numFmtId */
	size_t nxf;
	int fmt_id[OX_MAX_FMT];
	char *fmt_code[OX_MAX_FMT];
	size_t nfmt;
	int date1904;            /* workbookPr date1904: serial 0 is 1904-01-01 */
};

static void load_sst(struct ox *ox, struct book *b, const char *part)
{
	struct ox_entry e;
	xmlTextReaderPtr r = ox_xml_open(ox, part, &e);
	int in_t = 0, in_rph = 0;
	size_t cap = 0;

	while (r && ox_xml_next(ox, r, 0)) {
		int type = xmlTextReaderNodeType(r);

		if (ox_is(r, XML_READER_TYPE_ELEMENT, "si")) {
			if (b->nsst == cap) {
				size_t *o = realloc(b->sst_off, (cap = cap ? cap * 2 : 256) * sizeof *o);

				if (!o) {
					ox->err = QUIRE_ERROR;
					break;
				}
				b->sst_off = o;
			}
			b->sst_off[b->nsst++] = b->sst.n;
		} else if (ox_is(r, XML_READER_TYPE_END_ELEMENT, "si"))
			ox_buf_add(ox, &b->sst, "", 1);
		else if (ox_is(r, XML_READER_TYPE_ELEMENT, "rPh"))
			/* Phonetic guides repeat the text in kana. */
			in_rph = !xmlTextReaderIsEmptyElement(r);
		else if (ox_is(r, XML_READER_TYPE_END_ELEMENT, "rPh"))
			in_rph = 0;
		else if (ox_is(r, XML_READER_TYPE_ELEMENT, "t"))
			in_t = !xmlTextReaderIsEmptyElement(r);
		else if (ox_is(r, XML_READER_TYPE_END_ELEMENT, "t"))
			in_t = 0;
		else if (in_t && !in_rph && b->nsst && (type == XML_READER_TYPE_TEXT ||
					     type == XML_READER_TYPE_SIGNIFICANT_WHITESPACE ||
					     type == XML_READER_TYPE_WHITESPACE)) {
			const char *v = (const char *)xmlTextReaderConstValue(r);

			ox_buf_add(ox, &b->sst, v, strlen(v));
		}
	}
	ox_xml_close(r, &e);
}

static void load_styles(struct ox *ox, struct book *b, const char *part)
{
	struct ox_entry e;
	xmlTextReaderPtr r = ox_xml_open(ox, part, &e);
	int in_xfs = 0;

	while (r && ox_xml_next(ox, r, 0)) {
		if (ox_is(r, XML_READER_TYPE_ELEMENT, "numFmt") && b->nfmt < OX_MAX_FMT) {
			char *id = ox_attr(r, "numFmtId"), *code = ox_attr(r, "formatCode");

			if (id && code) {
				b->fmt_id[b->nfmt] = atoi(id);
				b->fmt_code[b->nfmt++] = strdup(code);
			}
			xmlFree(id);
			xmlFree(code);
		} else if (ox_is(r, XML_READER_TYPE_ELEMENT, "cellXfs"))
			in_xfs = !xmlTextReaderIsEmptyElement(r);
		else if (ox_is(r, XML_READER_TYPE_END_ELEMENT, "cellXfs"))
			in_xfs = 0;
		else if (in_xfs && ox_is(r, XML_READER_TYPE_ELEMENT, "xf") && b->nxf < OX_MAX_XF) {
			char *id = ox_attr(r, "numFmtId");

			b->xf_fmt[b->nxf++] = id ? atoi(id) : 0;
			xmlFree(id);
		}
	}
	ox_xml_close(r, &e);
}

/* Column index (0-based) of a reference such as "AB12"; -1 if none. */
static long ref_col(const char *ref)
{
	long c = 0;
	int any = 0;

	for (; ref && *ref >= 'A' && *ref <= 'Z' && c < 100000; ref++, any = 1)
		c = c * 26 + (*ref - 'A' + 1);
	return any ? c - 1 : -1;
}

struct cellst {
	char *t;         /* the cell's type attribute */
	int s;           /* its style index */
	struct pbuf v; /* raw value or inline text */
};

/* An ISO 8601 date cell (t="d": "2012-02-29T12:00:00") as the serial of
 * the 1900 date system; -1 when it is not one. */
static double iso_serial(const char *s)
{
	int y, m, d, hh = 0, mm = 0, n = 0;
	double ss = 0;
	long days;

	if (sscanf(s, "%4d-%2d-%2d%n", &y, &m, &d, &n) != 3 || m < 1 || m > 12 || d < 1 || d > 31)
		return -1;
	if (s[n] == 'T')
		sscanf(s + n + 1, "%2d:%2d:%lf", &hh, &mm, &ss);
	/* Days from 1970-01-01 (civil), then Excel's offset of 25569. */
	y -= m <= 2;
	days = 365L * y + y / 4 - y / 100 + y / 400 + (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1 -
	       719468;
	return (double)(days + 25569) + (hh * 3600 + mm * 60 + ss) / 86400.0;
}

/* A number cell as Excel shows it (the engine XLS uses too), without the
 * trailing spaces of "_)" paddings. */
static void shown(struct ox *ox, struct pbuf *out, double v, const char *fmt, int date1904)
{
	struct pbuf nb;

	pbuf_init(&nb, 512);
	pc_numfmt(v, fmt, date1904, &nb);
	while (nb.n && nb.p[nb.n - 1] == ' ')
		nb.n--;
	if (nb.n)
		ox_buf_add(ox, out, nb.p, nb.n);
	pbuf_free(&nb);
}

/* The code unit of "_xHHHH_" at s (7 bytes there); -1 when it is not one. */
static long xescape(const char *s)
{
	long v = 0;

	if (s[0] != '_' || s[1] != 'x' || s[6] != '_')
		return -1;
	for (int i = 2; i < 6; i++) {
		char c = s[i];
		int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 :
			c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;

		if (d < 0)
			return -1;
		v = v * 16 + d;
	}
	return v;
}

/* Text of an ST_Xstring (ECMA-376 Part 1, 22.9.2.19), as cells and shared
 * strings hold it: what XML cannot carry is written "_xHHHH_" ("_x000D_"
 * for a carriage return, as exports from databases are full of; "_x005F_"
 * for an underscore that would start one). Decoded into out: a carriage
 * return dropped, other controls but tab and newline as spaces, surrogate
 * pairs joined. */
static void add_xstring(struct ox *ox, struct pbuf *out, const char *s, size_t n)
{
	size_t i = 0, from = 0;

	while (i + 7 <= n) {
		long cp = xescape(s + i), lo;
		unsigned char u[4];

		if (cp < 0) {
			i++;
			continue;
		}
		ox_buf_add(ox, out, s + from, i - from);
		i += 7;
		if (cp >= 0xd800 && cp <= 0xdbff && i + 7 <= n && (lo = xescape(s + i)) >= 0xdc00 &&
		    lo <= 0xdfff) {
			cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
			i += 7;
		}
		if (cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r')
			ox_buf_add(ox, out, " ", 1);
		else if (cp != '\r')
			ox_buf_add(ox, out, (const char *)u, pc_utf8_put((uint32_t)cp, u));
		from = i;
	}
	ox_buf_add(ox, out, s + from, n - from);
}

static void cell_text(struct book *b, struct cellst *c, struct ox *ox, struct pbuf *out)
{
	const char *t = c->t ? c->t : "n";

	ox_buf_trim(&c->v);
	if (!c->v.n)
		return;
	if (strcmp(t, "s") == 0) {
		long i = strtol(c->v.p, NULL, 10);

		if (i >= 0 && (size_t)i < b->nsst)
			add_xstring(ox, out, b->sst.p + b->sst_off[i], strlen(b->sst.p + b->sst_off[i]));
	} else if (strcmp(t, "b") == 0)
		ox_buf_add(ox, out, c->v.p[0] == '1' ? "TRUE" : "FALSE", c->v.p[0] == '1' ? 4 : 5);
	else if (strcmp(t, "n") == 0 || (strcmp(t, "d") == 0 && iso_serial(c->v.p) >= 0)) {
		char *end;
		double d = t[0] == 'd' ? iso_serial(c->v.p) : strtod(c->v.p, &end);
		int id = c->s >= 0 && (size_t)c->s < b->nxf ? b->xf_fmt[c->s] : 0;
		const char *code = NULL;

		for (size_t i = 0; i < b->nfmt; i++)
			if (b->fmt_id[i] == id)
				code = b->fmt_code[i];
		if (t[0] == 'd')
			end = (char *)"";
		if (*end)
			ox_buf_add(ox, out, c->v.p, c->v.n);
		else {
			/* a 'd' cell's ISO date is a serial of the 1900 system */
			shown(ox, out, d, code ? code : pc_builtin_fmt((unsigned)id),
			      t[0] != 'd' && b->date1904);
		}
	} else
		add_xstring(ox, out, c->v.p, c->v.n);  /* str, inlineStr, e, d */
}

/* "&L&\"Arial,Bold\"Header - Corporate&CPage &P" -> its plain parts. */
static void header_footer(struct ox *ox, const char *s)
{
	struct pbuf out = { 0 };

	for (; *s && !ox->err; s++) {
		if (*s != '&') {
			ox_buf_add(ox, &out, s, 1);
			continue;
		}
		s++;
		if (!*s)
			break;
		if (*s == '&')
			ox_buf_add(ox, &out, "&", 1);
		else if (*s == '"') {
			while (s[1] && s[1] != '"')
				s++;
			if (s[1])
				s++;
		} else if (*s == 'K') {
			for (int i = 0; i < 6 && s[1]; i++)
				s++;
		} else if (*s >= '0' && *s <= '9') {
			while (s[1] >= '0' && s[1] <= '9')
				s++;
		} else if (*s == 'L' || *s == 'C' || *s == 'R') {
			if (ox_buf_trim(&out))
				ox_emit(ox, OX_PARA, 0, out.p, out.n);
			out.n = 0;
		}
		/* &P &N &D &T &F &A &B &I &U &S &X &Y: fields and styles, no text */
	}
	if (ox_buf_trim(&out))
		ox_emit(ox, OX_PARA, 0, out.p, out.n);
	pbuf_free(&out);
}

static void emit_row(struct ox *ox, struct pbuf *cells, size_t n, int *rows)
{
	size_t k = n;

	while (k && cells[k - 1].n == 0)
		k--;
	if (k)
		ox_row(ox, cells, k, (*rows)++ == 0);
}

static void sheet(struct ox *ox, struct book *b, const char *part)
{
	struct ox_entry e;
	xmlTextReaderPtr r = ox_xml_open(ox, part, &e);
	struct pbuf *cells = calloc(OX_MAX_COLS, sizeof *cells), hf = { 0 };
	struct cellst c = { 0 };
	size_t ncells = 0;
	int in_v = 0, in_c = 0, in_hf = 0, in_rph = 0, rows = 0;

	if (!cells)
		ox->err = QUIRE_ERROR;
	while (cells && r && ox_xml_next(ox, r, 0)) {
		int type = xmlTextReaderNodeType(r);
		const char *n = (const char *)xmlTextReaderConstLocalName(r);

		if (type == XML_READER_TYPE_ELEMENT) {
			int empty = xmlTextReaderIsEmptyElement(r);

			if (strcmp(n, "row") == 0) {
				for (size_t i = 0; i < OX_MAX_COLS; i++)
					cells[i].n = 0;
				ncells = 0;
				if (empty)
					continue;
			} else if (strcmp(n, "c") == 0) {
				char *ref = ox_attr(r, "r"), *s = ox_attr(r, "s");
				long col = ref_col(ref);

				if (col >= (long)ncells && col < OX_MAX_COLS)
					ncells = (size_t)col;
				xmlFree(ref);
				xmlFree(c.t);
				c.t = ox_attr(r, "t");
				c.s = s ? atoi(s) : 0;
				xmlFree(s);
				c.v.n = 0;
				in_c = !empty;
				if (empty && ncells < OX_MAX_COLS)
					ncells++;
			} else if (in_c && (strcmp(n, "v") == 0 || strcmp(n, "t") == 0))
				in_v = !empty;
			else if (strcmp(n, "f") == 0)
				in_v = 0;
			else if (strcmp(n, "rPh") == 0)  /* an inline string's phonetic guide */
				in_rph = !empty;
			else if (strstr(n, "Header") || strstr(n, "Footer"))
				in_hf = !empty;
		} else if (type == XML_READER_TYPE_END_ELEMENT) {
			if (strcmp(n, "c") == 0 && in_c) {
				in_c = 0;
				if (ncells < OX_MAX_COLS)
					cell_text(b, &c, ox, &cells[ncells++]);
			} else if (strcmp(n, "row") == 0)
				emit_row(ox, cells, ncells, &rows);
			else if (strcmp(n, "v") == 0 || strcmp(n, "t") == 0)
				in_v = 0;
			else if (strcmp(n, "rPh") == 0)
				in_rph = 0;
			else if (in_hf) {
				in_hf = 0;
				ox_buf_add(ox, &hf, "&L", 2);
			}
		} else if (type == XML_READER_TYPE_TEXT || type == XML_READER_TYPE_SIGNIFICANT_WHITESPACE) {
			const char *v = (const char *)xmlTextReaderConstValue(r);

			if (in_v && !in_rph)
				ox_buf_add(ox, &c.v, v, strlen(v));
			else if (in_hf)
				ox_buf_add(ox, &hf, v, strlen(v));
		}
	}
	if (hf.n && !ox->err)
		header_footer(ox, hf.p);
	ox_xml_close(r, &e);
	for (size_t i = 0; cells && i < OX_MAX_COLS; i++)
		pbuf_free(&cells[i]);
	free(cells);
	pbuf_free(&c.v);
	pbuf_free(&hf);
	xmlFree(c.t);
}

static void one_sheet(struct ox *ox, struct book *b, const struct ox_rel *rel, const char *name)
{
	struct ox_rels rels;
	const struct ox_rel *cm;

	if (ox_page(ox))
		return;
	if (name && *name)
		ox_emit(ox, OX_HEADING, 1, name, strlen(name));
	/* A chart sheet has no cells: only its drawing. */
	if (strcmp(rel->type, "worksheet") == 0)
		sheet(ox, b, rel->target);
	ox_rels_load(ox, rel->target, &rels);
	for (size_t i = 0; (cm = ox_rels_type(&rels, "drawing", i)) && !ox->err;
	     i = (size_t)(cm - rels.v) + 1)
		ox_drawing_part(ox, cm->target);
	for (size_t i = 0; (cm = ox_rels_type(&rels, "comments", i)) && !ox->err;
	     i = (size_t)(cm - rels.v) + 1)
		ox_comments_part(ox, cm->target);
	for (size_t i = 0; (cm = ox_rels_type(&rels, "threadedComment", i)) && !ox->err;
	     i = (size_t)(cm - rels.v) + 1)
		ox_comments_part(ox, cm->target);
	ox_embedded(ox, &rels);
	ox_rels_free(&rels);
}

void ox_xlsx(struct ox *ox, const char *main_part)
{
	const unsigned max_pages = ox->host->limits->max_pages;
	struct book *b = calloc(1, sizeof *b);
	struct ox_rels rels;
	const struct ox_rel *rel;
	struct ox_entry e;
	xmlTextReaderPtr r;
	int listed = 0;   /* workbook.xml lists its sheets */

	if (!b) {
		ox->err = QUIRE_ERROR;
		return;
	}
	ox_rels_load(ox, main_part, &rels);
	if (ox_over_page_cap(ox, &rels, "worksheet")) {
		ox_rels_free(&rels);
		free(b);
		return;
	}
	if ((rel = ox_rels_type(&rels, "sharedStrings", 0)))
		load_sst(ox, b, rel->target);
	if ((rel = ox_rels_type(&rels, "styles", 0)))
		load_styles(ox, b, rel->target);
	r = ox_xml_open(ox, main_part, &e);
	while (r && ox_xml_next(ox, r, 0)) {
		listed |= ox_is(r, XML_READER_TYPE_ELEMENT, "sheet");
		if (ox_is(r, XML_READER_TYPE_ELEMENT, "workbookPr")) {
			char *v = ox_attr(r, "date1904");

			b->date1904 = v && (strcmp(v, "1") == 0 || strcmp(v, "true") == 0);
			xmlFree(v);
		} else if (ox_is(r, XML_READER_TYPE_ELEMENT, "sheet")) {
			char *name = ox_attr(r, "name");
			char *id = ox_attr_rid(r);

			rel = ox_rels_id(&rels, id);
			if (rel && (strcmp(rel->type, "worksheet") == 0 ||
				    strcmp(rel->type, "chartsheet") == 0)) {
				if (max_pages && ox->page >= max_pages)
					ox->err = QUIRE_TOO_LARGE;
				else
					one_sheet(ox, b, rel, name);
			}
			xmlFree(name);
			xmlFree(id);
		}
	}
	ox_xml_close(r, &e);
	/* No sheet list (generators that write only the relationships): the
	 * worksheets in the order of their relationships, unnamed. */
	for (size_t i = 0; !listed && i < rels.n && !ox->err; i++) {
		if (strcmp(rels.v[i].type, "worksheet") != 0)
			continue;
		if (max_pages && ox->page >= max_pages)
			ox->err = QUIRE_TOO_LARGE;
		else
			one_sheet(ox, b, &rels.v[i], NULL);
	}
	ox_rels_free(&rels);
	pbuf_free(&b->sst);
	free(b->sst_off);
	for (size_t i = 0; i < b->nfmt; i++)
		free(b->fmt_code[i]);
	free(b);
}
