/* rtf_list.c: RTF list labels as Word and LibreOffice draw them, from the
 * list tables (RTF 1.9.1, "List Tables"): \listtable's lists and their
 * levels (number format \levelnfc or \levelnfcn, \levelstartat,
 * \leveltext with the placeholders \levelnumbers names, \levellegal,
 * \levelnorestart) and \listoverridetable's instances of them
 * (\listoverride: \listid, \ls, \lfolevel with \listoverridestartat or
 * \listoverrideformat). Numbers run per list, shared by all its overrides
 * (a list continued across other paragraphs counts on); a level counts
 * on and the deeper ones start again unless they say \levelnorestart; an
 * override's start value restarts its level where the override is first
 * used. The numbers are formatted by plugins/common/listnum.c, as for
 * DOC, DOCX and ODT. A paragraph whose \ls names no override, whose list
 * is missing, or whose \ilvl its list has no level for keeps the label
 * its \listtext holds (rtf_out.c). Every table is capped
 * (RTF_MAX_LISTS, RTF_MAX_LS, RTF_LIST_LEVELS, RTF_LEVEL_UNITS). */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "../common/listnum.h"
#include "rtf.h"
#include "rtf_list.h"
#include "rtf_out.h"

void rtf_list_free(struct rtf *r)
{
	free(r->lists);
	free(r->ovs);
	r->lists = NULL;
	r->ovs = NULL;
	r->nlists = r->alists = r->novs = r->aovs = 0;
}

/* Room for one more element of *arr (n used, *a allocated, cap at most);
 * 0 when there is none. */
static int grow(void **arr, size_t n, size_t *a, size_t size, size_t cap)
{
	size_t na;
	void *p;

	if (n < *a)
		return 1;
	if (n >= cap)
		return 0;
	na = *a ? *a * 2 : 4;
	if (na > cap)
		na = cap;
	p = realloc(*arr, na * size);
	if (!p)
		return 0;
	*arr = p;
	*a = na;
	return 1;
}

static void level_init(struct rtf_level *lv)
{
	memset(lv, 0, sizeof *lv);
	lv->start = 1;
	lv->nfc = lv->nfcn = -1;
}

static struct rtf_list *cur_list(struct rtf *r)
{
	return r->nlists ? &r->lists[r->nlists - 1] : NULL;
}

static struct rtf_override *cur_override(struct rtf *r)
{
	return r->novs ? &r->ovs[r->novs - 1] : NULL;
}

static void open_group(struct rtf_state *s, enum rtf_dest dest, enum rtf_list_group g)
{
	s->dest = (unsigned char)dest;
	s->own_list = (unsigned char)g;
}

static int table_word(struct rtf *r, struct rtf_state *s, const char *w)
{
	struct rtf_list *l;
	struct rtf_override *o;

	if (s->dest == D_LISTTABLE && !strcmp(w, "list")) {
		if (!grow((void **)&r->lists, r->nlists, &r->alists, sizeof *r->lists,
			  RTF_MAX_LISTS)) {
			s->dest = D_SKIP;
			return 1;
		}
		l = &r->lists[r->nlists++];
		memset(l, 0, sizeof *l);
		open_group(s, D_LIST, LG_LIST);
		return 1;
	}
	if (s->dest == D_OVERRIDES && !strcmp(w, "listoverride")) {
		if (!grow((void **)&r->ovs, r->novs, &r->aovs, sizeof *r->ovs, RTF_MAX_LS)) {
			s->dest = D_SKIP;
			return 1;
		}
		o = &r->ovs[r->novs++];
		memset(o, 0, sizeof *o);
		o->list = -2;
		open_group(s, D_OVERRIDE, LG_OVERRIDE);
		return 1;
	}
	return 0;
}

/* \listlevel: a level of the list being read, or an override's format. */
static void level_open(struct rtf *r, struct rtf_state *s, struct rtf_level *lv)
{
	if (!lv) {
		s->dest = D_SKIP;
		return;
	}
	level_init(lv);
	r->lvl = lv;
	r->has_ltext = r->has_numbers = 0;
	r->nltext = r->nnumbers = 0;
	open_group(s, D_LISTLEVEL, LG_LEVEL);
}

static int list_word(struct rtf *r, struct rtf_state *s, const char *w, int has, int param)
{
	struct rtf_list *l = cur_list(r);

	if (!l)
		return 0;
	if (!strcmp(w, "listlevel")) {
		level_open(r, s, l->nlvl < RTF_LIST_LEVELS ? &l->lvl[l->nlvl++] : NULL);
	} else if (!strcmp(w, "listid")) {
		l->id = param;
	} else if (!strcmp(w, "listsimple")) {
		l->simple = !has || param != 0;
	} else {
		return 0;
	}
	return 1;
}

static int level_word(struct rtf *r, struct rtf_state *s, const char *w, int has, int param)
{
	struct rtf_level *lv = r->lvl;
	int on = !has || param != 0;

	if (!lv)
		return 0;
	if (!strcmp(w, "levelnfc"))
		lv->nfc = param;
	else if (!strcmp(w, "levelnfcn"))
		lv->nfcn = param;
	else if (!strcmp(w, "levelstartat"))
		lv->start = param;
	else if (!strcmp(w, "levellegal"))
		lv->legal = (unsigned char)on;
	else if (!strcmp(w, "levelnorestart"))
		lv->norestart = (unsigned char)on;
	else if (!strcmp(w, "levelfollow"))
		lv->follow = (unsigned char)(param < 0 || param > 2 ? 0 : param);
	else if (!strcmp(w, "leveltext") || !strcmp(w, "levelnumbers")) {
		r->nunits = 0;
		open_group(s, D_LEVELUNITS, w[5] == 't' ? LG_TEXT : LG_NUMBERS);
	} else
		return 0;
	return 1;
}

static int override_word(struct rtf *r, struct rtf_state *s, const char *w, int param)
{
	struct rtf_override *o = cur_override(r);

	if (!o)
		return 0;
	if (!strcmp(w, "listid")) {
		o->listid = param;
	} else if (!strcmp(w, "ls")) {
		if (param > 0 && param <= RTF_MAX_LS && !r->lsmap[param])
			r->lsmap[param] = (unsigned short)r->novs;   /* the first one wins */
	} else if (!strcmp(w, "lfolevel")) {
		if (o->nlfo >= RTF_LIST_LEVELS) {
			s->dest = D_SKIP;
			return 1;
		}
		r->lfo_at = o->nlfo++;   /* \lfolevel groups come in level order */
		r->lfo_startat = r->lfo_format = r->lfo_level = 0;
		r->lfo_start = INT_MIN;
		open_group(s, D_LFOLEVEL, LG_LFOLEVEL);
	} else {
		return 0;
	}
	return 1;
}

static int lfolevel_word(struct rtf *r, struct rtf_state *s, const char *w, int param)
{
	struct rtf_override *o = cur_override(r);

	if (!o)
		return 0;
	if (!strcmp(w, "listoverridestartat")) {
		r->lfo_startat = 1;
	} else if (!strcmp(w, "listoverrideformat")) {
		r->lfo_format = 1;
	} else if (!strcmp(w, "levelstartat")) {
		r->lfo_start = param;
	} else if (!strcmp(w, "listlevel")) {
		r->lfo_level = 1;
		level_open(r, s, &o->fmt[r->lfo_at]);
	} else {
		return 0;
	}
	return 1;
}

int rtf_list_word(struct rtf *r, const char *w, int has, int param)
{
	struct rtf_state *s = rtf_cur(r);

	switch (s->dest) {
	case D_LISTTABLE: case D_OVERRIDES: return table_word(r, s, w);
	case D_LIST: return list_word(r, s, w, has, param);
	case D_LISTLEVEL: return level_word(r, s, w, has, param);
	case D_OVERRIDE: return override_word(r, s, w, param);
	case D_LFOLEVEL: return lfolevel_word(r, s, w, param);
	default: return 0;
	}
}

void rtf_list_unit(struct rtf *r, uint32_t c, int byte)
{
	if (r->nunits >= RTF_LEVEL_UNITS)
		return;
	r->units[r->nunits] = c;
	r->unit_byte[r->nunits++] = (unsigned char)byte;
}

static int is_number_at(const struct rtf *r, unsigned i)
{
	for (unsigned k = 0; k < r->nnumbers; k++)
		if (r->numbers[k] == i)
			return 1;
	return 0;
}

/* Is character i (1-based, after the length) of the level text a
 * placeholder? \levelnumbers says; without it, a byte below 9 is one. */
static int placeholder(const struct rtf *r, unsigned i)
{
	if (r->has_numbers)
		return is_number_at(r, i);
	return r->ltext_byte[i] && r->ltext[i] < RTF_LIST_LEVELS;
}

/* One character of the level text (not a placeholder) onto b. */
static void level_char(struct pbuf *b, uint32_t c, int byte, int symbol)
{
	if ((byte && symbol) || (!byte && c >= 0xf020 && c <= 0xf0ff))
		pbuf_cp(b, pc_list_bullet(c));   /* what the symbol font draws */
	else if (c >= 0x20 && c <= 0x10ffff && (c < 0xd800 || c > 0xdfff))
		pbuf_cp(b, c);
}

/* The level text read into lv: its characters in the level's font, the
 * placeholders as the bytes 1..9. */
static void level_text(struct rtf *r, struct rtf_level *lv, int font)
{
	int cp = rtf_font_cp(r, font);
	struct pbuf b;
	unsigned end, i;
	size_t n;

	if (!r->has_ltext || r->nltext == 0)
		return;
	pbuf_init(&b, RTF_LEVEL_TEXT * 4);
	end = r->ltext[0] < RTF_LEVEL_UNITS ? 1 + r->ltext[0] : RTF_LEVEL_UNITS;
	if (end > r->nltext)   /* a length past the text: all but the closing ';' */
		end = r->nltext - (r->ltext[r->nltext - 1] == ';' && r->nltext > 1);
	for (i = 1; i < end; i++) {
		uint32_t c = r->ltext[i];
		unsigned j;

		if (placeholder(r, i)) {
			if (c < RTF_LIST_LEVELS)
				pbuf_addc(&b, (char)(c + 1));
			continue;
		}
		if (!r->ltext_byte[i] || c < 0x80 || cp == RTF_SYMBOL_CP) {
			level_char(&b, c, r->ltext_byte[i], cp == RTF_SYMBOL_CP);
			continue;
		}
		/* a run of code page bytes, converted together (double-byte pages) */
		unsigned char run[RTF_LEVEL_UNITS];
		for (j = i; j < end && r->ltext_byte[j] && r->ltext[j] >= 0x80 && !placeholder(r, j);
		     j++)
			run[j - i] = (unsigned char)r->ltext[j];
		rtf_convert(r, cp, run, j - i, &b);
		i = j - 1;
	}
	/* keep what fits, never half a UTF-8 character */
	n = b.n < RTF_LEVEL_TEXT - 1 ? b.n : RTF_LEVEL_TEXT - 1;
	while (n > 0 && n < b.n && ((unsigned char)b.p[n] & 0xc0) == 0x80)
		n--;
	if (n)
		memcpy(lv->text, b.p, n);
	lv->ntext = (unsigned char)n;
	lv->has_text = 1;
	pbuf_free(&b);
}

static void units_end(struct rtf *r, enum rtf_list_group g)
{
	if (g == LG_TEXT) {
		memcpy(r->ltext, r->units, r->nunits * sizeof r->units[0]);
		memcpy(r->ltext_byte, r->unit_byte, r->nunits);
		r->nltext = r->nunits;
		r->has_ltext = 1;
		return;
	}
	r->nnumbers = 0;
	for (unsigned i = 0; i < r->nunits; i++)
		if (r->units[i] > 0 && r->units[i] < RTF_LEVEL_UNITS)
			r->numbers[r->nnumbers++] = (unsigned char)r->units[i];
	r->has_numbers = 1;
}

static void lfolevel_end(struct rtf *r)
{
	struct rtf_override *o = cur_override(r);
	unsigned k = r->lfo_at;

	if (!o || k >= RTF_LIST_LEVELS)
		return;
	if (r->lfo_format && r->lfo_level && o->fmt[k].has_text)
		o->has_fmt[k] = 1;
	if (r->lfo_startat) {
		o->has_start[k] = 1;
		o->start[k] = r->lfo_start != INT_MIN ? r->lfo_start
			      : r->lfo_level ? o->fmt[k].start : 1;
	}
}

void rtf_list_end(struct rtf *r, const struct rtf_state *closing)
{
	switch ((enum rtf_list_group)closing->own_list) {
	case LG_TEXT: case LG_NUMBERS:
		units_end(r, (enum rtf_list_group)closing->own_list);
		break;
	case LG_LEVEL:
		if (r->lvl)
			level_text(r, r->lvl, closing->font);   /* its \f may follow \leveltext */
		r->lvl = NULL;
		break;
	case LG_LFOLEVEL: lfolevel_end(r); break;
	default: break;
	}
}

/* A number format (\levelnfc) as listnum.c's style. */
static enum pc_num_style style_of(const struct rtf_level *lv)
{
	switch (lv->nfcn >= 0 ? lv->nfcn : lv->nfc) {
	case 1: return PC_NUM_ROMAN_UPPER;
	case 2: return PC_NUM_ROMAN_LOWER;
	case 3: return PC_NUM_LETTER_UPPER;
	case 4: return PC_NUM_LETTER_LOWER;
	case 5: return PC_NUM_ORDINAL;
	case 22: return PC_NUM_DECIMAL_ZERO;
	case 23: case 255: return PC_NUM_NONE;   /* a bullet, no number */
	default: return PC_NUM_DECIMAL;          /* also words and Asian counting */
	}
}

static const struct rtf_level *level_of(const struct rtf_override *o, const struct rtf_list *l,
					unsigned k)
{
	return o->has_fmt[k] ? &o->fmt[k] : &l->lvl[k];
}

static int start_of(const struct rtf_override *o, const struct rtf_list *l, unsigned k)
{
	return o->has_start[k] ? o->start[k] : level_of(o, l, k)->start;
}

static int find_list(const struct rtf *r, int id)
{
	for (size_t i = 0; i < r->nlists; i++)
		if (r->lists[i].id == id)
			return (int)i;
	return -1;
}

/* Count paragraph lvl of instance o of list l on. */
static void count(struct rtf_override *o, struct rtf_list *l, unsigned lvl, unsigned nlvl)
{
	if (o->has_start[lvl] && !o->used[lvl]) {   /* the override restarts here */
		l->count[lvl] = o->start[lvl];
		o->used[lvl] = 1;
	} else if (l->started[lvl]) {
		if (l->count[lvl] < INT_MAX)
			l->count[lvl]++;
	} else {
		l->count[lvl] = start_of(o, l, lvl);
	}
	l->started[lvl] = 1;
	for (unsigned k = lvl + 1; k < nlvl; k++)
		if (!level_of(o, l, k)->norestart)
			l->started[k] = 0;
}

int rtf_list_label(struct rtf *r, int ls, unsigned ilvl, struct pbuf *out)
{
	struct rtf_override *o;
	struct rtf_list *l;
	const struct rtf_level *lv;
	unsigned nlvl, lvl;

	pbuf_reset(out);
	if (ls <= 0 || ls > RTF_MAX_LS || !r->lsmap[ls])
		return 0;
	o = &r->ovs[r->lsmap[ls] - 1];
	if (o->list == -2)
		o->list = find_list(r, o->listid);
	if (o->list < 0)
		return 0;
	l = &r->lists[o->list];
	nlvl = l->simple && l->nlvl ? 1 : l->nlvl;
	lvl = l->simple ? 0 : ilvl;
	if (lvl >= nlvl || !level_of(o, l, lvl)->has_text)
		return 0;   /* broken tables: the \listtext stays */
	lv = level_of(o, l, lvl);
	count(o, l, lvl, nlvl);
	for (unsigned i = 0; i < lv->ntext; i++) {
		unsigned char c = (unsigned char)lv->text[i];
		char num[48];

		if (c == 0 || c > RTF_LIST_LEVELS) {
			pbuf_addc(out, (char)c);
			continue;
		}
		if ((unsigned)(c - 1) >= nlvl)
			continue;
		pc_list_number(l->started[c - 1] ? l->count[c - 1] : start_of(o, l, c - 1),
			       lv->legal ? PC_NUM_DECIMAL : style_of(level_of(o, l, c - 1)),
			       num, sizeof num);
		pbuf_add(out, num, strlen(num));
	}
	return 1;
}
