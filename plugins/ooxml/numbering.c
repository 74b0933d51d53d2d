/* numbering.c: WordprocessingML list labels as the author sees them:
 * numbering.xml's abstract and concrete numberings, levels, lvlText
 * patterns, start values, restarts, overrides and legal numbering. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ooxml.h"
#include "xml.h"
#include "numbering.h"
#include "../common/listnum.h"

#define NUM_LEVELS 9
#define NUM_MAX 4096        /* abstract and concrete numberings kept */
#define NUM_MAX_STYLES 4096 /* paragraph styles carrying a numPr */

struct lvl {
	int start, restart;  /* restart: -1 after any higher level, 0 never */
	int legal, set;
	char fmt[24];
	char text[64];
};

struct counters {
	int v[NUM_LEVELS];
	unsigned char seen[NUM_LEVELS];
};

struct abs {
	int id;
	char *link;          /* numStyleLink: the levels live with a style */
	struct lvl l[NUM_LEVELS];
	struct counters c;
};

struct num {
	int id, abs;
	struct lvl over[NUM_LEVELS];   /* lvl overrides (set = 1) */
	int start_over[NUM_LEVELS];    /* -1: none */
	int own;                       /* counts apart from its abstract */
	struct counters c;
};

struct ox_numbering {
	struct abs *a;
	size_t na;
	struct num *n;
	size_t nn;
	char *style[NUM_MAX_STYLES];
	int style_num[NUM_MAX_STYLES], style_lvl[NUM_MAX_STYLES];
	size_t nstyles;
	char *based[NUM_MAX_STYLES][2];   /* style id, the style it is based on */
	size_t nbased;
};

static void lvl_init(struct lvl *l)
{
	memset(l, 0, sizeof *l);
	l->start = 1;
	l->restart = -1;
	strcpy(l->fmt, "decimal");
}

static int attr_int(xmlTextReaderPtr r, const char *name, int dflt)
{
	char *v = ox_attr(r, name);
	int i = v ? atoi(v) : dflt;

	xmlFree(v);
	return i;
}

static void attr_str(xmlTextReaderPtr r, const char *name, char *out, size_t n)
{
	char *v = ox_attr(r, name);

	if (v)
		snprintf(out, n, "%s", v);
	xmlFree(v);
}

/* One w:lvl's child element into l. */
static void lvl_prop(xmlTextReaderPtr r, const char *n, struct lvl *l)
{
	if (strcmp(n, "start") == 0)
		l->start = attr_int(r, "val", 1);
	else if (strcmp(n, "numFmt") == 0)
		attr_str(r, "val", l->fmt, sizeof l->fmt);
	else if (strcmp(n, "lvlText") == 0) {
		l->text[0] = '\0';
		attr_str(r, "val", l->text, sizeof l->text);
	} else if (strcmp(n, "lvlRestart") == 0)
		l->restart = attr_int(r, "val", -1);
	else if (strcmp(n, "isLgl") == 0) {
		char *v = ox_attr(r, "val");

		l->legal = !v || !(strcmp(v, "0") == 0 || strcmp(v, "false") == 0);
		xmlFree(v);
	}
}

static int grow(struct ox *ox, void **v, size_t n, size_t size)
{
	void *p;

	if (n >= NUM_MAX)
		return -1;
	p = realloc(*v, (n + 1) * size);
	if (!p) {
		ox->err = QUIRE_ERROR;
		return -1;
	}
	*v = p;
	memset((char *)p + n * size, 0, size);
	return 0;
}

struct ox_numbering *ox_num_load(struct ox *ox, const char *part)
{
	struct ox_numbering *nb = calloc(1, sizeof *nb);
	struct ox_entry e;
	xmlTextReaderPtr r;
	struct lvl *cur = NULL;
	struct abs *a = NULL;
	struct num *nm = NULL;
	int olvl = 0;

	if (!nb) {
		ox->err = QUIRE_ERROR;
		return NULL;
	}
	r = part ? ox_xml_open(ox, part, &e) : NULL;
	while (r && ox_xml_next(ox, r, 0)) {
		const char *n = (const char *)xmlTextReaderConstLocalName(r);

		if (xmlTextReaderNodeType(r) == XML_READER_TYPE_END_ELEMENT) {
			if (strcmp(n, "abstractNum") == 0)
				a = NULL;
			else if (strcmp(n, "num") == 0)
				nm = NULL;
			else if (strcmp(n, "lvl") == 0)
				cur = NULL;
			continue;
		}
		if (xmlTextReaderNodeType(r) != XML_READER_TYPE_ELEMENT)
			continue;
		if (strcmp(n, "abstractNum") == 0) {
			a = NULL;
			if (grow(ox, (void **)&nb->a, nb->na, sizeof *nb->a) == 0) {
				a = &nb->a[nb->na++];
				a->id = attr_int(r, "abstractNumId", -1);
				for (int i = 0; i < NUM_LEVELS; i++)
					lvl_init(&a->l[i]);
			}
		} else if (strcmp(n, "num") == 0) {
			nm = NULL;
			if (grow(ox, (void **)&nb->n, nb->nn, sizeof *nb->n) == 0) {
				nm = &nb->n[nb->nn++];
				nm->id = attr_int(r, "numId", -1);
				nm->abs = -1;
				for (int i = 0; i < NUM_LEVELS; i++)
					nm->start_over[i] = -1;
			}
		} else if (nm && strcmp(n, "abstractNumId") == 0)
			nm->abs = attr_int(r, "val", -1);
		else if (nm && strcmp(n, "lvlOverride") == 0)
			olvl = attr_int(r, "ilvl", 0);
		else if (nm && strcmp(n, "startOverride") == 0 && olvl >= 0 && olvl < NUM_LEVELS) {
			nm->start_over[olvl] = attr_int(r, "val", 1);
			nm->own = 1;
		} else if (strcmp(n, "lvl") == 0) {
			int i = attr_int(r, "ilvl", 0);

			cur = NULL;
			if (nm && olvl >= 0 && olvl < NUM_LEVELS) {
				cur = &nm->over[olvl];
				lvl_init(cur);
				cur->set = 1;
				nm->own = 1;
			} else if (a && i >= 0 && i < NUM_LEVELS) {
				cur = &a->l[i];
				cur->set = 1;
			}
		} else if (a && !cur && strcmp(n, "numStyleLink") == 0 && !a->link) {
			char *v = ox_attr(r, "val");

			a->link = v ? strdup(v) : NULL;
			xmlFree(v);
		} else if (cur)
			lvl_prop(r, n, cur);
	}
	if (r)
		ox_xml_close(r, &e);
	return nb;
}

void ox_num_style(struct ox_numbering *nb, const char *style, int num, int ilvl)
{
	if (!nb || !style || nb->nstyles >= NUM_MAX_STYLES)
		return;
	nb->style[nb->nstyles] = strdup(style);
	if (!nb->style[nb->nstyles])
		return;
	nb->style_num[nb->nstyles] = num;
	nb->style_lvl[nb->nstyles++] = ilvl;
}

void ox_num_based(struct ox_numbering *nb, const char *style, const char *base)
{
	if (!nb || !style || !base || nb->nbased >= NUM_MAX_STYLES)
		return;
	nb->based[nb->nbased][0] = strdup(style);
	nb->based[nb->nbased][1] = strdup(base);
	if (nb->based[nb->nbased][0] && nb->based[nb->nbased][1])
		nb->nbased++;
	else {
		free(nb->based[nb->nbased][0]);
		free(nb->based[nb->nbased][1]);
	}
}

void ox_num_free(struct ox_numbering *nb)
{
	if (!nb)
		return;
	for (size_t i = 0; i < nb->nbased; i++) {
		free(nb->based[i][0]);
		free(nb->based[i][1]);
	}
	for (size_t i = 0; i < nb->na; i++)
		free(nb->a[i].link);
	for (size_t i = 0; i < nb->nstyles; i++)
		free(nb->style[i]);
	free(nb->a);
	free(nb->n);
	free(nb);
}

static struct num *find_num(struct ox_numbering *nb, int id)
{
	for (size_t i = 0; i < nb->nn; i++)
		if (nb->n[i].id == id)
			return &nb->n[i];
	return NULL;
}

/* The numPr of style, or of the nearest style it is based on. */
static int find_style(const struct ox_numbering *nb, const char *style)
{
	for (int hop = 0; style && hop < 16; hop++) {
		const char *base = NULL;

		for (size_t i = 0; i < nb->nstyles; i++)
			if (strcmp(nb->style[i], style) == 0)
				return (int)i;
		for (size_t i = 0; i < nb->nbased && !base; i++)
			if (strcmp(nb->based[i][0], style) == 0)
				base = nb->based[i][1];
		style = base;
	}
	return -1;
}

/* The abstract numbering of num, following one numStyleLink. */
static struct abs *find_abs(struct ox_numbering *nb, const struct num *nm)
{
	struct abs *a = NULL;

	for (int hop = 0; hop < 2 && nm; hop++) {
		int s;

		a = NULL;
		for (size_t i = 0; i < nb->na; i++)
			if (nb->a[i].id == nm->abs)
				a = &nb->a[i];
		if (!a || !a->link || (s = find_style(nb, a->link)) < 0)
			break;
		nm = find_num(nb, nb->style_num[s]);
	}
	return a;
}

/* ECMA-376 17.18.59 ST_NumberFormat names, as the common formatter's styles. */
void ox_num_format(int v, const char *fmt, char *out, size_t n)
{
	static const struct { const char *name; enum pc_num_style style; } map[] = {
		{ "lowerRoman", PC_NUM_ROMAN_LOWER }, { "upperRoman", PC_NUM_ROMAN_UPPER },
		{ "lowerLetter", PC_NUM_LETTER_LOWER }, { "upperLetter", PC_NUM_LETTER_UPPER },
		{ "decimalZero", PC_NUM_DECIMAL_ZERO }, { "none", PC_NUM_NONE },
		{ "ordinal", PC_NUM_ORDINAL },
	};
	enum pc_num_style style = PC_NUM_DECIMAL;

	for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
		if (strcmp(fmt, map[i].name) == 0)
			style = map[i].style;
	pc_list_number(v, style, out, n);
}

static const struct lvl *level(const struct abs *a, const struct num *nm, int i)
{
	return nm->over[i].set ? &nm->over[i] : &a->l[i];
}

static int start_of(const struct abs *a, const struct num *nm, int i)
{
	return nm->start_over[i] >= 0 ? nm->start_over[i] : level(a, nm, i)->start;
}

/* Count one paragraph at level ilvl and write its label (lvlText with
 * each %N replaced by level N's counter) into out. */
static void count(const struct abs *a, struct num *nm, int ilvl, char *out, size_t n)
{
	struct counters *c = nm->own ? &nm->c : &((struct abs *)a)->c;
	const struct lvl *l = level(a, nm, ilvl);
	size_t k = 0;

	c->v[ilvl] = c->seen[ilvl] ? c->v[ilvl] + 1 : start_of(a, nm, ilvl);
	c->seen[ilvl] = 1;
	for (int j = ilvl + 1; j < NUM_LEVELS; j++) {
		int rs = level(a, nm, j)->restart;

		if (rs < 0 || ilvl < rs)
			c->seen[j] = 0;
	}
	out[0] = '\0';
	if (strcmp(l->fmt, "bullet") == 0) {
		/* Bullets are often symbol-font code points: one middle dot,
		 * as Tika writes them. */
		snprintf(out, n, "\xc2\xb7");
		return;
	}
	for (const char *s = l->text; *s && k + 1 < n; s++) {
		char part[32];
		int j;

		if (s[0] != '%' || s[1] < '1' || s[1] > '9') {
			out[k++] = *s;
			continue;
		}
		j = *++s - '1';
		ox_num_format(c->seen[j] ? c->v[j] : start_of(a, nm, j),
		       l->legal ? "decimal" : level(a, nm, j)->fmt, part, sizeof part);
		for (const char *p = part; *p && k + 1 < n; p++)
			out[k++] = *p;
	}
	out[k] = '\0';
}

size_t ox_num_label(struct ox_numbering *nb, const char *style, int num, int ilvl, char *out,
		    size_t n)
{
	struct num *nm;
	struct abs *a;
	int s;

	out[0] = '\0';
	if (!nb || n < 2)
		return 0;
	s = find_style(nb, style);
	if (num < 0 && s >= 0)
		num = nb->style_num[s];
	if (ilvl < 0)
		ilvl = s >= 0 && nb->style_lvl[s] >= 0 ? nb->style_lvl[s] : 0;
	if (num <= 0 || ilvl >= NUM_LEVELS || !(nm = find_num(nb, num)) || !(a = find_abs(nb, nm)))
		return 0;
	count(a, nm, ilvl, out, n);
	return strlen(out);
}
