/* rtf_words.c: what RTF control words do. Destinations that hold no text
 * of the document (fonts, colours, styles, pictures, object data, field
 * instructions, revision tables, ...) are skipped; the list tables are
 * read by rtf_list.c; \info is
 * read for its \title, \author, \subject and \keywords; footnotes,
 * headers, footers, annotations and text boxes are read as paragraphs of
 * their own; \listtext and \pntext hold a list paragraph's label as the
 * author's reader drew it ("1.", "a)", "ii)", a bullet) and are read as
 * the label of the paragraph that follows. An ignorable destination
 * (\*\word) is skipped unless the word is one of the few read here.
 * Unknown words are ignored. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdlib.h>
#include <string.h>

#include "rtf.h"
#include "rtf_words.h"
#include "rtf_out.h"
#include "rtf_list.h"

enum act {
	A_SKIP, A_SIDE, A_READ, A_FONTTBL, A_STYLESHEET, A_INFO, A_META, A_UPR, A_UD,
	A_ANSI, A_MAC, A_PC, A_PCA, A_ANSICPG, A_DEFF, A_F, A_FCHARSET, A_CPG, A_UC, A_U,
	A_PAR, A_LINE, A_TAB, A_CELL, A_NESTCELL, A_ROW, A_PARD, A_PLAIN, A_S, A_OUTLINE,
	A_LS, A_ILVL, A_INTBL, A_TROWD, A_TRHDR, A_V, A_DELETED, A_CHAR, A_LABEL,
	A_LISTTABLE, A_OVERRIDES, A_BREAK, A_PAGE,
};

struct word {
	const char *name;
	unsigned char act;
	unsigned short ch;    /* A_CHAR: the character */
};

/* Sorted by name (bsearch). */
static const struct word words[] = {
	{ "aftncn", A_SKIP, 0 }, { "aftnsep", A_SKIP, 0 }, { "aftnsepc", A_SKIP, 0 },
	{ "annotation", A_SIDE, 0 }, { "ansi", A_ANSI, 0 }, { "ansicpg", A_ANSICPG, 0 },
	{ "atnauthor", A_SKIP, 0 }, { "atndate", A_SKIP, 0 }, { "atnicn", A_SKIP, 0 },
	{ "atnid", A_SKIP, 0 }, { "atnparent", A_SKIP, 0 }, { "atnref", A_SKIP, 0 },
	{ "atrfend", A_SKIP, 0 }, { "atrfstart", A_SKIP, 0 }, { "author", A_META, 0 },
	{ "bkmkend", A_SKIP, 0 }, { "bkmkstart", A_SKIP, 0 }, { "blipuid", A_SKIP, 0 },
	{ "bullet", A_CHAR, 0x2022 }, { "cell", A_CELL, 0 }, { "colortbl", A_SKIP, 0 },
	{ "column", A_PAGE, 0 }, { "comment", A_SKIP, 0 }, { "company", A_SKIP, 0 },
	{ "cpg", A_CPG, 0 }, { "datafield", A_SKIP, 0 }, { "datastore", A_SKIP, 0 },
	{ "deff", A_DEFF, 0 }, { "deleted", A_DELETED, 0 }, { "docvar", A_SKIP, 0 },
	{ "emdash", A_CHAR, 0x2014 }, { "emspace", A_CHAR, 0x2003 },
	{ "endash", A_CHAR, 0x2013 }, { "enspace", A_CHAR, 0x2002 }, { "f", A_F, 0 },
	{ "falt", A_SKIP, 0 }, { "fchars", A_SKIP, 0 }, { "fcharset", A_FCHARSET, 0 },
	{ "ffdeftext", A_SKIP, 0 }, { "ffentrymcr", A_SKIP, 0 }, { "ffexitmcr", A_SKIP, 0 },
	{ "ffformat", A_SKIP, 0 }, { "ffhelptext", A_SKIP, 0 }, { "ffl", A_SKIP, 0 },
	{ "ffname", A_SKIP, 0 }, { "ffstattext", A_SKIP, 0 }, { "fldinst", A_SKIP, 0 },
	{ "fldrslt", A_READ, 0 }, { "fontemb", A_SKIP, 0 }, { "fontfile", A_SKIP, 0 },
	{ "fonttbl", A_FONTTBL, 0 }, { "footer", A_SIDE, 0 }, { "footerf", A_SIDE, 0 },
	{ "footerl", A_SIDE, 0 }, { "footerr", A_SIDE, 0 }, { "footnote", A_SIDE, 0 },
	{ "formfield", A_SKIP, 0 }, { "ftncn", A_SKIP, 0 }, { "ftnsep", A_SKIP, 0 },
	{ "ftnsepc", A_SKIP, 0 }, { "generator", A_SKIP, 0 }, { "header", A_SIDE, 0 },
	{ "headerf", A_SIDE, 0 }, { "headerl", A_SIDE, 0 }, { "headerr", A_SIDE, 0 },
	{ "ilvl", A_ILVL, 0 }, { "info", A_INFO, 0 }, { "intbl", A_INTBL, 0 },
	{ "keywords", A_META, 0 }, { "latentstyles", A_SKIP, 0 }, { "lchars", A_SKIP, 0 },
	{ "ldblquote", A_CHAR, 0x201c }, { "line", A_LINE, 0 },
	{ "listoverridetable", A_OVERRIDES, 0 }, { "listpicture", A_SKIP, 0 },
	{ "listtable", A_LISTTABLE, 0 }, { "listtext", A_LABEL, 0 }, { "lquote", A_CHAR, 0x2018 },
	{ "ls", A_LS, 0 }, { "mac", A_MAC, 0 }, { "mmathPr", A_SKIP, 0 },
	{ "nestcell", A_NESTCELL, 0 }, { "nestrow", A_NESTCELL, 0 },
	{ "nesttableprops", A_SKIP, 0 }, { "nonshppict", A_SKIP, 0 },
	{ "objclass", A_SKIP, 0 }, { "objdata", A_SKIP, 0 }, { "objname", A_SKIP, 0 },
	{ "oldcprops", A_SKIP, 0 }, { "oldpprops", A_SKIP, 0 }, { "oldsprops", A_SKIP, 0 },
	{ "oldtprops", A_SKIP, 0 }, { "operator", A_SKIP, 0 }, { "outlinelevel", A_OUTLINE, 0 },
	{ "page", A_PAGE, 0 }, { "panose", A_SKIP, 0 }, { "par", A_PAR, 0 },
	{ "pard", A_PARD, 0 }, { "pc", A_PC, 0 }, { "pca", A_PCA, 0 },
	{ "pgdsctbl", A_SKIP, 0 }, { "pgptbl", A_SKIP, 0 }, { "pict", A_SKIP, 0 },
	{ "plain", A_PLAIN, 0 }, { "pn", A_SKIP, 0 }, { "pnseclvl", A_SKIP, 0 },
	{ "pntext", A_LABEL, 0 }, { "pntxta", A_SKIP, 0 }, { "pntxtb", A_SKIP, 0 },
	{ "private", A_SKIP, 0 }, { "protusertbl", A_SKIP, 0 }, { "qmspace", A_CHAR, 0x2005 },
	{ "rdblquote", A_CHAR, 0x201d }, { "result", A_READ, 0 }, { "revtbl", A_SKIP, 0 },
	{ "row", A_ROW, 0 }, { "rquote", A_CHAR, 0x2019 }, { "rsidtbl", A_SKIP, 0 },
	{ "s", A_S, 0 }, { "sect", A_BREAK, 0 }, { "shpinst", A_READ, 0 },
	{ "shppict", A_SKIP, 0 }, { "shprslt", A_SKIP, 0 }, { "shptxt", A_SIDE, 0 },
	{ "sn", A_SKIP, 0 }, { "softline", A_LINE, 0 }, { "sp", A_SKIP, 0 },
	{ "stylesheet", A_STYLESHEET, 0 }, { "subject", A_META, 0 }, { "sv", A_SKIP, 0 },
	{ "tab", A_TAB, 0 }, { "tc", A_SKIP, 0 }, { "template", A_SKIP, 0 },
	{ "themedata", A_SKIP, 0 }, { "title", A_META, 0 }, { "trhdr", A_TRHDR, 0 },
	{ "trowd", A_TROWD, 0 }, { "txe", A_SKIP, 0 }, { "u", A_U, 0 }, { "uc", A_UC, 0 },
	{ "ud", A_UD, 0 }, { "upr", A_UPR, 0 }, { "userprops", A_SKIP, 0 },
	{ "v", A_V, 0 }, { "wgrffmtfilter", A_SKIP, 0 }, { "xe", A_SKIP, 0 },
	{ "xmlnstbl", A_SKIP, 0 }, { "xmlopen", A_SKIP, 0 }, { "zwj", A_CHAR, 0x200d },
	{ "zwnj", A_CHAR, 0x200c },
};

static int word_cmp(const void *a, const void *b)
{
	return strcmp(a, ((const struct word *)b)->name);
}

static const struct word *lookup(const char *name)
{
	return bsearch(name, words, sizeof words / sizeof words[0], sizeof words[0], word_cmp);
}

/* Ignorable destinations that are read all the same. */
static int read_after_star(enum act a)
{
	return a == A_SIDE || a == A_READ || a == A_UD || a == A_LISTTABLE || a == A_OVERRIDES;
}

void rtf_bin(struct rtf *r, int has_param, int param)
{
	size_t left = r->n - r->pos;

	if (!has_param)
		param = 0;
	if (param < 0 || (size_t)param > left) {
		r->host->log(QUIRE_LOG_WARNING, "rtf: \\bin%d but only %zu bytes left", param, left);
		r->failed = QUIRE_CORRUPT;
		return;
	}
	r->pos += (size_t)param;
}

static int clamp(int v, int lo, int hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

/* A group becomes a paragraph source of its own (footnote, header...),
 * of its part outside the body's flow (shape text is the body's). */
static void side(struct rtf *r, struct rtf_state *s, const char *name)
{
	if (s->dest != D_TEXT || s->own_buf || s->buf + 1 >= RTF_LEVELS)
		return;
	s->part = !strncmp(name, "header", 6) ? "header" : !strncmp(name, "footer", 6) ? "footer"
		: !strcmp(name, "footnote") ? "footnotes" : !strcmp(name, "annotation") ? "comments"
		: s->part;
	s->buf++;
	s->own_buf = 1;
	pbuf_reset(&r->bufs[s->buf]);
}

static void destination(struct rtf *r, struct rtf_state *s, enum act a, const char *name)
{
	switch (a) {
	case A_SKIP: s->dest = D_SKIP; break;
	case A_SIDE: side(r, s, name); break;
	case A_FONTTBL: s->dest = D_FONTTBL; break;
	case A_STYLESHEET: s->dest = D_STYLESHEET; break;
	case A_INFO: s->dest = D_INFO; break;
	case A_META:
		if (s->dest == D_INFO) {
			s->dest = D_META;
			s->meta_key = name;
			s->own_meta = 1;
			pbuf_reset(&r->meta);
		} else if (s->dest != D_META) {
			s->dest = D_SKIP;
		}
		break;
	case A_LABEL:
		/* one label a paragraph: Word writes \listtext, older readers'
		 * \pntext may come too */
		if (s->dest != D_TEXT || r->label.n) {
			s->dest = D_SKIP;
		} else {
			s->dest = D_LABEL;
			s->own_label = 1;
			r->label_buf = s->buf;
		}
		break;
	case A_LISTTABLE: s->dest = s->dest == D_TEXT ? D_LISTTABLE : D_SKIP; break;
	case A_OVERRIDES: s->dest = s->dest == D_TEXT ? D_OVERRIDES : D_SKIP; break;
	case A_UPR: s->upr = 1; break;
	case A_UD: if (s->upr_child) s->dest = s->saved_dest; break;
	default: break;
	}
}

static void font_word(struct rtf *r, struct rtf_state *s, enum act a, int param)
{
	switch (a) {
	case A_F:
		if (s->dest == D_FONTTBL)
			r->fontdef = param;
		else
			s->font = param;
		break;
	case A_FCHARSET:
		if (s->dest == D_FONTTBL && r->fontdef >= 0 && r->fontdef < RTF_MAX_FONTS)
			r->fontcp[r->fontdef] = rtf_charset_cp(param);
		break;
	case A_CPG:
		if (s->dest == D_FONTTBL && r->fontdef >= 0 && r->fontdef < RTF_MAX_FONTS &&
		    conv_codepage_name(param))
			r->fontcp[r->fontdef] = param;
		break;
	case A_DEFF:
		r->deff = param;
		s->font = param;
		break;
	default: break;
	}
}

static void para_word(struct rtf *r, struct rtf_state *s, enum act a, int param)
{
	switch (a) {
	case A_PARD:
		s->intbl = 0;
		s->outline = -1;
		s->style = 0;
		s->ls = 0;
		s->ilvl = 0;
		break;
	case A_S:
		if (s->dest == D_STYLE)
			r->style_num = param;
		else
			s->style = param;
		break;
	case A_OUTLINE:
		if (s->dest == D_STYLE)
			r->style_outline = clamp(param, -1, 9);
		else
			s->outline = (signed char)clamp(param, -1, 9);
		break;
	case A_LS: s->ls = param; break;
	case A_ILVL: s->ilvl = (unsigned char)clamp(param, 0, 8); break;
	case A_INTBL: s->intbl = 1; break;
	case A_TROWD: r->trhdr = 0; break;
	case A_TRHDR: r->trhdr = 1; break;
	default: break;
	}
}

static void text_word(struct rtf *r, struct rtf_state *s, const struct word *w, int has,
		      int param)
{
	switch ((enum act)w->act) {
	case A_PAR: rtf_par(r); break;
	case A_BREAK: rtf_sect(r); break;
	case A_PAGE: rtf_page(r); break;
	case A_LINE: rtf_break(r); break;
	case A_TAB: rtf_char(r, '\t'); break;
	case A_CHAR: rtf_char(r, w->ch); break;
	case A_CELL: rtf_cell(r); break;
	case A_NESTCELL: rtf_nestcell(r); break;
	case A_ROW: rtf_row(r); break;
	case A_U: rtf_unicode(r, param); r->skip_n = s->uc; break;
	case A_UC: s->uc = clamp(param, 0, RTF_MAX_UC); break;
	case A_V: s->hidden = !has || param != 0; break;
	case A_DELETED: s->deleted = !has || param != 0; break;
	case A_PLAIN:
		s->font = r->deff;
		s->hidden = s->deleted = 0;
		break;
	default: break;
	}
}

void rtf_word(struct rtf *r, const char *name, int has, int param)
{
	struct rtf_state *s = rtf_cur(r);
	const struct word *w = lookup(name);
	int star = s->star;
	enum act a;

	s->star = 0;
	rtf_flush_bytes(r);
	if (s->dest == D_SKIP) {
		if (w && w->act == A_UD)
			destination(r, s, A_UD, w->name);
		return;
	}
	if (s->dest >= D_LISTTABLE) {   /* the list tables' own words */
		if (star) {
			s->dest = D_SKIP;
			return;
		}
		if (rtf_list_word(r, name, has, param))
			return;
	}
	if (!w) {
		if (star)
			s->dest = D_SKIP;
		return;
	}
	a = (enum act)w->act;
	if (star && !read_after_star(a)) {
		s->dest = D_SKIP;
		return;
	}
	switch (a) {
	case A_ANSI: r->ansicpg = 1252; break;
	case A_MAC: r->ansicpg = 10000; break;
	case A_PC: r->ansicpg = 437; break;
	case A_PCA: r->ansicpg = 850; break;
	case A_ANSICPG: if (conv_codepage_name(param)) r->ansicpg = param; break;
	case A_F: case A_FCHARSET: case A_CPG: case A_DEFF: font_word(r, s, a, param); break;
	case A_PARD: case A_S: case A_OUTLINE: case A_LS: case A_ILVL: case A_INTBL:
	case A_TROWD: case A_TRHDR:
		para_word(r, s, a, param);
		break;
	case A_SKIP: case A_SIDE: case A_READ: case A_FONTTBL: case A_STYLESHEET:
	case A_INFO: case A_META: case A_UPR: case A_UD: case A_LABEL: case A_LISTTABLE:
	case A_OVERRIDES:
		destination(r, s, a, w->name);
		break;
	default: text_word(r, s, w, has, param); break;
	}
}
