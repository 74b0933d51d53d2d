/* odt.c: OpenDocument text, spreadsheets and presentations (content.xml,
 * then the master pages' headers and footers in styles.xml, then embedded
 * objects one level deep): headings, paragraphs, list items, table rows,
 * notes, annotations, frame titles; each sheet a page headed by its name,
 * each slide a page. Tracked deletions are left out. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdlib.h>
#include <string.h>

#include "ooxml.h"
#include "zipguard.h"
#include "xml.h"
#include "odtlist.h"
#include "odt.h"
#include "../common/embed.h"

#define ODT_MAX_NEST 16
#define ODT_MAX_CELLS 1024
#define ODT_MAX_OBJECTS 16
#define ODT_MAX_DELETIONS 256   /* tracked deletions marked inline that are followed */

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
	unsigned repeat;       /* the open cell's number-columns-repeated */
	char *objects[ODT_MAX_OBJECTS];
	size_t nobjects;
	struct odt_lists *ls;
	int pages;             /* sheets and slides begun: the first is page 1 */
	int spreadsheet;       /* in office:spreadsheet: its tables are sheets */
	int masters;           /* in office:master-styles */
	int parted;            /* a margin part was marked (host->part) */
	int in_tc;             /* in text:tracked-changes */
	char *region;          /* the changed-region being read there */
	char *deleted[ODT_MAX_DELETIONS];   /* ids of the regions that are deletions */
	size_t ndeleted;
	char *in_del;          /* in the text between a deletion's change-start and change-end */
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
	if (o->masters && ox_buf_trim(&p->b) && ox_lo_prompt(&p->b))
		p->b.n = 0;
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
	if (o->np > 0 && !o->in_del)
		ox_buf_add(o->ox, &o->p[o->np - 1].b, s, n);
}

/* A sheet (a table at the top of office:spreadsheet) or a slide
 * (draw:page) begins: a page of its own after the first, a sheet headed by
 * its name as XLSX sheets are. */
static void new_page(struct odt *o, xmlTextReaderPtr r, int sheet)
{
	char *name = sheet ? ox_attr(r, "name") : NULL;

	if (o->pages++ && ox_page(o->ox)) {
		xmlFree(name);
		return;
	}
	if (name && *name)
		ox_emit(o->ox, OX_HEADING, 1, name, strlen(name));
	xmlFree(name);
}

/* A cell ends: spreadsheets write a run of equal cells once, with
 * number-columns-repeated; each copy takes its column (up to the row's
 * cap; empty runs to the end of a row are trimmed with the row). */
static void cell_done(struct odt *o)
{
	size_t at = o->ncells;

	for (unsigned k = 0; k < o->repeat && o->ncells < ODT_MAX_CELLS && !o->ox->err; k++) {
		if (k && o->cells[at].n) {
			o->cells[o->ncells].n = 0;
			ox_buf_add(o->ox, &o->cells[o->ncells], o->cells[at].p, o->cells[at].n);
		}
		o->ncells++;
	}
	o->repeat = 1;
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

/* Tracked changes. A deletion's text is kept in text:tracked-changes and
 * marked by a text:change point, or (as LibreOffice also writes it) left
 * in the paragraph between text:change-start and text:change-end of a
 * region whose change is a deletion: then that text is not read. Returns
 * 1 when the element is one of these (2: skip its subtree). */
static int change(struct odt *o, xmlTextReaderPtr r, const char *n)
{
	if (!strcmp(n, "tracked-changes")) {
		o->in_tc = !xmlTextReaderIsEmptyElement(r);
		return 1;
	}
	if (o->in_tc && !strcmp(n, "changed-region")) {
		xmlFree(o->region);
		o->region = ox_attr(r, "id");
		return 1;
	}
	if (o->in_tc && !strcmp(n, "deletion")) {
		if (o->region && o->ndeleted < ODT_MAX_DELETIONS) {
			o->deleted[o->ndeleted++] = o->region;
			o->region = NULL;
		}
		return 2;
	}
	if (o->in_tc)
		return 2;   /* insertions and format changes: their change-info */
	if (!strcmp(n, "change-start") && !o->in_del) {
		char *id = ox_attr(r, "change-id");

		for (size_t i = 0; id && i < o->ndeleted && !o->in_del; i++)
			if (!strcmp(o->deleted[i], id))
				o->in_del = o->deleted[i];
		xmlFree(id);
		return 1;
	}
	if (!strcmp(n, "change-end") && o->in_del) {
		char *id = ox_attr(r, "change-id");

		if (id && !strcmp(id, o->in_del))
			o->in_del = NULL;
		xmlFree(id);
		return 1;
	}
	return 0;
}

/* Returns 1 when the subtree is to be skipped. */
/* A master page's header or footer (style:header, header-left,
 * header-first and the footers alike). */
static int margin(const char *n)
{
	static const char *const v[] = { "header", "header-left", "header-first", "footer",
		"footer-left", "footer-first", NULL };
	for (const char *const *p = v; *p; p++)
		if (!strcmp(n, *p))
			return 1;
	return 0;
}

static int start(struct odt *o, xmlTextReaderPtr r)
{
	const char *n = (const char *)xmlTextReaderConstLocalName(r);
	int empty = xmlTextReaderIsEmptyElement(r);

	/* text:number caches a list item's rendered label: ours is there. */
	if (!strcmp(n, "number") && o->np && o->p[o->np - 1].labelled)
		return 1;
	int ch = n[0] == 't' || n[0] == 'c' || n[0] == 'd' || o->in_tc ? change(o, r, n) : 0;

	if (ch)
		return ch == 2;
	if (!strcmp(n, "note-citation") || !strcmp(n, "creator") ||
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
	else if (!strcmp(n, "table") && !empty) {
		if (!o->tbl && !o->np && o->spreadsheet && xmlTextReaderDepth(r) == 3)
			new_page(o, r, 1);
		o->tbl++;
	} else if (!strcmp(n, "page") && !o->np && !o->tbl)
		new_page(o, r, 0);
	else if (!strcmp(n, "spreadsheet"))
		o->spreadsheet = 1;
	else if (!strcmp(n, "master-styles"))
		o->masters = !empty;
	else if (o->masters && !empty && margin(n)) {
		o->parted = 1;
		if (pc_part(o->ox->host, n[0] == 'h' ? "header" : "footer"))
			o->ox->err = QUIRE_TOO_LARGE;
	} else if (!strcmp(n, "table-row") && o->tbl == 1) {
		for (size_t i = 0; i < o->ncells && i < ODT_MAX_CELLS; i++)
			o->cells[i].n = 0;
		o->ncells = 0;
	} else if ((!strcmp(n, "table-cell") || !strcmp(n, "covered-table-cell")) && o->tbl == 1) {
		char *rp = ox_attr(r, "number-columns-repeated");

		o->repeat = rp && atoi(rp) > 1 ? (unsigned)atoi(rp) : 1;
		xmlFree(rp);
		o->cell_open = !empty;
		if (empty)
			cell_done(o);
	} else if (!strcmp(n, "object"))
		note_object(o, r);
	if (empty && (!strcmp(n, "h") || !strcmp(n, "p") || !strcmp(n, "title") || !strcmp(n, "desc")))
		pop(o);
	return 0;
}

static void end(struct odt *o, xmlTextReaderPtr r)
{
	const char *n = (const char *)xmlTextReaderConstLocalName(r);

	if (o->in_tc && !strcmp(n, "tracked-changes"))
		o->in_tc = 0;
	else if (!strcmp(n, "master-styles"))
		o->masters = 0;

	if (!strcmp(n, "h") || !strcmp(n, "p") || !strcmp(n, "title") || !strcmp(n, "desc"))
		pop(o);
	else if (!strcmp(n, "list") && o->lists) {
		o->lists--;
		odt_list_close(o->ls);
	}
	else if ((!strcmp(n, "table-cell") || !strcmp(n, "covered-table-cell")) && o->tbl == 1 &&
		 o->cell_open) {
		o->cell_open = 0;
		cell_done(o);
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
	o->overflow = o->lists = o->tbl = o->cell_open = o->row_no = o->in_tc = o->masters = 0;
	o->in_del = NULL;
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
	/* Text, spreadsheets, presentations and drawings, their templates
	 * and master documents: one body of text:p, table:table and
	 * draw:frame; formulas, charts and databases are not documents. */
	static const char base[] = "application/vnd.oasis.opendocument.";
	static const char *const kinds[] = { "text", "spreadsheet", "presentation", "graphics" };
	char buf[80];
	struct ox_entry e;
	long got;

	if (ox_entry_open(ox, "mimetype", &e) < 0)
		return 0;
	got = ox_entry_read(&e, buf, sizeof buf - 1);
	ox_entry_close(&e);
	if (got < (long)sizeof base - 1 || memcmp(buf, base, sizeof base - 1) != 0)
		return 0;
	buf[got] = '\0';
	for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
		if (strncmp(buf + sizeof base - 1, kinds[i], strlen(kinds[i])) == 0)
			return 1;
	return 0;
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
		if (o->parted && !ox->err && pc_part(ox->host, "body"))
			ox->err = QUIRE_TOO_LARGE;
		/* One level of embedded objects: their own objects are not read. */
		for (size_t i = 0, n = o->nobjects; i < n && !ox->err; i++)
			if (ox_has_entry(ox, o->objects[i]))
				walk(o, o->objects[i]);
	}
	odt_lists_free(o->ls);
	for (size_t i = 0; i < o->ndeleted; i++)
		xmlFree(o->deleted[i]);
	xmlFree(o->region);
	for (size_t i = 0; i < o->nobjects; i++)
		free(o->objects[i]);
	for (size_t i = 0; i < ODT_MAX_CELLS; i++)
		pbuf_free(&o->cells[i]);
	free(o);
}
