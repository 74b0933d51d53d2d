/* objects.c: what DOCX, XLSX and PPTX share beyond body text: one reader
 * of DrawingML objects (chart titles, series, categories and axis titles;
 * shapes and text boxes of a drawing part; SmartArt data) and one reader
 * of comment parts (legacy, threaded and modern comments with replies). */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdlib.h>
#include <string.h>

#include "ooxml.h"
#include "xml.h"
#include "walk.h"
#include "rels.h"
#include "objects.h"

/* Chart text: rich text (titles), string caches (series names and
 * categories, multi-level ones too), literal series names (c:tx/c:v) and
 * chartex string dimensions. Numbers (c:numCache) stay out. */
#define OX_CHART_SEEN 65536  /* bytes of category text remembered per chart */

/* 1 when s was already written for this chart (every series repeats the
 * categories); remembers it otherwise. */
static int seen(struct ox *ox, struct pbuf *b, const char *s)
{
	size_t n = strlen(s);

	for (size_t i = 0; i < b->n; i += strlen(b->p + i) + 1)
		if (strcmp(b->p + i, s) == 0)
			return 1;
	if (b->n + n + 1 <= OX_CHART_SEEN)
		ox_buf_add(ox, b, s, n + 1);
	return 0;
}

void ox_chart_text(struct ox *ox, const char *part)
{
	struct ox_entry e;
	xmlTextReaderPtr r = ox_xml_open(ox, part, &e);
	int str = 0, tx = 0, num = 0, in_v = 0, in_t = 0, cat = 0;
	struct pbuf cats = { 0 };

	while (r && ox_xml_next(ox, r, 0)) {
		int type = xmlTextReaderNodeType(r);
		const char *n = (const char *)xmlTextReaderConstLocalName(r);
		int empty = type == XML_READER_TYPE_ELEMENT && xmlTextReaderIsEmptyElement(r);

		if (type == XML_READER_TYPE_ELEMENT) {
			if (!strcmp(n, "strCache") || !strcmp(n, "multiLvlStrCache") || !strcmp(n, "strDim"))
				str += !empty;
			else if (!strcmp(n, "cat"))
				cat += !empty;
			else if (!strcmp(n, "tx") || !strcmp(n, "txData"))
				tx += !empty;
			else if (!strcmp(n, "numCache") || !strcmp(n, "numDim") || !strcmp(n, "numLit"))
				num += !empty;
			else if (!strcmp(n, "v") || (!strcmp(n, "pt") && str))
				in_v = (str > 0 || tx > 0) && !num && !empty;
			else if (!strcmp(n, "t"))
				in_t = !empty;
		} else if (type == XML_READER_TYPE_END_ELEMENT) {
			if (!strcmp(n, "strCache") || !strcmp(n, "multiLvlStrCache") || !strcmp(n, "strDim"))
				str -= str > 0;
			else if (!strcmp(n, "cat"))
				cat -= cat > 0;
			else if (!strcmp(n, "tx") || !strcmp(n, "txData"))
				tx -= tx > 0;
			else if (!strcmp(n, "numCache") || !strcmp(n, "numDim") || !strcmp(n, "numLit"))
				num -= num > 0;
			in_v = in_t = 0;
		} else if ((in_v || in_t) && type == XML_READER_TYPE_TEXT) {
			const char *v = (const char *)xmlTextReaderConstValue(r);

			if (!(cat && in_v && seen(ox, &cats, v)))
				ox_emit(ox, OX_PARA, 0, v, strlen(v));
		}
	}
	pbuf_free(&cats);
	ox_xml_close(r, &e);
}

void ox_objects(struct ox *ox, const struct ox_rels *rels, const struct ox_walk_opts *o)
{
	for (size_t i = 0; i < rels->n && !ox->err; i++) {
		const char *t = rels->v[i].type;

		if (strcmp(t, "diagramData") == 0)
			ox_walk_part(ox, rels->v[i].target, o);
		else if (strcmp(t, "chart") == 0 || strcmp(t, "chartEx") == 0) {
			struct ox_rels cr;
			const struct ox_rel *us;

			ox_chart_text(ox, rels->v[i].target);
			/* Text boxes drawn over the chart. */
			ox_rels_load(ox, rels->v[i].target, &cr);
			if ((us = ox_rels_type(&cr, "chartUserShapes", 0)) != NULL && !ox->err)
				ox_walk_part(ox, us->target, o);
			ox_rels_free(&cr);
		}
	}
}

void ox_drawing_part(struct ox *ox, const char *part)
{
	struct ox_walk_opts o = { 0 };
	struct ox_rels rels;

	if (ox->err)
		return;
	ox_walk_part(ox, part, &o);
	ox_rels_load(ox, part, &rels);
	ox_objects(ox, &rels, &o);
	ox_rels_free(&rels);
}

static int is_text(const char *n)
{
	return !strcmp(n, "t") || !strcmp(n, "text");
}

/* One paragraph per comment and per reply: text under t or text
 * elements, paragraphs of a comment joined by a line break. */
void ox_comments_part(struct ox *ox, const char *part)
{
	struct ox_entry e;
	xmlTextReaderPtr r = ox_xml_open(ox, part, &e);
	struct pbuf b = { 0 };
	int in = 0;

	while (r && ox_xml_next(ox, r, 0)) {
		int type = xmlTextReaderNodeType(r);
		const char *n = (const char *)xmlTextReaderConstLocalName(r);

		if (type == XML_READER_TYPE_ELEMENT && is_text(n) && !xmlTextReaderIsEmptyElement(r))
			in++;
		else if (type == XML_READER_TYPE_ELEMENT && (!strcmp(n, "rPh") || !strcmp(n, "mentions")))
			xmlTextReaderNext(r);
		else if (type == XML_READER_TYPE_END_ELEMENT && is_text(n))
			in -= in > 0;
		else if (type == XML_READER_TYPE_END_ELEMENT && !strcmp(n, "p") && b.n)
			ox_buf_add(ox, &b, "\n", 1);
		else if (type == XML_READER_TYPE_END_ELEMENT &&
			 (!strcmp(n, "comment") || !strcmp(n, "threadedComment") || !strcmp(n, "cm") ||
			  !strcmp(n, "reply") || !strcmp(n, "txBody"))) {
			if (ox_buf_trim(&b))
				ox_emit(ox, OX_PARA, 0, b.p, b.n);
			b.n = 0;
		} else if (in && (type == XML_READER_TYPE_TEXT ||
				  type == XML_READER_TYPE_SIGNIFICANT_WHITESPACE)) {
			const char *v = (const char *)xmlTextReaderConstValue(r);

			ox_buf_add(ox, &b, v, strlen(v));
		}
	}
	if (ox_buf_trim(&b))
		ox_emit(ox, OX_PARA, 0, b.p, b.n);
	pbuf_free(&b);
	ox_xml_close(r, &e);
}
