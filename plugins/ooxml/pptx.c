/* pptx.c: PresentationML: slides in sldIdLst order, each a page with its
 * title as a heading, its text frames, tables, SmartArt and chart text,
 * then its notes and comments; the free text and footers of the layouts
 * and masters once at the end, and the handout master. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdlib.h>
#include <string.h>

#include "ooxml.h"
#include "xml.h"
#include "walk.h"
#include "rels.h"
#include "pptx.h"
#include "objects.h"
#include "embed.h"

#define OX_MAX_MASTERS 64

/* Remember part (a layout or master, read once at the end); at most
 * OX_MAX_MASTERS of each. */
static void remember(const char **v, size_t *n, const char *part)
{
	size_t k = 0;

	while (k < *n && strcmp(v[k], part))
		k++;
	if (k == *n && k < OX_MAX_MASTERS && (v[k] = strdup(part)) != NULL)
		(*n)++;
}

static void slide(struct ox *ox, const char *part, const char **masters, size_t *nmasters,
		  const char **layouts, size_t *nlayouts)
{
	struct ox_walk_opts o = { .pptx = 1 };
	struct ox_rels rels;
	const struct ox_rel *rel;

	if (ox_page(ox))
		return;
	ox_rels_load(ox, part, &rels);
	ox_walk_part(ox, part, &o);
	ox_objects(ox, &rels, &o);
	ox_embedded(ox, &rels);
	rel = ox_rels_type(&rels, "notesSlide", 0);
	if (rel && !ox->err)
		ox_walk_part(ox, rel->target, &o);
	/* Legacy comments and modern (threaded) ones share the type name. */
	for (size_t i = 0; (rel = ox_rels_type(&rels, "comments", i)) && !ox->err;
	     i = (size_t)(rel - rels.v) + 1)
		ox_comments_part(ox, rel->target);
	/* slide -> layout -> master; each master is read once at the end. */
	rel = ox_rels_type(&rels, "slideLayout", 0);
	if (rel && !ox->err) {
		struct ox_rels lr;
		const struct ox_rel *m;

		remember(layouts, nlayouts, rel->target);
		ox_rels_load(ox, rel->target, &lr);
		m = ox_rels_type(&lr, "slideMaster", 0);
		if (m)
			remember(masters, nmasters, m->target);
		ox_rels_free(&lr);
	}
	ox_rels_free(&rels);
}

void ox_pptx(struct ox *ox, const char *main_part)
{
	const unsigned max_pages = ox->host->limits->max_pages;
	const char *masters[OX_MAX_MASTERS], *layouts[OX_MAX_MASTERS];
	size_t nmasters = 0, nlayouts = 0;
	const struct ox_rel *hm;
	struct ox_rels rels;
	struct ox_entry e;
	xmlTextReaderPtr r;
	struct ox_walk_opts mo = { .pptx = 1, .skip_master_prompts = 1 };
	int listed = 0;   /* presentation.xml lists its slides */

	ox_rels_load(ox, main_part, &rels);
	if (ox_over_page_cap(ox, &rels, "slide")) {
		ox_rels_free(&rels);
		return;
	}
	r = ox_xml_open(ox, main_part, &e);
	while (r && ox_xml_next(ox, r, 0)) {
		if (ox_is(r, XML_READER_TYPE_ELEMENT, "sldId")) {
			listed = 1;
			char *id = ox_attr(r, "id");
			const struct ox_rel *rel;

			/* The r:id attribute; "id" is also the slide's number. */
			xmlFree(id);
			id = ox_attr_rid(r);
			rel = ox_rels_id(&rels, id);
			xmlFree(id);
			if (!rel)
				continue;
			if (max_pages && ox->page >= max_pages) {
				ox->err = QUIRE_TOO_LARGE;
				break;
			}
			slide(ox, rel->target, masters, &nmasters, layouts, &nlayouts);
		}
	}
	ox_xml_close(r, &e);
	/* No slide list (generators that write only the relationships): the
	 * slides in the order of their relationships. */
	for (size_t i = 0; !listed && i < rels.n && !ox->err; i++) {
		if (strcmp(rels.v[i].type, "slide") != 0)
			continue;
		if (max_pages && ox->page >= max_pages) {
			ox->err = QUIRE_TOO_LARGE;
			break;
		}
		slide(ox, rels.v[i].target, masters, &nmasters, layouts, &nlayouts);
	}
	/* What a reader sees that no slide holds: the free text of layouts
	 * and masters (never their prompts), then the handout master. */
	for (size_t i = 0; i < nlayouts; i++) {
		if (!ox->err)
			ox_walk_part(ox, layouts[i], &mo);
		free((char *)layouts[i]);
	}
	for (size_t i = 0; i < nmasters; i++) {
		if (!ox->err)
			ox_walk_part(ox, masters[i], &mo);
		free((char *)masters[i]);
	}
	hm = ox_rels_type(&rels, "handoutMaster", 0);
	if (hm && !ox->err)
		ox_walk_part(ox, hm->target, &mo);
	ox_rels_free(&rels);
}
