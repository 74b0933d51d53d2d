/* pptx.c: PresentationML: slides in sldIdLst order, each a page with its
 * title as a heading, its text frames, tables, SmartArt and chart text,
 * then its notes; the masters' footers once at the end. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdlib.h>
#include <string.h>

#include "ooxml.h"

#define OX_MAX_MASTERS 64

/* Category names, series names and titles of a chart part: the text
 * values (c:v under a string cache, a:t in rich text). */
static void chart_text(struct ox *ox, const char *part)
{
	struct ox_entry e;
	xmlTextReaderPtr r = ox_xml_open(ox, part, &e);
	int str = 0, in_v = 0, in_t = 0;

	while (r && ox_xml_next(ox, r, 0)) {
		int type = xmlTextReaderNodeType(r);

		if (ox_is(r, XML_READER_TYPE_ELEMENT, "strCache"))
			str++;
		else if (ox_is(r, XML_READER_TYPE_END_ELEMENT, "strCache"))
			str--;
		else if (ox_is(r, XML_READER_TYPE_ELEMENT, "v"))
			in_v = str > 0 && !xmlTextReaderIsEmptyElement(r);
		else if (ox_is(r, XML_READER_TYPE_ELEMENT, "t"))
			in_t = !xmlTextReaderIsEmptyElement(r);
		else if (type == XML_READER_TYPE_END_ELEMENT)
			in_v = in_t = 0;
		else if ((in_v || in_t) && type == XML_READER_TYPE_TEXT) {
			const char *v = (const char *)xmlTextReaderConstValue(r);

			ox_emit(ox, OX_PARA, 0, v, strlen(v));
		}
	}
	ox_xml_close(r, &e);
}

static void slide(struct ox *ox, const char *part, const char **masters, size_t *nmasters)
{
	struct ox_walk_opts o = { .pptx = 1 };
	struct ox_rels rels;
	const struct ox_rel *rel;

	if (ox_page(ox))
		return;
	ox_rels_load(ox, part, &rels);
	ox_walk_part(ox, part, &o);
	for (size_t i = 0; i < rels.n && !ox->err; i++) {
		if (strcmp(rels.v[i].type, "diagramData") == 0)
			ox_walk_part(ox, rels.v[i].target, &o);
		else if (strcmp(rels.v[i].type, "chart") == 0)
			chart_text(ox, rels.v[i].target);
	}
	rel = ox_rels_type(&rels, "notesSlide", 0);
	if (rel && !ox->err)
		ox_walk_part(ox, rel->target, &o);
	/* slide -> layout -> master; each master is read once at the end. */
	rel = ox_rels_type(&rels, "slideLayout", 0);
	if (rel && !ox->err) {
		struct ox_rels lr;
		const struct ox_rel *m;

		ox_rels_load(ox, rel->target, &lr);
		m = ox_rels_type(&lr, "slideMaster", 0);
		if (m) {
			size_t k = 0;

			while (k < *nmasters && strcmp(masters[k], m->target))
				k++;
			if (k == *nmasters && k < OX_MAX_MASTERS)
				masters[(*nmasters)++] = strdup(m->target);
		}
		ox_rels_free(&lr);
	}
	ox_rels_free(&rels);
}

void ox_pptx(struct ox *ox, const char *main_part)
{
	const unsigned max_pages = ox->host->limits->max_pages;
	const char *masters[OX_MAX_MASTERS];
	size_t nmasters = 0;
	struct ox_rels rels;
	struct ox_entry e;
	xmlTextReaderPtr r;
	struct ox_walk_opts mo = { .pptx = 1, .skip_master_prompts = 1 };

	ox_rels_load(ox, main_part, &rels);
	if (ox_over_page_cap(ox, &rels, "slide")) {
		ox_rels_free(&rels);
		return;
	}
	r = ox_xml_open(ox, main_part, &e);
	while (r && ox_xml_next(ox, r, 0)) {
		if (ox_is(r, XML_READER_TYPE_ELEMENT, "sldId")) {
			char *id = ox_attr(r, "id");
			const struct ox_rel *rel;

			/* The r:id attribute; "id" is also the slide's number. */
			xmlFree(id);
			id = (char *)xmlTextReaderGetAttributeNs(r, BAD_CAST "id",
				BAD_CAST "http://schemas.openxmlformats.org/officeDocument/2006/relationships");
			rel = ox_rels_id(&rels, id);
			xmlFree(id);
			if (!rel)
				continue;
			if (max_pages && ox->page >= max_pages) {
				ox->err = QUIRE_TOO_LARGE;
				break;
			}
			slide(ox, rel->target, masters, &nmasters);
		}
	}
	ox_xml_close(r, &e);
	for (size_t i = 0; i < nmasters; i++) {
		if (!ox->err)
			ox_walk_part(ox, masters[i], &mo);
		free((char *)masters[i]);
	}
	ox_rels_free(&rels);
}
