/* docx.c: WordprocessingML: the body, then headers, footers, footnotes,
 * endnotes, comments and the glossary, each part through the walker, then
 * charts and SmartArt text; list labels from numbering.xml. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "ooxml.h"
#include "xml.h"
#include "walk.h"
#include "rels.h"
#include "objects.h"
#include "numbering.h"
#include "embed.h"
#include "../common/embed.h"
#include "docx.h"

#define OX_MAX_STYLES 4096

struct styles {
	char *id[OX_MAX_STYLES];
	unsigned char level[OX_MAX_STYLES];
	size_t n;
};

/* "heading 3" -> 3, "Title" -> 1, otherwise 0. */
static unsigned name_level(const char *name)
{
	if (strcasecmp(name, "title") == 0)
		return 1;
	if (strncasecmp(name, "heading ", 8) == 0 && name[8] >= '1' && name[8] <= '9' && !name[9])
		return name[8] > '6' ? 6 : (unsigned)(name[8] - '0');
	return 0;
}

/* Paragraph styles that are headings, by their name or outline level (the
 * ids are localised: "berschrift1", "Titre1"). */
static void load_styles(struct ox *ox, const char *part, struct styles *st,
			struct ox_numbering *nb)
{
	struct ox_entry e;
	xmlTextReaderPtr r = ox_xml_open(ox, part, &e);
	char *id = NULL;
	unsigned level = 0;
	int num = -1, ilvl = -1;

	while (r && ox_xml_next(ox, r, 0)) {
		int type = xmlTextReaderNodeType(r);

		if (ox_is(r, XML_READER_TYPE_ELEMENT, "style")) {
			xmlFree(id);
			id = ox_attr(r, "styleId");
			level = 0;
			num = ilvl = -1;
		} else if (id && ox_is(r, XML_READER_TYPE_ELEMENT, "basedOn")) {
			char *v = ox_attr(r, "val");

			ox_num_based(nb, id, v);
			xmlFree(v);
		} else if (id && (ox_is(r, XML_READER_TYPE_ELEMENT, "numId") ||
				  ox_is(r, XML_READER_TYPE_ELEMENT, "ilvl"))) {
			char *v = ox_attr(r, "val");

			if (v && xmlTextReaderConstLocalName(r)[0] == 'n')
				num = atoi(v);
			else if (v)
				ilvl = atoi(v);
			xmlFree(v);
		} else if (id && (ox_is(r, XML_READER_TYPE_ELEMENT, "name") ||
				  ox_is(r, XML_READER_TYPE_ELEMENT, "outlineLvl"))) {
			char *v = ox_attr(r, "val");

			if (v && xmlTextReaderConstLocalName(r)[0] == 'n')
				level = name_level(v);
			else if (v && !level && isdigit((unsigned char)v[0]) && atoi(v) < 6)
				level = (unsigned)atoi(v) + 1;
			xmlFree(v);
		} else if (type == XML_READER_TYPE_END_ELEMENT && ox_is(r, type, "style")) {
			if (id && level && st->n < OX_MAX_STYLES) {
				st->id[st->n] = strdup(id);
				st->level[st->n++] = (unsigned char)level;
			}
			if (id && num >= 0)
				ox_num_style(nb, id, num, ilvl);
			xmlFree(id);
			id = NULL;
		}
	}
	xmlFree(id);
	ox_xml_close(r, &e);
}

void ox_docx(struct ox *ox, const char *main_part)
{
	/* The glossary holds the building blocks a content control shows as
	 * its placeholder ("Click or tap to enter a date."). */
	static const char *const order[] = { "header", "footer", "footnotes", "endnotes", "comments",
		"glossaryDocument", NULL };
	static const char *const part_name[] = { "header", "footer", "footnotes", "endnotes",
		"comments", "glossary" };
	struct styles *st = calloc(1, sizeof *st);
	struct ox_rels rels;
	struct ox_walk_opts o = { 0 };
	const struct ox_rel *rel;

	if (!st) {
		ox->err = QUIRE_ERROR;
		return;
	}
	ox_rels_load(ox, main_part, &rels);
	rel = ox_rels_type(&rels, "numbering", 0);
	o.num = ox_num_load(ox, rel ? rel->target : NULL);
	rel = ox_rels_type(&rels, "styles", 0);
	if (rel)
		load_styles(ox, rel->target, st, o.num);
	o.styles_id = (const char *const *)st->id;
	o.styles_level = st->level;
	o.nstyles = st->n;
	if (!ox->err)
		ox_page(ox);
	o.rels = &rels;
	ox_walk_part(ox, main_part, &o);
	o.rels = NULL;
	/* Heading styles do not apply in notes and margins, and the body's
	 * last heading does not hold over them: each kind is marked as a part. */
	o.nstyles = 0;
	int parted = 0;
	for (size_t k = 0; order[k] && !ox->err; k++)
		for (size_t i = 0; (rel = ox_rels_type(&rels, order[k], i)) != NULL && !ox->err;
		     i = (size_t)(rel - rels.v) + 1) {
			if (parted != (int)k + 1) {
				if (pc_part(ox->host, part_name[k]))
					ox->err = QUIRE_TOO_LARGE;
				parted = (int)k + 1;
			}
			ox_walk_part(ox, rel->target, &o);
		}
	if (parted && !ox->err && pc_part(ox->host, "body"))
		ox->err = QUIRE_TOO_LARGE;
	/* Charts and SmartArt, as in slides and sheets. */
	ox_objects(ox, &rels, &o);
	ox_embedded(ox, &rels);
	ox_rels_free(&rels);
	ox_num_free(o.num);
	for (size_t i = 0; i < st->n; i++)
		free(st->id[i]);
	free(st);
}
