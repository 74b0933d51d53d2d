/* walk.c: one walker for the text of WordprocessingML (w:p, w:t, w:tbl)
 * and DrawingML (a:p, a:t, a:tbl): document bodies, headers, notes,
 * comments, slides, SmartArt data. */
#include <stdlib.h>
#include <string.h>

#include "ooxml.h"

#define OX_MAX_NEST 16     /* paragraphs inside text boxes inside paragraphs */
#define OX_MAX_CELLS 1024  /* cells kept per table row; more join the last */

struct para {
	struct ox_buf b;
	unsigned heading, list;
};

struct walk {
	struct ox *ox;
	const struct ox_walk_opts *o;
	struct para p[OX_MAX_NEST];
	int np, in_t, overflow;
	int tbl, cell_open, row_no;
	struct ox_buf cells[OX_MAX_CELLS];
	size_t ncells;
	int sp_title, sp_skip;
};

/* Elements whose subtree holds nothing to read: tracked deletions, field
 * instructions (INCLUDEPICTURE "http://..." stays unread), the fallback
 * copy of alternate content, content-control properties, tab stops. */
static int skipped(const char *n)
{
	static const char *const skip[] = { "del", "delText", "instrText", "delInstrText",
		"moveFrom", "Fallback", "sdtPr", "tabs", "rPr", "bodyPr", "lstStyle", "extLst",
		"spPr", "style", NULL };

	for (const char *const *s = skip; *s; s++)
		if (strcmp(n, *s) == 0)
			return 1;
	return 0;
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

static struct ox_buf *cell(struct walk *w)
{
	return &w->cells[w->ncells < OX_MAX_CELLS ? w->ncells : OX_MAX_CELLS - 1];
}

static void para_end(struct walk *w)
{
	struct para *p = &w->p[--w->np];

	if (ox_buf_trim(&p->b) && !w->ox->err) {
		if (w->tbl && w->cell_open) {
			struct ox_buf *c = cell(w);

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
	ox_buf_free(&p->b);
	p->heading = p->list = 0;
}

static void add(struct walk *w, const char *s, size_t n)
{
	if (w->np > 0 && !w->sp_skip)
		ox_buf_add(w->ox, &w->p[w->np - 1].b, s, n);
}

static int text_ns(xmlTextReaderPtr r)
{
	const char *ns = (const char *)xmlTextReaderConstNamespaceUri(r);

	return ns && !strstr(ns, "diagram");
}

/* A placeholder shape on a slide (title) or a master (only footers, dates
 * and headers are read: the rest are prompts such as "Click to edit"). */
static void placeholder(struct walk *w, xmlTextReaderPtr r)
{
	char *type = ox_attr(r, "type");

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

static void paragraph_props(struct walk *w, xmlTextReaderPtr r, const char *n)
{
	struct para *p = &w->p[w->np - 1];
	char *val = ox_attr(r, "val");

	if (strcmp(n, "pStyle") == 0 && val)
		p->heading = style_level(w, val);
	else if (strcmp(n, "ilvl") == 0 && val)
		p->list = (unsigned)atoi(val) + 1 > 9 ? 9 : (unsigned)atoi(val) + 1;
	else if (strcmp(n, "numId") == 0 && val && !p->list)
		p->list = strcmp(val, "0") ? 1 : 0;
	else if (strcmp(n, "numId") == 0 && val && strcmp(val, "0") == 0)
		p->list = 0;
	xmlFree(val);
}

/* Returns 1 when the element's subtree is to be skipped. */
static int element(struct walk *w, xmlTextReaderPtr r)
{
	const char *n = (const char *)xmlTextReaderConstLocalName(r);
	int empty = xmlTextReaderIsEmptyElement(r);

	if (skipped(n))
		return 1;
	if (strcmp(n, "p") == 0) {
		if (w->np < OX_MAX_NEST) {
			memset(&w->p[w->np], 0, sizeof w->p[0]);
			w->np++;
			if (empty)
				para_end(w);
		} else if (!empty)
			w->overflow++;
	} else if (strcmp(n, "t") == 0 && text_ns(r))
		w->in_t = !empty;
	else if (w->np && (strcmp(n, "pStyle") == 0 || strcmp(n, "ilvl") == 0 || strcmp(n, "numId") == 0))
		paragraph_props(w, r, n);
	else if (strcmp(n, "tab") == 0 || strcmp(n, "ptab") == 0)
		add(w, "\t", 1);
	else if (strcmp(n, "br") == 0 || strcmp(n, "cr") == 0)
		add(w, "\n", 1);
	else if (strcmp(n, "noBreakHyphen") == 0)
		add(w, "-", 1);
	else if (strcmp(n, "tbl") == 0 && !empty)
		w->tbl++;
	else if (strcmp(n, "tr") == 0 && w->tbl == 1) {
		for (size_t i = 0; i < w->ncells && i < OX_MAX_CELLS; i++)
			w->cells[i].n = 0;
		w->ncells = 0;
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
		placeholder(w, r);
	return 0;
}

static void element_end(struct walk *w, xmlTextReaderPtr r)
{
	const char *n = (const char *)xmlTextReaderConstLocalName(r);

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
		if (k)
			ox_row(w->ox, w->cells, w->ncells, w->row_no++ == 0);
	} else if (strcmp(n, "tbl") == 0 && w->tbl > 0) {
		if (--w->tbl == 0)
			w->row_no = 0;
	} else if (strcmp(n, "sp") == 0 && w->o->pptx)
		w->sp_title = w->sp_skip = 0;
}

void ox_walk_part(struct ox *ox, const char *part, const struct ox_walk_opts *o)
{
	struct walk *w = calloc(1, sizeof *w);
	struct ox_entry e;
	xmlTextReaderPtr r;
	int skip = 0;

	if (!w) {
		ox->err = QUIRE_ERROR;
		return;
	}
	w->ox = ox;
	w->o = o;
	r = ox_xml_open(ox, part, &e);
	while (r && ox_xml_next(ox, r, skip)) {
		int type = xmlTextReaderNodeType(r);

		skip = 0;
		if (type == XML_READER_TYPE_ELEMENT)
			skip = element(w, r);
		else if (type == XML_READER_TYPE_END_ELEMENT)
			element_end(w, r);
		else if (w->in_t && (type == XML_READER_TYPE_TEXT || type == XML_READER_TYPE_CDATA ||
				     type == XML_READER_TYPE_SIGNIFICANT_WHITESPACE ||
				     type == XML_READER_TYPE_WHITESPACE)) {
			const char *v = (const char *)xmlTextReaderConstValue(r);

			if (v)
				add(w, v, strlen(v));
		}
	}
	while (w->np > 0)
		ox_buf_free(&w->p[--w->np].b);
	for (size_t i = 0; i < OX_MAX_CELLS; i++)
		ox_buf_free(&w->cells[i]);
	ox_xml_close(r, &e);
	free(w);
}
