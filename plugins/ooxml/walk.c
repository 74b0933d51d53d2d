/* walk.c: one walker for the text of WordprocessingML (w:p, w:t, w:tbl)
 * and DrawingML (a:p, a:t, a:tbl): document bodies, headers, notes,
 * comments, slides, SmartArt data. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/parser.h>
#include <libxml/parserInternals.h>

#include "ooxml.h"
#include "altchunk.h"
#include "zipguard.h"
#include "xml.h"
#include "walk.h"
#include "numbering.h"
#include "../common/utf8.h"

/* One start tag as libxml2's SAX2 interface reports it. */
struct node {
	const char *name, *uri;
	int nb_ns, nb_attr;
	const xmlChar **ns, **attrs;
};

#define OX_MAX_NEST 16     /* paragraphs inside text boxes inside paragraphs */
#define OX_MAX_CELLS 1024  /* cells kept per table row; more join the last */

struct para {
	struct pbuf b;
	unsigned heading, list;
	int num, ilvl;       /* numPr; -1 when the paragraph does not say */
	int mark_del;        /* its paragraph mark is a tracked deletion */
	unsigned dlvl;       /* DrawingML a:pPr lvl */
	int auto_start;      /* a:buAutoNum startAt */
	char auto_type[24];  /* a:buAutoNum type, "" when not auto-numbered */
	char style[64];
};

struct walk {
	struct ox *ox;
	const struct ox_walk_opts *o;
	struct para p[OX_MAX_NEST];
	int np, in_t, overflow;
	int tbl, cell_open, row_no;
	int in_trpr, row_del;  /* in w:trPr; the row is a tracked deletion */
	struct pbuf cells[OX_MAX_CELLS];
	size_t ncells;
	int sp_title, sp_skip;
	xmlParserCtxtPtr ctxt;
	int skip_depth, pending_empty;
	int in_ppr, in_mark;  /* in w:pPr; in the paragraph mark's w:rPr */
	struct pbuf carry;  /* text of a paragraph whose mark is deleted */
	int in_rt;            /* in w:rt, the phonetic guide of a w:ruby */
	struct pbuf rt;
	char an_type[9][24];  /* DrawingML auto-numbering of this text body */
	int an_val[9];
	char qname[256];
};

/* Elements whose subtree holds nothing to read: tracked deletions, field
 * instructions (INCLUDEPICTURE "http://..." stays unread), the fallback
 * copy of alternate content, content-control properties, tab stops. */
static int skipped(const char *n)
{
	/* One switch on the first letter: p, r and t, the commonest
	 * elements, cost one or two compares. */
	switch (n[0]) {
	case 'd':
		return !strcmp(n, "del") || !strcmp(n, "delText") || !strcmp(n, "delInstrText");
	case 'i':
		return !strcmp(n, "instrText");
	case 'm':
		return !strcmp(n, "moveFrom");
	case 'F':
		return !strcmp(n, "Fallback");
	case 's':
		return !strcmp(n, "sdtPr") || !strcmp(n, "spPr") || !strcmp(n, "style") ||
		       !strcmp(n, "sectPrChange");
	case 't':
		return n[1] && (!strcmp(n, "tabs") || !strcmp(n, "tblPrChange") ||
				!strcmp(n, "tcPrChange") || !strcmp(n, "trPrChange") ||
				!strcmp(n, "tblGridChange"));
	case 'r':
		return n[1] == 'P' && !strcmp(n, "rPr");
	case 'b':
		return !strcmp(n, "bodyPr");
	case 'l':
		return !strcmp(n, "lstStyle");
	case 'e':
		return !strcmp(n, "extLst");
	case 'p':
		return n[1] == 'P' && !strcmp(n, "pPrChange");
	case 'n':
		return !strcmp(n, "numberingChange");
	default:
		return 0;
	}
}

static unsigned style_level(const struct walk *w, const char *id)
{
	const struct ox_walk_opts *o = w->o;

	for (size_t i = 0; i < o->nstyles; i++)
		if (strcmp(o->styles_id[i], id) == 0)
			return o->styles_level[i];
	if (strcmp(id, "Title") == 0)
		return 1;
	if (strncmp(id, "Heading", 7) == 0 && id[7] >= '1' && id[7] <= '6' && !id[8])
		return (unsigned)(id[7] - '0');
	return 0;
}

static struct pbuf *cell(struct walk *w)
{
	return &w->cells[w->ncells < OX_MAX_CELLS ? w->ncells : OX_MAX_CELLS - 1];
}

/* Put the paragraph's list label, as numbering.xml renders it, before
 * its text; an empty numbered paragraph still counts. */
static void para_label(struct walk *w, struct para *p)
{
	char label[160];
	size_t n = ox_num_label(w->o->num, p->style[0] ? p->style : NULL, p->num, p->ilvl, label,
				sizeof label);
	struct pbuf b = { 0 };

	if (!n)
		return;
	if (!p->heading && !p->list)
		p->list = p->ilvl >= 0 ? (unsigned)p->ilvl + 1 : 1;
	if (!ox_buf_trim(&p->b))
		return;
	if (ox_buf_add(w->ox, &b, label, n) == 0 && ox_buf_add(w->ox, &b, " ", 1) == 0 &&
	    ox_buf_add(w->ox, &b, p->b.p, p->b.n) == 0) {
		pbuf_free(&p->b);
		p->b = b;
	} else
		pbuf_free(&b);
}

/* DrawingML auto-numbering (a:buAutoNum): "arabicPeriod" 1., "alphaLcParenR"
 * a), "romanUcParenBoth" (I)...; a run of paragraphs at one level with the
 * same scheme counts up, a paragraph without it at that level or above
 * ends the run. */
static void auto_label(struct walk *w, struct para *p)
{
	static const char *const scheme[][2] = { { "arabic", "decimal" }, { "alphaLc", "lowerLetter" },
		{ "alphaUc", "upperLetter" }, { "romanLc", "lowerRoman" }, { "romanUc", "upperRoman" } };
	unsigned l = p->dlvl > 8 ? 8 : p->dlvl;
	const char *t = p->auto_type, *fmt = NULL, *suf;
	char num[32], label[48];
	struct pbuf b = { 0 };

	for (unsigned k = l + 1; k < 9; k++)
		w->an_type[k][0] = '\0';
	if (!t[0]) {
		w->an_type[l][0] = '\0';
		return;
	}
	if (strcmp(w->an_type[l], t) == 0)
		w->an_val[l]++;
	else {
		memcpy(w->an_type[l], t, sizeof w->an_type[l]);
		w->an_val[l] = p->auto_start;
	}
	for (size_t i = 0; i < sizeof scheme / sizeof scheme[0] && !fmt; i++)
		if (strncmp(t, scheme[i][0], strlen(scheme[i][0])) == 0)
			fmt = scheme[i][1];
	ox_num_format(w->an_val[l], fmt ? fmt : "decimal", num, sizeof num);
	suf = strstr(t, "ParenBoth") ? ")" : strstr(t, "ParenR") ? ")" : strstr(t, "Period") ? "." :
	      strstr(t, "Minus") ? " -" : "";
	snprintf(label, sizeof label, "%s%s%s ", strstr(t, "ParenBoth") ? "(" : "", num, suf);
	if (ox_buf_add(w->ox, &b, label, strlen(label)) == 0 &&
	    ox_buf_add(w->ox, &b, p->b.p, p->b.n) == 0) {
		pbuf_free(&p->b);
		p->b = b;
		p->list = l + 1;
	} else
		pbuf_free(&b);
}

static void para_end(struct walk *w)
{
	struct para *p = &w->p[--w->np];

	if (w->o->skip_master_prompts && ox_buf_trim(&p->b) && ox_lo_prompt(&p->b))
		p->b.n = 0;

	/* Its paragraph mark is a tracked deletion: Word joins what is left of
	 * its text to the next paragraph, which lends its properties. */
	if (p->mark_del && w->np == 0 && !w->tbl && p->b.n) {
		ox_buf_add(w->ox, &w->carry, p->b.p, p->b.n);
		pbuf_free(&p->b);
		p->heading = p->list = 0;
		return;
	}
	/* A list item deleted with its paragraph mark is gone from the list:
	 * it does not count. */
	if (w->o->num && (p->num != -1 || p->style[0]) && !(p->mark_del && !ox_buf_trim(&p->b)))
		para_label(w, p);
	else if (!w->o->num && ox_buf_trim(&p->b))
		auto_label(w, p);

	if (ox_buf_trim(&p->b) && !w->ox->err) {
		if (w->tbl && w->cell_open) {
			struct pbuf *c = cell(w);

			if (c->n)
				ox_buf_add(w->ox, c, " ", 1);
			ox_buf_add(w->ox, c, p->b.p, p->b.n);
		} else if (p->heading || w->sp_title)
			ox_emit(w->ox, OX_HEADING, p->heading ? p->heading : 1, p->b.p, p->b.n);
		else if (p->list)
			ox_emit(w->ox, OX_LIST, p->list, p->b.p, p->b.n);
		else
			ox_emit(w->ox, OX_PARA, 0, p->b.p, p->b.n);
	}
	pbuf_free(&p->b);
	p->heading = p->list = 0;
}

static void add(struct walk *w, const char *s, size_t n)
{
	if (w->in_rt)
		ox_buf_add(w->ox, &w->rt, s, n);
	else if (w->np > 0 && !w->sp_skip)
		ox_buf_add(w->ox, &w->p[w->np - 1].b, s, n);
}

static int text_ns(const struct node *nd)
{
	const char *ns = nd->uri;

	return ns && !strstr(ns, "diagram");
}

/* The value of the first attribute whose local name is local, in the order
 * the streaming reader gave them (namespace declarations first, named by
 * their prefix or "xmlns"); new, free with xmlFree; NULL when absent.
 * Attributes with an undeclared prefix are named "prefix:local" there, so
 * never match. SAX2 leaves "&#38;" for each '&' (replaceEntities off). */
static char *node_attr(const struct node *nd, const char *local)
{
	for (int i = 0; i < nd->nb_ns; i++) {
		const char *pfx = (const char *)nd->ns[2 * i];

		if (strcmp(pfx ? pfx : "xmlns", local) == 0)
			return (char *)xmlStrdup(nd->ns[2 * i + 1] ? nd->ns[2 * i + 1] : BAD_CAST "");
	}
	for (int i = 0; i < nd->nb_attr; i++) {
		const xmlChar *const *a = nd->attrs + 5 * i;
		const char *v, *end;
		char *out, *o;

		if (strcmp((const char *)a[0], local) != 0 || (a[1] && !a[2]))
			continue;
		v = (const char *)a[3];
		end = (const char *)a[4];
		out = o = (char *)xmlMalloc((size_t)(end - v) + 1);
		if (!out)
			return NULL;
		while (v < end) {
			if (*v == '&' && end - v >= 5 && memcmp(v, "&#38;", 5) == 0) {
				*o++ = '&';
				v += 5;
			} else
				*o++ = *v++;
		}
		*o = '\0';
		return out;
	}
	return NULL;
}

/* A placeholder shape on a slide (title) or a master (only footers, dates
 * and headers are read: the rest are prompts such as "Click to edit"). */
static void placeholder(struct walk *w, const struct node *nd)
{
	char *type = node_attr(nd, "type");

	if (type && (strcmp(type, "title") == 0 || strcmp(type, "ctrTitle") == 0))
		w->sp_title = !w->o->skip_master_prompts;
	if (w->o->skip_master_prompts &&
	    !(type && (strcmp(type, "ftr") == 0 || strcmp(type, "dt") == 0 ||
		       strcmp(type, "hdr") == 0)))
		w->sp_skip = 1;
	if (type && strcmp(type, "sldNum") == 0)
		w->sp_skip = 1;
	xmlFree(type);
}

/* The Symbol font's letters and signs (Adobe's Symbol encoding) from 0x20;
 * 0: no mapping kept. */
static uint32_t symbol_font(unsigned c)
{
	static const char upper[] = "ΑΒΧΔΕΦΓΗΙϑΚΛΜΝΟΠΘΡΣΤΥςΩΞΨΖ", lower[] = "αβχδεφγηιϕκλμνοπθρστυϖωξψζ";
	static const struct { unsigned char c; uint16_t u; } signs[] = {
		{ 0x22, 0x2200 }, { 0x24, 0x2203 }, { 0x27, 0x220B }, { 0x2A, 0x2217 }, { 0x2D, 0x2212 },
		{ 0x40, 0x2245 }, { 0x5C, 0x2234 }, { 0x5E, 0x22A5 }, { 0x7E, 0x223C }, { 0xA2, 0x2032 },
		{ 0xA3, 0x2264 }, { 0xA5, 0x221E }, { 0xAB, 0x2194 }, { 0xAC, 0x2190 }, { 0xAD, 0x2191 },
		{ 0xAE, 0x2192 }, { 0xAF, 0x2193 }, { 0xB0, 0x00B0 }, { 0xB1, 0x00B1 }, { 0xB2, 0x2033 },
		{ 0xB3, 0x2265 }, { 0xB4, 0x00D7 }, { 0xB5, 0x221D }, { 0xB6, 0x2202 }, { 0xB7, 0x2022 },
		{ 0xB8, 0x00F7 }, { 0xB9, 0x2260 }, { 0xBA, 0x2261 }, { 0xBB, 0x2248 }, { 0xBC, 0x2026 },
		{ 0xC5, 0x2295 }, { 0xC6, 0x2205 }, { 0xC7, 0x2229 }, { 0xC8, 0x222A }, { 0xCE, 0x2208 },
		{ 0xCF, 0x2209 }, { 0xD1, 0x2207 }, { 0xD5, 0x220F }, { 0xD6, 0x221A }, { 0xD7, 0x22C5 },
		{ 0xD8, 0x00AC }, { 0xD9, 0x2227 }, { 0xDA, 0x2228 }, { 0xDB, 0x21D4 }, { 0xDE, 0x21D2 },
		{ 0xE5, 0x2211 }, { 0xF2, 0x222B },
	};
	uint32_t cp;

	for (size_t i = 0; i < sizeof signs / sizeof signs[0]; i++)
		if (signs[i].c == c)
			return signs[i].u;
	if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')) {
		const char *t = c <= 'Z' ? upper : lower;
		size_t k = c <= 'Z' ? c - 'A' : c - 'a';
		const unsigned char *p = (const unsigned char *)t;

		/* each letter is two bytes of UTF-8 */
		if (pc_utf8_get(p + 2 * k, 2, &cp) == 2)
			return cp;
		return 0;
	}
	return c >= 0x20 && c < 0x7F ? c : 0;
}

/* w:sym: one character of a symbol font, w:char in hex (Word writes
 * F000 plus the font's own code). The Symbol font's Greek letters and
 * signs become Unicode; other symbol fonts (Wingdings...) are pictures,
 * not text; a character outside F000-F0FF is itself. */
static void sym(struct walk *w, const struct node *nd)
{
	char *font = node_attr(nd, "font"), *ch = node_attr(nd, "char");
	unsigned long v = ch ? strtoul(ch, NULL, 16) : 0;
	int symbol = font && strcasecmp(font, "Symbol") == 0;
	uint32_t cp = 0;
	unsigned char u[4];

	if (v >= 0xF000 && v <= 0xF0FF)
		cp = symbol ? symbol_font((unsigned)(v - 0xF000)) : 0;
	else if (symbol && v < 0x100)
		cp = symbol_font((unsigned)v);
	else if (v >= 0x20 && v <= 0x10FFFF)
		cp = (uint32_t)v;
	if (cp)
		add(w, (const char *)u, pc_utf8_put(cp, u));
	xmlFree(font);
	xmlFree(ch);
}

static void paragraph_props(struct walk *w, const struct node *nd, const char *n)
{
	struct para *p = &w->p[w->np - 1];
	char *val = node_attr(nd, "val");

	if (strcmp(n, "pStyle") == 0 && val) {
		p->heading = style_level(w, val);
		snprintf(p->style, sizeof p->style, "%s", val);
	} else if (strcmp(n, "ilvl") == 0 && val) {
		p->ilvl = atoi(val) < 0 ? 0 : atoi(val) > 8 ? 8 : atoi(val);
		p->list = (unsigned)p->ilvl + 1;
	} else if (strcmp(n, "numId") == 0 && val && !p->list) {
		p->num = atoi(val);
		p->list = strcmp(val, "0") ? 1 : 0;
	} else if (strcmp(n, "numId") == 0 && val && strcmp(val, "0") == 0) {
		p->num = 0;
		p->list = 0;
	} else if (strcmp(n, "numId") == 0 && val)
		p->num = atoi(val);
	xmlFree(val);
}

/* Returns 1 when the element's subtree is to be skipped. */
static int element(struct walk *w, const struct node *nd, int empty)
{
	const char *n = nd->name;

	/* The paragraph mark's run properties say whether the mark itself is
	 * a tracked deletion (the item is gone from a list); anything else in
	 * run properties holds no text. */
	if (w->in_mark) {
		if (w->np && (strcmp(n, "del") == 0 || strcmp(n, "moveFrom") == 0))
			w->p[w->np - 1].mark_del = 1;
		return 1;
	}
	if (w->in_trpr && (strcmp(n, "del") == 0 || strcmp(n, "moveFrom") == 0)) {
		w->row_del = w->tbl == 1;
		return 1;
	}
	if (n[0] == 't' && n[1] == 'r' && strcmp(n, "trPr") == 0) {
		w->in_trpr = !empty;
		return 0;
	}
	if (w->in_ppr && strcmp(n, "rPr") == 0) {
		w->in_mark = !empty;
		return 0;
	}
	if (n[0] == 'p' && n[1] == 'P' && strcmp(n, "pPr") == 0) {
		char *lvl = w->np ? node_attr(nd, "lvl") : NULL;

		if (lvl)
			w->p[w->np - 1].dlvl = (unsigned)atoi(lvl) > 8 ? 8 : (unsigned)atoi(lvl);
		xmlFree(lvl);
		w->in_ppr = !empty;
		return 0;
	}
	if (n[0] == 'b' && strcmp(n, "buAutoNum") == 0 && w->np) {
		struct para *p = &w->p[w->np - 1];
		char *type = node_attr(nd, "type"), *at = node_attr(nd, "startAt");

		snprintf(p->auto_type, sizeof p->auto_type, "%s", type ? type : "arabicPeriod");
		p->auto_start = at && atoi(at) > 0 ? atoi(at) : 1;
		xmlFree(type);
		xmlFree(at);
		return 1;
	}
	if (n[0] == 't' && n[1] == 'x' && strcmp(n, "txBody") == 0)
		memset(w->an_type, 0, sizeof w->an_type);
	if (n[0] == 'r' && n[1] == 't' && !n[2] && !empty) {
		w->in_rt = 1;
		w->rt.n = 0;
		return 0;
	}
	if (skipped(n))
		return 1;
	if (n[0] == 'a' && strcmp(n, "altChunk") == 0) {
		char *id = node_attr(nd, "id");

		if (w->o->rels && id)
			ox_alt_chunk(w->ox, w->o->rels, id);
		xmlFree(id);
		return 1;
	}
	if (strcmp(n, "p") == 0) {
		if (w->np < OX_MAX_NEST) {
			memset(&w->p[w->np], 0, sizeof w->p[0]);
			w->p[w->np].num = w->p[w->np].ilvl = -1;
			w->np++;
			if (w->np == 1 && w->carry.n) {
				ox_buf_add(w->ox, &w->p[0].b, w->carry.p, w->carry.n);
				w->carry.n = 0;
			}
			if (empty)
				para_end(w);
		} else if (!empty)
			w->overflow++;
	} else if (strcmp(n, "t") == 0 && text_ns(nd))
		w->in_t = !empty;
	else if (w->np && (strcmp(n, "pStyle") == 0 || strcmp(n, "ilvl") == 0 || strcmp(n, "numId") == 0))
		paragraph_props(w, nd, n);
	else if (strcmp(n, "tab") == 0 || strcmp(n, "ptab") == 0)
		add(w, "\t", 1);
	else if (strcmp(n, "br") == 0 || strcmp(n, "cr") == 0)
		add(w, "\n", 1);
	else if (strcmp(n, "noBreakHyphen") == 0)
		add(w, "-", 1);
	else if (n[0] == 's' && strcmp(n, "sym") == 0)
		sym(w, nd);
	else if (strcmp(n, "tbl") == 0 && !empty)
		w->tbl++;
	else if (strcmp(n, "tr") == 0 && w->tbl == 1) {
		for (size_t i = 0; i < w->ncells && i < OX_MAX_CELLS; i++)
			w->cells[i].n = 0;
		w->ncells = 0;
		w->row_del = 0;
	} else if (strcmp(n, "tc") == 0 && w->tbl == 1) {
		w->cell_open = 1;
		if (empty) {
			w->cell_open = 0;
			if (w->ncells < OX_MAX_CELLS)
				w->ncells++;
		}
	} else if (strcmp(n, "sp") == 0 && w->o->pptx)
		w->sp_title = w->sp_skip = 0;
	else if (strcmp(n, "ph") == 0 && w->o->pptx)
		placeholder(w, nd);
	return 0;
}

static void element_end(struct walk *w, const char *n)
{
	if (w->in_mark && strcmp(n, "rPr") == 0) {
		w->in_mark = 0;
		return;
	}
	if (n[0] == 'p' && n[1] == 'P' && strcmp(n, "pPr") == 0) {
		w->in_ppr = 0;
		return;
	}
	if (n[0] == 't' && n[1] == 'r' && strcmp(n, "trPr") == 0) {
		w->in_trpr = 0;
		return;
	}
	if (n[0] == 'r' && n[1] == 't' && !n[2]) {
		w->in_rt = 0;
		return;
	}
	/* Ruby: the base text, then its phonetic guide in parentheses, as
	 * Tika writes it: "東京 (とうきょう)". */
	if (w->rt.n && strcmp(n, "ruby") == 0 && ox_buf_trim(&w->rt)) {
		add(w, " (", 2);
		add(w, w->rt.p, w->rt.n);
		add(w, ")", 1);
		w->rt.n = 0;
		return;
	}

	if (strcmp(n, "p") == 0 && w->overflow)
		w->overflow--;
	else if (strcmp(n, "p") == 0 && w->np > 0)
		para_end(w);
	else if (strcmp(n, "t") == 0)
		w->in_t = 0;
	else if (strcmp(n, "tc") == 0 && w->tbl == 1 && w->cell_open) {
		w->cell_open = 0;
		if (w->ncells < OX_MAX_CELLS)
			w->ncells++;
	} else if (strcmp(n, "tr") == 0 && w->tbl == 1) {
		size_t k = w->ncells;

		while (k && w->cells[k - 1].n == 0)
			k--;
		if (k && !w->row_del)
			ox_row(w->ox, w->cells, w->ncells, w->row_no++ == 0);
		w->row_del = 0;
	} else if (strcmp(n, "tbl") == 0 && w->tbl > 0) {
		if (--w->tbl == 0)
			w->row_no = 0;
	} else if (strcmp(n, "sp") == 0 && w->o->pptx)
		w->sp_title = w->sp_skip = 0;
}

/* The SAX2 callbacks reproduce what the streaming reader gave the walker:
 * no end tag for an empty element (<x/>) or for the root of a skipped
 * subtree, nothing inside a skipped subtree, a DOCTYPE refused. */
static void stop(struct walk *w)
{
	xmlStopParser(w->ctxt);
}

/* The reader names an element with an undeclared prefix "prefix:local". */
static const char *element_name(struct walk *w, const xmlChar *local, const xmlChar *prefix,
				const xmlChar *uri)
{
	if (!prefix || uri)
		return (const char *)local;
	snprintf(w->qname, sizeof w->qname, "%s:%s", prefix, local);
	return w->qname;
}

static void sax_start(void *ctx, const xmlChar *local, const xmlChar *prefix, const xmlChar *uri,
		      int nb_ns, const xmlChar **ns, int nb_attr, int nb_def,
		      const xmlChar **attrs)
{
	struct walk *w = ctx;
	xmlParserInputPtr in = w->ctxt->input;
	int empty = in && in->cur && in->cur[0] == '/' && in->cur[1] == '>';
	struct node nd = { element_name(w, local, prefix, uri), (const char *)uri, nb_ns,
			   nb_attr + nb_def, ns, attrs };

	(void)nb_def;
	if (w->ox->err) {
		stop(w);
		return;
	}
	if (w->skip_depth) {
		w->skip_depth++;
		return;
	}
	w->pending_empty = empty;
	if (element(w, &nd, empty))
		w->skip_depth = 1;
	if (w->ox->err)
		stop(w);
}

static void sax_end(void *ctx, const xmlChar *local, const xmlChar *prefix, const xmlChar *uri)
{
	struct walk *w = ctx;

	if (w->ox->err) {
		stop(w);
		return;
	}
	if (w->skip_depth) {
		w->skip_depth--;
		w->pending_empty = 0;
		return;
	}
	if (w->pending_empty) {
		w->pending_empty = 0;
		return;
	}
	element_end(w, element_name(w, local, prefix, uri));
	if (w->ox->err)
		stop(w);
}

static void sax_text(void *ctx, const xmlChar *s, int len)
{
	struct walk *w = ctx;

	if (w->ox->err) {
		stop(w);
		return;
	}
	if (w->skip_depth || !w->in_t)
		return;
	add(w, (const char *)s, (size_t)len);
	if (w->ox->err)
		stop(w);
}

static void sax_doctype(void *ctx, const xmlChar *name, const xmlChar *ext, const xmlChar *sys)
{
	struct walk *w = ctx;

	(void)name, (void)ext, (void)sys;
	if (!w->ox->err) {
		w->ox->host->log(QUIRE_LOG_WARNING, "ooxml: DOCTYPE refused in a part");
		w->ox->err = QUIRE_CORRUPT;
	}
	stop(w);
}

static void sax_quiet(void *ctx, xmlErrorPtr err)
{
	(void)ctx, (void)err;
}

static int sax_read(void *ctx, char *buf, int len)
{
	long got = ox_entry_read(ctx, buf, (size_t)len);

	return got < 0 ? -1 : (int)got;
}

static int sax_close(void *ctx)
{
	(void)ctx;
	return 0;
}

/* The body parts are the bulk of a document: they go through SAX2 rather
 * than the streaming reader, which builds and frees a tree node for every
 * element and text run. */
void ox_walk_part(struct ox *ox, const char *part, const struct ox_walk_opts *o)
{
	struct walk *w;
	struct ox_entry e;
	xmlSAXHandler sax;

	if (ox->err)
		return;
	w = calloc(1, sizeof *w);
	if (!w) {
		ox->err = QUIRE_ERROR;
		return;
	}
	w->ox = ox;
	w->o = o;
	if (ox_entry_open(ox, part, &e) == 0) {
		memset(&sax, 0, sizeof sax);
		sax.initialized = XML_SAX2_MAGIC;
		sax.startElementNs = sax_start;
		sax.endElementNs = sax_end;
		sax.characters = sax_text;
		sax.ignorableWhitespace = sax_text;
		sax.cdataBlock = sax_text;
		sax.internalSubset = sax_doctype;
		sax.serror = sax_quiet;
		w->ctxt = xmlCreateIOParserCtxt(&sax, w, sax_read, sax_close, &e,
						XML_CHAR_ENCODING_NONE);
		if (!w->ctxt) {
			if (!ox->err)
				ox->err = QUIRE_ERROR;
		} else {
			/* As the reader was opened: no XML_PARSE_NOENT (entities
			 * stay references), no DTDLOAD or DTDATTR, never
			 * XML_PARSE_HUGE: libxml2's own size limits hold. */
			xmlCtxtUseOptions(w->ctxt, XML_PARSE_NONET | XML_PARSE_NOERROR |
					  XML_PARSE_NOWARNING | XML_PARSE_NOCDATA);
			w->ctxt->sax->cdataBlock = sax_text;
			xmlParseDocument(w->ctxt);
			if (!w->ctxt->wellFormed && !ox->err)
				ox->err = QUIRE_CORRUPT;
			xmlFreeParserCtxt(w->ctxt);
		}
	}
	ox_entry_close(&e);
	if (ox_buf_trim(&w->carry))
		ox_emit(ox, OX_PARA, 0, w->carry.p, w->carry.n);
	pbuf_free(&w->carry);
	while (w->np > 0)
		pbuf_free(&w->p[--w->np].b);
	for (size_t i = 0; i < OX_MAX_CELLS; i++)
		pbuf_free(&w->cells[i]);
	pbuf_free(&w->rt);
	free(w);
}
