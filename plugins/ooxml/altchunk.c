/* altchunk.c: w:altChunk, the "alternative format import" of
 * WordprocessingML (ECMA-376 Part 1, 17.17.2): HTML, plain text or a whole
 * WordprocessingML package that Word merges into the body when it opens the
 * file, as generators that write HTML into DOCX produce. Its text comes
 * where the chunk stands; RTF and MHT chunks are not read. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdlib.h>
#include <string.h>

#include <libxml/HTMLparser.h>

#include "ooxml.h"
#include "rels.h"
#include "embed.h"
#include "xml.h"
#include "altchunk.h"

#define OX_HTML_DEPTH 64   /* nesting followed in a chunk's HTML tree */
#define OX_HTML_MAX (16u << 20)  /* bytes of HTML parsed: its tree is several times that */

struct hx {
	struct ox *ox;
	struct pbuf b;
	int kind, space;       /* the block's kind; a space is pending */
	unsigned level;
};

static void flush(struct hx *h)
{
	if (ox_buf_trim(&h->b))
		ox_emit(h->ox, h->kind, h->level, h->b.p, h->b.n);
	h->b.n = 0;
	h->kind = OX_PARA;
	h->level = 0;
	h->space = 0;
}

/* HTML text: runs of white space are one space. */
static void text(struct hx *h, const char *s)
{
	for (; *s && !h->ox->err; s++) {
		if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r' || *s == '\f') {
			h->space = h->b.n > 0;
			continue;
		}
		if (h->space)
			ox_buf_add(h->ox, &h->b, " ", 1);
		h->space = 0;
		ox_buf_add(h->ox, &h->b, s, 1);
	}
}

/* 1 when element n begins a block of its own (*kind, *level set). */
static int block(const char *n, int *kind, unsigned *level)
{
	static const char *const para[] = { "p", "div", "tr", "pre", "blockquote", "address", "dt",
		"dd", "caption", "table", "ul", "ol", "dl", "section", "article", "header", "footer",
		"figcaption", "body", NULL };

	*kind = OX_PARA;
	*level = 0;
	if (n[0] == 'h' && n[1] >= '1' && n[1] <= '6' && !n[2]) {
		*kind = OX_HEADING;
		*level = (unsigned)(n[1] - '0');
		return 1;
	}
	if (strcmp(n, "li") == 0) {
		*kind = OX_LIST;
		*level = 1;
		return 1;
	}
	for (const char *const *p = para; *p; p++)
		if (strcmp(n, *p) == 0)
			return 1;
	return 0;
}

static void walk(struct hx *h, xmlNodePtr n, unsigned depth)
{
	for (; n && !h->ox->err; n = n->next) {
		const char *name = (const char *)n->name;
		int kind;
		unsigned level;

		if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
			if (n->content)
				text(h, (const char *)n->content);
			continue;
		}
		if (n->type != XML_ELEMENT_NODE || depth >= OX_HTML_DEPTH)
			continue;
		if (!strcmp(name, "script") || !strcmp(name, "style") || !strcmp(name, "head") ||
		    !strcmp(name, "template") || !strcmp(name, "noscript"))
			continue;
		if (!strcmp(name, "br")) {
			ox_buf_add(h->ox, &h->b, "\n", 1);
			h->space = 0;
		} else if (!strcmp(name, "td") || !strcmp(name, "th")) {
			if (h->b.n)
				ox_buf_add(h->ox, &h->b, "\t", 1);
			h->space = 0;
			walk(h, n->children, depth + 1);
		} else if (block(name, &kind, &level)) {
			flush(h);
			h->kind = kind;
			h->level = level;
			walk(h, n->children, depth + 1);
			flush(h);
		} else
			walk(h, n->children, depth + 1);
	}
}

/* An HTML chunk: libxml2's HTML parser, no network, its own size limits
 * (never HTML_PARSE_HUGE). */
static void html_chunk(struct ox *ox, const unsigned char *mem, size_t len)
{
	struct hx h = { .ox = ox, .kind = OX_PARA };
	htmlDocPtr doc;

	if (len > OX_HTML_MAX) {
		ox->host->log(QUIRE_LOG_WARNING, "ooxml: an HTML altChunk of %zu bytes, over %u, "
			      "is not read", len, OX_HTML_MAX);
		return;
	}
	doc = htmlReadMemory((const char *)mem, (int)len, NULL, NULL,
			     HTML_PARSE_NONET | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
			     HTML_PARSE_NOBLANKS);
	if (!doc) {
		ox->host->log(QUIRE_LOG_INFO, "ooxml: an HTML altChunk did not parse");
		return;
	}
	walk(&h, xmlDocGetRootElement(doc), 0);
	flush(&h);
	pbuf_free(&h.b);
	xmlFreeDoc(doc);
}

/* A plain text chunk: each line a paragraph. */
static void text_chunk(struct ox *ox, const unsigned char *mem, size_t len)
{
	struct pbuf b = { 0 };

	for (size_t i = 0, start = 0; i <= len && !ox->err; i++) {
		if (i < len && mem[i] != '\n')
			continue;
		b.n = 0;
		ox_buf_add(ox, &b, (const char *)mem + start, i - start);
		if (ox_buf_trim(&b))
			ox_emit(ox, OX_PARA, 0, b.p, b.n);
		start = i + 1;
	}
	pbuf_free(&b);
}

void ox_alt_chunk(struct ox *ox, const struct ox_rels *rels, const char *rid)
{
	const struct ox_rel *rel = ox_rels_id(rels, rid);
	char *ct = rel && !ox->err ? ox_content_type(ox, rel->target) : NULL;
	unsigned char *mem = NULL;
	size_t len = 0;

	if (!ct)
		goto out;
	if (strstr(ct, "wordprocessingml") || strstr(ct, "ms-word")) {
		ox_embed_part(ox, rel->target);
		goto out;
	}
	if (!strstr(ct, "html") && strcmp(ct, "text/plain") != 0) {
		ox->host->log(QUIRE_LOG_INFO, "ooxml: an altChunk of type %s is not read", ct);
		goto out;
	}
	mem = ox_slurp(ox, rel->target, &len);
	if (!mem)
		goto out;
	if (strstr(ct, "html"))
		html_chunk(ox, mem, len);
	else
		text_chunk(ox, mem, len);
out:
	free(mem);
	xmlFree(ct);
}
