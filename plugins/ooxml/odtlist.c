/* odtlist.c: OpenDocument list labels: text:list-style levels (number
 * formats, prefixes, suffixes, start values, levels shown, bullets) and
 * the counting of list items, restarts and continued lists. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ooxml.h"
#include "xml.h"
#include "odtlist.h"
#include "../common/listnum.h"

#define OL_LEVELS 10
#define OL_MAX_STYLES 1024
#define OL_MAX_DEPTH 64

struct olevel {
	int bullet, start, show;
	char fmt[8], prefix[16], suffix[16], bullet_char[8];
};

struct ostyle {
	char *name;
	struct olevel l[OL_LEVELS];
};

struct odt_lists {
	struct ostyle *s;
	size_t ns;
	int style[OL_MAX_DEPTH];   /* style index of each open list, -1 none */
	int depth;
	int v[OL_LEVELS];
	unsigned char seen[OL_LEVELS];
	int ov[OL_LEVELS];               /* heading outline numbering */
	unsigned char oseen[OL_LEVELS];
};

#define OL_OUTLINE "\x01outline"   /* text:outline-style, kept as a list style */

struct odt_lists *odt_lists_new(struct ox *ox)
{
	struct odt_lists *ls = calloc(1, sizeof *ls);

	if (!ls)
		ox->err = QUIRE_ERROR;
	return ls;
}

void odt_lists_free(struct odt_lists *ls)
{
	for (size_t i = 0; ls && i < ls->ns; i++)
		free(ls->s[i].name);
	if (ls)
		free(ls->s);
	free(ls);
}

static void attr_copy(xmlTextReaderPtr r, const char *name, char *out, size_t n)
{
	char *v = ox_attr(r, name);

	if (v)
		snprintf(out, n, "%s", v);
	xmlFree(v);
}

static void level_of(xmlTextReaderPtr r, struct ostyle *st)
{
	char *lv = ox_attr(r, "level"), *v;
	int i = lv ? atoi(lv) - 1 : 0;
	struct olevel *l;

	xmlFree(lv);
	if (i < 0 || i >= OL_LEVELS)
		return;
	l = &st->l[i];
	memset(l, 0, sizeof *l);
	l->start = 1;
	l->show = 1;
	l->bullet = strcmp((const char *)xmlTextReaderConstLocalName(r), "list-level-style-bullet") == 0;
	attr_copy(r, "num-format", l->fmt, sizeof l->fmt);
	attr_copy(r, "num-prefix", l->prefix, sizeof l->prefix);
	attr_copy(r, "num-suffix", l->suffix, sizeof l->suffix);
	attr_copy(r, "bullet-char", l->bullet_char, sizeof l->bullet_char);
	if ((v = ox_attr(r, "start-value")))
		l->start = atoi(v);
	xmlFree(v);
	if ((v = ox_attr(r, "display-levels")))
		l->show = atoi(v) < 1 ? 1 : atoi(v) > OL_LEVELS ? OL_LEVELS : atoi(v);
	xmlFree(v);
}

void odt_lists_load(struct ox *ox, struct odt_lists *ls, const char *part)
{
	struct ox_entry e;
	xmlTextReaderPtr r = ox_xml_open(ox, part, &e);
	struct ostyle *cur = NULL;

	while (r && ox_xml_next(ox, r, 0)) {
		if ((ox_is(r, XML_READER_TYPE_ELEMENT, "list-style") ||
		     ox_is(r, XML_READER_TYPE_ELEMENT, "outline-style")) &&
		    !xmlTextReaderIsEmptyElement(r) && ls->ns < OL_MAX_STYLES) {
			struct ostyle *s = realloc(ls->s, (ls->ns + 1) * sizeof *s);
			char *name = xmlTextReaderConstLocalName(r)[0] == 'o' ?
				(char *)xmlStrdup(BAD_CAST OL_OUTLINE) : ox_attr(r, "name");

			cur = NULL;
			if (s && name) {
				ls->s = s;
				cur = &s[ls->ns++];
				memset(cur, 0, sizeof *cur);
				cur->name = strdup(name);
			} else if (s)
				ls->s = s;
			xmlFree(name);
		} else if (ox_is(r, XML_READER_TYPE_END_ELEMENT, "list-style") ||
			   ox_is(r, XML_READER_TYPE_END_ELEMENT, "outline-style"))
			cur = NULL;
		else if (cur && (ox_is(r, XML_READER_TYPE_ELEMENT, "list-level-style-number") ||
				 ox_is(r, XML_READER_TYPE_ELEMENT, "outline-level-style") ||
				 ox_is(r, XML_READER_TYPE_ELEMENT, "list-level-style-bullet")))
			level_of(r, cur);
	}
	ox_xml_close(r, &e);
}

static int find(const struct odt_lists *ls, const char *name)
{
	for (size_t i = ls->ns; name && i > 0; i--)
		if (ls->s[i - 1].name && strcmp(ls->s[i - 1].name, name) == 0)
			return (int)i - 1;
	return -1;
}

void odt_list_open(struct odt_lists *ls, const char *style, int cont)
{
	int s = find(ls, style);

	if (ls->depth == 0 && !cont)
		memset(ls->seen, 0, sizeof ls->seen);
	if (s < 0 && ls->depth > 0 && ls->depth <= OL_MAX_DEPTH)
		s = ls->style[ls->depth - 1];
	if (ls->depth < OL_MAX_DEPTH)
		ls->style[ls->depth] = s;
	ls->depth++;
}

void odt_list_close(struct odt_lists *ls)
{
	if (ls->depth > 0)
		ls->depth--;
}

/* style:num-format "1", "i", "I", "a", "A" or "" (no number). */
static void number(int v, const char *fmt, char *out, size_t n)
{
	enum pc_num_style style = fmt[0] == 'i' ? PC_NUM_ROMAN_LOWER : fmt[0] == 'I' ? PC_NUM_ROMAN_UPPER :
				  fmt[0] == 'a' ? PC_NUM_LETTER_LOWER : fmt[0] == 'A' ? PC_NUM_LETTER_UPPER :
				  fmt[0] == '\0' ? PC_NUM_NONE : PC_NUM_DECIMAL;

	pc_list_number(v, style, out, n);
}

/* The label of level d of style st: its prefix, the numbers of the levels
 * it shows (v where seen, else their start values), joined by ".", and
 * its suffix. */
static size_t compose(const struct ostyle *st, int d, const int *v, const unsigned char *seen,
		      char *out, size_t n)
{
	const struct olevel *l = &st->l[d];
	size_t k;

	snprintf(out, n, "%s", l->prefix);
	for (int j = d - l->show + 1 < 0 ? 0 : d - l->show + 1; j <= d; j++) {
		const struct olevel *lj = &st->l[j];
		char part[32];

		number(seen[j] ? v[j] : lj->start, lj->fmt[0] ? lj->fmt : "1", part, sizeof part);
		k = strlen(out);
		snprintf(out + k, n - k, "%s%s", part, j < d ? "." : "");
	}
	k = strlen(out);
	snprintf(out + k, n - k, "%s", l->suffix);
	return strlen(out);
}

size_t odt_list_item(struct odt_lists *ls, int start, char *out, size_t n)
{
	int d = ls->depth - 1, s;
	const struct olevel *l;

	out[0] = '\0';
	if (d < 0 || d >= OL_LEVELS || d >= OL_MAX_DEPTH)
		return 0;
	s = ls->style[d];
	if (s < 0)
		return 0;
	l = &ls->s[s].l[d];
	ls->v[d] = start > 0 ? start : ls->seen[d] ? ls->v[d] + 1 : l->start;
	ls->seen[d] = 1;
	for (int j = d + 1; j < OL_LEVELS; j++)
		ls->seen[j] = 0;
	if (l->bullet) {
		snprintf(out, n, "%s", l->bullet_char[0] ? l->bullet_char : "\xe2\x80\xa2");
		return strlen(out);
	}
	if (!l->fmt[0])
		return 0;
	return compose(&ls->s[s], d, ls->v, ls->seen, out, n);
}

size_t odt_outline(struct odt_lists *ls, int level, char *out, size_t n)
{
	int s = find(ls, OL_OUTLINE), d = level - 1;
	const struct olevel *l;

	out[0] = '\0';
	if (s < 0 || d < 0 || d >= OL_LEVELS)
		return 0;
	l = &ls->s[s].l[d];
	ls->ov[d] = ls->oseen[d] ? ls->ov[d] + 1 : l->start;
	ls->oseen[d] = 1;
	for (int j = d + 1; j < OL_LEVELS; j++)
		ls->oseen[j] = 0;
	if (!l->fmt[0])
		return 0;
	return compose(&ls->s[s], d, ls->ov, ls->oseen, out, n);
}
