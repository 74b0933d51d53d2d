/* odt.c: OpenDocument text (content.xml, then the master pages' headers
 * and footers in styles.xml, then embedded objects one level deep):
 * headings, paragraphs, list items, table rows, notes, annotations, frame
 * titles. Tracked deletions are left out. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdlib.h>
#include <string.h>

#include "ooxml.h"
#include "zipguard.h"
#include "xml.h"
#include "odtlist.h"
#include "odt.h"

#define ODT_MAX_NEST 16
#define ODT_MAX_CELLS 1024
#define ODT_MAX_OBJECTS 16

struct opara {
	struct pbuf b;
	int kind;
	unsigned level;
	int labelled;      /* starts with the list label computed here */
};

struct odt {
	struct ox *ox;
	struct opara p[ODT_MAX_NEST];
	int np, overflow, lists, tbl, cell_open, row_no;
	struct pbuf cells[ODT_MAX_CELLS];
	size_t ncells;
	char *objects[ODT_MAX_OBJECTS];
	size_t nobjects;
	struct odt_lists *ls;
	char label[160];       /* the next list item's label, for its paragraph */
};

static void push(struct odt *o, int kind, unsigned level, int empty)
{
	if (o->np >= ODT_MAX_NEST) {
		o->overflow += !empty;
		return;
	}
	memset(&o->p[o->np], 0, sizeof o->p[0]);
	o->p[o->np].kind = kind;
	o->p[o->np].level = level;
	if (o->label[0]) {
		ox_buf_add(o->ox, &o->p[o->np].b, o->label, strlen(o->label));
		ox_buf_add(o->ox, &o->p[o->np].b, " ", 1);
		o->label[0] = '\0';
		o->p[o->np].labelled = 1;
	}
	o->np++;
}

/* A list, list item or list header starts. */
static void list_start(struct odt *o, xmlTextReaderPtr r, const char *n, int empty)
{
	if (!strcmp(n, "list") && !empty) {
		char *style = ox_attr(r, "style-name"), *cont = ox_attr(r, "continue-numbering");
		char *cl = ox_attr(r, "continue-list");

		o->lists++;
		odt_list_open(o->ls, style, (cont && !strcmp(cont, "true")) || cl);
		xmlFree(style);
		xmlFree(cont);
		xmlFree(cl);
	} else if (!strcmp(n, "list-item")) {
		char *sv = ox_attr(r, "start-value");

		odt_list_item(o->ls, sv ? atoi(sv) : 0, o->label, sizeof o->label);
		xmlFree(sv);
	} else if (!strcmp(n, "list-header"))
		o->label[0] = '\0';
}

static void pop(struct odt *o)
{
	struct opara *p;

	if (o->overflow) {
		o->overflow--;
		return;
	}
	if (o->np == 0)
		return;
	p = &o->p[--o->np];
	if (ox_buf_trim(&p->b) && !o->ox->err) {
		if (o->tbl && o->cell_open) {
			struct pbuf *c = &o->cells[o->ncells < ODT_MAX_CELLS ? o->ncells : ODT_MAX_CELLS - 1];

			if (c->n)
				ox_buf_add(o->ox, c, " ", 1);
			ox_buf_add(o->ox, c, p->b.p, p->b.n);
		} else
			ox_emit(o->ox, p->kind, p->level, p->b.p, p->b.n);
	}
	pbuf_free(&p->b);
}

static void add(struct odt *o, const char *s, size_t n)
{
	if (o->np > 0)
		ox_buf_add(o->ox, &o->p[o->np - 1].b, s, n);
}

static void note_object(struct odt *o, xmlTextReaderPtr r)
{
	char *href = ox_attr(r, "href");
	const char *h = href;

	if (h && strncmp(h, "./", 2) == 0)
		h += 2;
	/* Embedded objects are folders in the package, never outside it. */
	if (h && *h && !strstr(h, "..") && h[0] != '/' && !strchr(h, ':') &&
	    o->nobjects < ODT_MAX_OBJECTS) {
		char *name = malloc(strlen(h) + 13);

		if (name) {
			strcpy(name, h);
			strcat(name, "/content.xml");
			o->objects[o->nobjects++] = name;
		}
	}
	xmlFree(href);
}

/* Returns 1 when the subtree is to be skipped. */
static int start(struct odt *o, xmlTextReaderPtr r)
{
	const char *n = (const char *)xmlTextReaderConstLocalName(r);
	int empty = xmlTextReaderIsEmptyElement(r);

	/* text:number caches a list item's rendered label: ours is there. */
	if (!strcmp(n, "number") && o->np && o->p[o->np - 1].labelled)
		return 1;
	if (!strcmp(n, "tracked-changes") || !strcmp(n, "note-citation") || !strcmp(n, "creator") ||
	    !strcmp(n, "date") || !strcmp(n, "deletion") || !strcmp(n, "automatic-styles"))
		return 1;
	if (!strcmp(n, "h")) {
		char *lv = ox_attr(r, "outline-level");
		int level = lv ? atoi(lv) : 1;

		xmlFree(lv);
		if (!o->lists && !o->label[0]) {
			char *hdr = ox_attr(r, "is-list-header");

			if (!hdr || strcmp(hdr, "true") != 0)
				odt_outline(o->ls, level, o->label, sizeof o->label);
			xmlFree(hdr);
		}
		push(o, OX_HEADING, level < 1 ? 1 : level > 6 ? 6 : (unsigned)level, empty);
	} else if (!strcmp(n, "p") || !strcmp(n, "title") || !strcmp(n, "desc"))
		push(o, o->lists ? OX_LIST : OX_PARA, (unsigned)(o->lists > 9 ? 9 : o->lists), empty);
	else if (!strcmp(n, "list") || !strcmp(n, "list-item") || !strcmp(n, "list-header"))
		list_start(o, r, n, empty);
	else if (!strcmp(n, "s")) {
		char *c = ox_attr(r, "c");
		int k = c ? atoi(c) : 1;

		xmlFree(c);
		for (int i = 0; i < k && i < 100; i++)
			add(o, " ", 1);
	} else if (!strcmp(n, "tab"))
		add(o, "\t", 1);
	else if (!strcmp(n, "line-break"))
		add(o, "\n", 1);
	else if (!strcmp(n, "table") && !empty)
		o->tbl++;
	else if (!strcmp(n, "table-row") && o->tbl == 1) {
		for (size_t i = 0; i < o->ncells && i < ODT_MAX_CELLS; i++)
			o->cells[i].n = 0;
		o->ncells = 0;
	} else if ((!strcmp(n, "table-cell") || !strcmp(n, "covered-table-cell")) && o->tbl == 1) {
		o->cell_open = !empty;
		if (empty && o->ncells < ODT_MAX_CELLS)
			o->ncells++;
	} else if (!strcmp(n, "object"))
		note_object(o, r);
	if (empty && (!strcmp(n, "h") || !strcmp(n, "p") || !strcmp(n, "title") || !strcmp(n, "desc")))
		pop(o);
	return 0;
}

static void end(struct odt *o, xmlTextReaderPtr r)
{
	const char *n = (const char *)xmlTextReaderConstLocalName(r);

	if (!strcmp(n, "h") || !strcmp(n, "p") || !strcmp(n, "title") || !strcmp(n, "desc"))
		pop(o);
	else if (!strcmp(n, "list") && o->lists) {
		o->lists--;
		odt_list_close(o->ls);
	}
	else if ((!strcmp(n, "table-cell") || !strcmp(n, "covered-table-cell")) && o->tbl == 1 &&
		 o->cell_open) {
		o->cell_open = 0;
		if (o->ncells < ODT_MAX_CELLS)
			o->ncells++;
	} else if (!strcmp(n, "table-row") && o->tbl == 1) {
		size_t k = o->ncells;

		while (k && o->cells[k - 1].n == 0)
			k--;
		if (k)
			ox_row(o->ox, o->cells, k, o->row_no++ == 0);
	} else if (!strcmp(n, "table") && o->tbl && --o->tbl == 0)
		o->row_no = 0;
}

static void walk(struct odt *o, const char *part)
{
	struct ox_entry e;
	xmlTextReaderPtr r = ox_xml_open(o->ox, part, &e);
	int skip = 0;

	while (r && ox_xml_next(o->ox, r, skip)) {
		int type = xmlTextReaderNodeType(r);

		skip = 0;
		if (type == XML_READER_TYPE_ELEMENT)
			skip = start(o, r);
		else if (type == XML_READER_TYPE_END_ELEMENT)
			end(o, r);
		else if (type == XML_READER_TYPE_TEXT || type == XML_READER_TYPE_SIGNIFICANT_WHITESPACE) {
			const char *v = (const char *)xmlTextReaderConstValue(r);

			add(o, v, strlen(v));
		}
	}
	while (o->np)
		pbuf_free(&o->p[--o->np].b);
	while (o->lists--)
		odt_list_close(o->ls);
	o->overflow = o->lists = o->tbl = o->cell_open = o->row_no = 0;
	o->label[0] = '\0';
	ox_xml_close(r, &e);
}

/* 1 when the manifest says a part is encrypted. */
static int odt_encrypted(struct ox *ox)
{
	struct ox_entry e;
	xmlTextReaderPtr r = ox_xml_open(ox, "META-INF/manifest.xml", &e);
	int enc = 0;

	while (r && !enc && ox_xml_next(ox, r, 0))
		enc = ox_is(r, XML_READER_TYPE_ELEMENT, "encryption-data");
	ox_xml_close(r, &e);
	return enc;
}

int ox_is_odt(struct ox *ox)
{
	static const char want[] = "application/vnd.oasis.opendocument.text";
	char buf[sizeof want];
	struct ox_entry e;
	long got;

	if (ox_entry_open(ox, "mimetype", &e) < 0)
		return 0;
	got = ox_entry_read(&e, buf, sizeof want - 1);
	ox_entry_close(&e);
	return got == (long)sizeof want - 1 && memcmp(buf, want, sizeof want - 1) == 0;
}

void ox_odt(struct ox *ox)
{
	struct odt *o;

	if (odt_encrypted(ox)) {
		ox->err = ox->err ? ox->err : QUIRE_ENCRYPTED;
		return;
	}
	o = calloc(1, sizeof *o);
	if (!o) {
		ox->err = QUIRE_ERROR;
		return;
	}
	o->ox = ox;
	o->ls = odt_lists_new(ox);
	if (o->ls && ox_has_entry(ox, "styles.xml"))
		odt_lists_load(ox, o->ls, "styles.xml");
	if (o->ls)
		odt_lists_load(ox, o->ls, "content.xml");
	if (o->ls && !ox_page(ox)) {
		walk(o, "content.xml");
		if (!ox->err && ox_has_entry(ox, "styles.xml"))
			walk(o, "styles.xml");
		/* One level of embedded objects: their own objects are not read. */
		for (size_t i = 0, n = o->nobjects; i < n && !ox->err; i++)
			if (ox_has_entry(ox, o->objects[i]))
				walk(o, o->objects[i]);
	}
	odt_lists_free(o->ls);
	for (size_t i = 0; i < o->nobjects; i++)
		free(o->objects[i]);
	for (size_t i = 0; i < ODT_MAX_CELLS; i++)
		pbuf_free(&o->cells[i]);
	free(o);
}
