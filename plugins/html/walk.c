/* walk.c: HTML to blocks through libxml2's HTML push parser (SAX, no
 * tree): h1-h6 are headings, li list items nested by their ul/ol, rows of
 * a table rows (th-only and thead rows are headers), other block elements
 * (p, div, blockquote, pre, ...) paragraphs with their inline elements
 * joined and white space collapsed. script, style, noscript, template,
 * head and the like are dropped; <title> becomes the "title" metadata and
 * <meta name=author|description|keywords> and <html lang> metadata too.
 * Tables inside a table cell are read into that cell. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/HTMLparser.h>

#include "../common/sbuf.h"
#include "html.h"
#include "walk.h"

/* Text of one block is written out in pieces past this length. */
#define FLUSH_AT ((size_t)1 << 20)
/* Elements nested deeper than this are read as text without structure. */
#define MAX_DEPTH (1u << 20)
#define MAX_CELLS 4096

enum kind {
	K_INLINE, K_BLOCK, K_DROP, K_BR, K_HEADING, K_LIST, K_LI, K_TABLE, K_TR, K_CELL,
	K_THEAD, K_TITLE, K_META, K_HTML, K_PRE,
};

static const struct tag { const char *name; unsigned char kind; } tags[] = {
	{ "address", K_BLOCK }, { "article", K_BLOCK }, { "aside", K_BLOCK },
	{ "blockquote", K_BLOCK }, { "body", K_BLOCK }, { "br", K_BR }, { "caption", K_BLOCK },
	{ "center", K_BLOCK }, { "dd", K_BLOCK }, { "details", K_BLOCK }, { "dialog", K_BLOCK },
	{ "dir", K_LIST }, { "div", K_BLOCK }, { "dl", K_BLOCK }, { "dt", K_BLOCK },
	{ "fieldset", K_BLOCK }, { "figcaption", K_BLOCK }, { "figure", K_BLOCK },
	{ "footer", K_BLOCK }, { "form", K_BLOCK }, { "frameset", K_BLOCK }, { "h1", K_HEADING },
	{ "h2", K_HEADING }, { "h3", K_HEADING }, { "h4", K_HEADING }, { "h5", K_HEADING },
	{ "h6", K_HEADING }, { "head", K_DROP }, { "header", K_BLOCK }, { "hgroup", K_BLOCK },
	{ "hr", K_BLOCK }, { "html", K_HTML }, { "iframe", K_DROP }, { "legend", K_BLOCK },
	{ "li", K_LI }, { "listing", K_PRE }, { "main", K_BLOCK }, { "menu", K_LIST },
	{ "meta", K_META }, { "nav", K_BLOCK }, { "noframes", K_BLOCK }, { "noscript", K_DROP },
	{ "ol", K_LIST }, { "option", K_BLOCK }, { "p", K_BLOCK }, { "plaintext", K_PRE },
	{ "pre", K_PRE }, { "script", K_DROP }, { "section", K_BLOCK }, { "select", K_DROP },
	{ "style", K_DROP }, { "summary", K_BLOCK }, { "svg", K_DROP }, { "table", K_TABLE },
	{ "td", K_CELL }, { "template", K_DROP }, { "textarea", K_BLOCK }, { "th", K_CELL },
	{ "thead", K_THEAD }, { "title", K_TITLE }, { "tr", K_TR }, { "ul", K_LIST },
	{ "xmp", K_PRE },
};

static int tag_cmp(const void *a, const void *b)
{
	return strcmp(a, ((const struct tag *)b)->name);
}

static enum kind kind_of(const xmlChar *name)
{
	const struct tag *t = bsearch(name, tags, sizeof tags / sizeof tags[0], sizeof tags[0],
				      tag_cmp);
	return t ? (enum kind)t->kind : K_INLINE;
}

struct open_el {
	unsigned char kind;
	unsigned char heading;  /* the heading level before this element */
	unsigned short li;      /* the list item level before this element */
};

struct html_walk {
	struct emit *e;
	htmlParserCtxtPtr ctxt;
	int failed;                 /* out of memory or the sink stopped */
	struct open_el *stack;
	size_t depth, cap, overflow;
	unsigned drop, pre, lists, tables, thead, title;
	unsigned heading, li;       /* innermost open heading and list item levels */
	struct pbuf text;           /* the block being built */
	struct pbuf titlebuf;
	int title_done;
	/* the row of the outermost table */
	int in_row, in_cell, row_th, row_td;
	struct pbuf cells;
	size_t off[MAX_CELLS], ncells;
};

static void fail(struct html_walk *w)
{
	if (!w->failed) {
		w->failed = 1;
		xmlStopParser(w->ctxt);
	}
}

/* Write the block built so far, as the open heading, item or paragraph. */
static void flush(struct html_walk *w)
{
	int r;

	if (w->text.n == 0)
		return;
	if (w->heading)
		r = emit_heading(w->e, w->heading, w->text.p, w->text.n);
	else if (w->li)
		r = emit_item(w->e, w->li, w->text.p, w->text.n);
	else
		r = emit_para(w->e, w->text.p, w->text.n);
	pbuf_reset(&w->text);
	if (r)
		fail(w);
}

static int in_cell(const struct html_walk *w)
{
	return w->tables > 0 && w->in_cell;
}

/* The edge of a block element: a new block, or a space inside a cell. */
static void boundary(struct html_walk *w)
{
	if (in_cell(w)) {
		if (sbuf_add_ws(&w->cells, " ", 1))
			fail(w);
		return;
	}
	flush(w);
}

static void cell_end(struct html_walk *w)
{
	if (!w->in_cell)
		return;
	w->in_cell = 0;
	w->cells.space = 0;
	if (w->ncells < MAX_CELLS)
		w->ncells++;
}

static void row_end(struct html_walk *w)
{
	const char *ptr[MAX_CELLS];
	size_t len[MAX_CELLS];

	cell_end(w);
	if (!w->in_row)
		return;
	w->in_row = 0;
	for (size_t c = 0; c < w->ncells; c++) {
		size_t end = c + 1 < w->ncells ? w->off[c + 1] : w->cells.n;
		ptr[c] = w->cells.p ? w->cells.p + w->off[c] : "";
		len[c] = end - w->off[c];
	}
	if (emit_row(w->e, ptr, len, w->ncells, w->thead || (w->row_th && !w->row_td)))
		fail(w);
	w->ncells = 0;
	pbuf_reset(&w->cells);
}

static void row_start(struct html_walk *w)
{
	row_end(w);
	flush(w);
	w->in_row = 1;
	w->row_th = w->row_td = 0;
	w->ncells = 0;
	pbuf_reset(&w->cells);
}

static void cell_start(struct html_walk *w, const xmlChar *name)
{
	if (!w->in_row)
		row_start(w);
	cell_end(w);
	flush(w);
	if (w->ncells < MAX_CELLS)
		w->off[w->ncells] = w->cells.n;
	w->in_cell = 1;
	if (name[1] == 'h')
		w->row_th = 1;
	else
		w->row_td = 1;
}

static const xmlChar *attr(const xmlChar **atts, const char *name)
{
	for (size_t i = 0; atts && atts[i]; i += 2)
		if (!strcasecmp((const char *)atts[i], name))
			return atts[i + 1];
	return NULL;
}

static void meta(struct html_walk *w, const char *key, const xmlChar *value)
{
	if (value && emit_meta(w->e, key, (const char *)value, strlen((const char *)value)))
		fail(w);
}

static void meta_tag(struct html_walk *w, const xmlChar **atts)
{
	const xmlChar *name = attr(atts, "name"), *content = attr(atts, "content");

	if (!name || !content)
		return;
	if (!strcasecmp((const char *)name, "author"))
		meta(w, "author", content);
	else if (!strcasecmp((const char *)name, "description"))
		meta(w, "subject", content);
	else if (!strcasecmp((const char *)name, "keywords"))
		meta(w, "keywords", content);
}

/* What an element does when it opens (its state is saved first). */
static void open_kind(struct html_walk *w, enum kind k, const xmlChar *name,
		      const xmlChar **atts)
{
	switch (k) {
	case K_TITLE: w->title++; break;
	case K_META: meta_tag(w, atts); break;
	case K_HTML: meta(w, "language", attr(atts, "lang")); boundary(w); break;
	case K_DROP: w->drop++; break;
	case K_BR:
		if (in_cell(w) ? sbuf_add_ws(&w->cells, " ", 1) : sbuf_add_break(&w->text))
			fail(w);
		break;
	case K_HEADING: boundary(w); w->heading = (unsigned)(name[1] - '0'); break;
	case K_LIST: boundary(w); w->lists++; break;
	case K_LI: boundary(w); w->li = w->lists ? w->lists : 1; break;
	case K_PRE: boundary(w); w->pre++; break;
	case K_TABLE:
		boundary(w);
		w->tables++;
		break;
	case K_TR: if (w->tables == 1) row_start(w); else boundary(w); break;
	case K_CELL: if (w->tables == 1) cell_start(w, name); else boundary(w); break;
	case K_THEAD: if (w->tables == 1) w->thead++; break;
	case K_BLOCK: boundary(w); break;
	default: break;
	}
}

static void close_kind(struct html_walk *w, enum kind k)
{
	switch (k) {
	case K_TITLE:
		if (w->title)
			w->title--;
		if (!w->title && !w->title_done && w->titlebuf.n) {
			w->title_done = 1;
			if (emit_meta(w->e, "title", w->titlebuf.p, w->titlebuf.n))
				fail(w);
		}
		break;
	case K_DROP: if (w->drop) w->drop--; break;
	case K_HEADING: case K_LI: case K_BLOCK: case K_HTML: boundary(w); break;
	case K_LIST: boundary(w); if (w->lists) w->lists--; break;
	case K_PRE: boundary(w); if (w->pre) w->pre--; break;
	case K_TABLE:
		if (w->tables == 1)
			row_end(w);
		else
			boundary(w);
		flush(w);
		if (w->tables)
			w->tables--;
		break;
	case K_TR: if (w->tables == 1) row_end(w); else boundary(w); break;
	case K_CELL: if (w->tables == 1) cell_end(w); else boundary(w); break;
	case K_THEAD: if (w->tables == 1 && w->thead) w->thead--; break;
	default: break;
	}
}

static void on_start(void *ctx, const xmlChar *name, const xmlChar **atts)
{
	struct html_walk *w = ctx;
	enum kind k = kind_of(name);

	if (w->failed)
		return;
	if (w->depth >= MAX_DEPTH) {
		w->overflow++;
		return;
	}
	if (w->depth == w->cap) {
		size_t cap = w->cap ? w->cap * 2 : 256;
		struct open_el *s = realloc(w->stack, cap * sizeof *s);
		if (!s) {
			w->e->stopped = 0;
			fail(w);
			return;
		}
		w->stack = s;
		w->cap = cap;
	}
	w->stack[w->depth++] = (struct open_el){ .kind = (unsigned char)k,
						 .heading = (unsigned char)w->heading,
						 .li = (unsigned short)w->li };
	/* inside dropped elements only the nesting is followed */
	if (w->drop && k != K_DROP && k != K_TITLE && k != K_META)
		return;
	open_kind(w, k, name, atts);
}

static void on_end(void *ctx, const xmlChar *name)
{
	struct html_walk *w = ctx;
	struct open_el el;

	(void)name;
	if (w->failed)
		return;
	if (w->overflow) {
		w->overflow--;
		return;
	}
	if (w->depth == 0)
		return;
	el = w->stack[--w->depth];
	if (!w->drop || el.kind == K_DROP || el.kind == K_TITLE)
		close_kind(w, (enum kind)el.kind);
	w->heading = el.heading;
	w->li = el.li;
}

static void on_text(void *ctx, const xmlChar *ch, int len)
{
	struct html_walk *w = ctx;
	int r;

	if (w->failed || len <= 0)
		return;
	if (w->title) {
		if (!w->title_done && w->titlebuf.n < 4096)
			sbuf_add_ws(&w->titlebuf, (const char *)ch, (size_t)len);
		return;
	}
	if (w->drop)
		return;
	if (in_cell(w))
		r = sbuf_add_ws(&w->cells, (const char *)ch, (size_t)len);
	else if (w->pre)
		r = pbuf_add(&w->text, ch, (size_t)len);
	else
		r = sbuf_add_ws(&w->text, (const char *)ch, (size_t)len);
	if (r)
		fail(w);
	else if (w->text.n >= FLUSH_AT)
		flush(w);
	else if (w->cells.n >= FLUSH_AT * 8)
		row_end(w);
}

/* script and style bodies: never text */
static void on_cdata(void *ctx, const xmlChar *ch, int len)
{
	(void)ctx, (void)ch, (void)len;
}

struct html_walk *html_walk_new(struct emit *e)
{
	htmlSAXHandler sax;
	struct html_walk *w = calloc(1, sizeof *w);

	if (!w)
		return NULL;
	w->e = e;
	pbuf_init(&w->text, FLUSH_AT * 2);
	pbuf_init(&w->titlebuf, 8192);
	pbuf_init(&w->cells, FLUSH_AT * 16);
	memset(&sax, 0, sizeof sax);
	sax.startElement = on_start;
	sax.endElement = on_end;
	sax.characters = on_text;
	sax.ignorableWhitespace = on_text;
	sax.cdataBlock = on_cdata;
	sax.initialized = 1;
	w->ctxt = htmlCreatePushParserCtxt(&sax, w, NULL, 0, NULL, XML_CHAR_ENCODING_UTF8);
	if (!w->ctxt) {
		free(w);
		return NULL;
	}
	htmlCtxtUseOptions(w->ctxt, HTML_PARSE_NONET | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
				    HTML_PARSE_RECOVER | HTML_PARSE_IGNORE_ENC);
	return w;
}

int html_walk_feed(struct html_walk *w, const char *s, size_t n, int last)
{
	while (!w->failed && (n > 0 || last)) {
		int piece = n > 65536 ? 65536 : (int)n;
		int end = last && (size_t)piece == n;
		htmlParseChunk(w->ctxt, s, piece, end);
		s += piece;
		n -= (size_t)piece;
		if (end)
			break;
	}
	if (last && !w->failed) {
		row_end(w);
		flush(w);
	}
	return w->failed ? -1 : 0;
}

void html_walk_free(struct html_walk *w)
{
	if (!w)
		return;
	if (w->ctxt) {
		if (w->ctxt->myDoc)
			xmlFreeDoc(w->ctxt->myDoc);
		htmlFreeParserCtxt(w->ctxt);
	}
	free(w->stack);
	pbuf_free(&w->text);
	pbuf_free(&w->titlebuf);
	pbuf_free(&w->cells);
	free(w);
}
