/* split.c: the structure-aware chunker's entry points (docs/chunking.md):
 * quire-extract's JSON Lines or a plain text document become blocks
 * (headings, paragraphs, list items, table rows; page breaks), each cleaned
 * by the process rule and rendered into the document's plain text, then cut
 * into units and packed into chunks (chunk_pack.c).
 *
 * The plain text is the rendered blocks joined by a blank line, except that
 * the items of a list and the rows of a table are joined by one newline; a
 * chunk's text is a slice of it (after a repeated table header), so its
 * offsets are exact. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "pipeline/chunk_impl.h"
#include "pipeline/chunk_text.h"
#include "pipeline/chunk_rule.h"
#include "pipeline/chunk_pack.h"
#include "text/text_langid.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int is_blank(char c)
{
	return c == ' ' || c == '\n' || c == '\t' || c == '\f' || c == '\v';
}

/* ---- sections --------------------------------------------------------------- */

static int add_section(struct splitter *sp)
{
	struct sb path = {0};
	for (int l = 0; l < 6; l++) {
		if (!sp->stack[l])
			continue;
		if (path.n)
			sb_adds(&path, " > ");
		sb_adds(&path, sp->stack[l]);
	}
	if (sp->nsec >= UINT32_MAX - 1) {
		free(path.p);
		sp->too_many = 1;
		return -1;
	}
	if (sp->nsec == sp->capsec) {
		size_t cap = sp->capsec ? sp->capsec * 2 : 16;
		char **p = realloc(sp->sections, cap * sizeof *p);
		if (!p) {
			free(path.p);
			return -1;
		}
		sp->sections = p;
		sp->capsec = cap;
	}
	sp->sections[sp->nsec] = path.p ? path.p : strdup("");
	if (!sp->sections[sp->nsec] || path.oom)
		return -1;
	sp->cur_section = (uint32_t)sp->nsec++;
	return 0;
}

/* A heading of level 1-6 replaces that level and ends the deeper ones. */
static int heading(struct splitter *sp, unsigned level, const char *s, size_t n)
{
	unsigned l = level < 1 ? 1 : level > 6 ? 6 : level;
	if (n > SPLIT_SECTION_MAX) {   /* cut on a character boundary */
		n = SPLIT_SECTION_MAX;
		while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
			n--;
	}
	while (n > 0 && is_blank(s[n - 1]))
		n--;
	char *t = strndup(s, n);
	if (!t)
		return -1;
	for (char *p = t; *p; p++)
		if (*p == '\n' || *p == '\t')
			*p = ' ';
	free(sp->stack[l - 1]);
	sp->stack[l - 1] = t;
	for (unsigned k = l; k < 6; k++) {
		free(sp->stack[k]);
		sp->stack[k] = NULL;
	}
	return add_section(sp);
}

static void stack_free(char **st)
{
	for (int l = 0; l < 6; l++) {
		free(st[l]);
		st[l] = NULL;
	}
}

/* A part outside the body's flow ("part" line, docs/extract-format.md):
 * its text is cited under the part's name, not the body's last heading;
 * "body" brings the body's headings back. Parts of embedded documents are
 * left in the embedding's section. 0, or -1 out of memory. */
static int part(struct splitter *sp, const char *name)
{
	static const char *const label[][2] = { { "header", "Header" }, { "footer", "Footer" },
		{ "margins", "Headers and footers" }, { "footnotes", "Footnotes" }, { "endnotes", "Endnotes" }, { "comments", "Comments" },
		{ "notes", "Notes" }, { "glossary", "Glossary" } };
	const char *l = NULL;
	if (sp->embed_depth)
		return 0;
	for (size_t i = 0; i < sizeof label / sizeof label[0]; i++)
		if (!strcmp(name, label[i][0]))
			l = label[i][1];
	if (!l) {   /* "body", or a name of a later format: the body again */
		if (sp->in_part) {
			stack_free(sp->stack);
			memcpy(sp->stack, sp->body, sizeof sp->stack);
			memset(sp->body, 0, sizeof sp->body);
			sp->cur_section = sp->body_section;
			sp->in_part = 0;
		}
		return 0;
	}
	if (!sp->in_part) {
		memcpy(sp->body, sp->stack, sizeof sp->body);
		memset(sp->stack, 0, sizeof sp->stack);
		sp->body_section = sp->cur_section;
		sp->in_part = 1;
	} else
		stack_free(sp->stack);
	if (!(sp->stack[0] = strdup(l)))
		return -1;
	return add_section(sp);
}

/* An embedded document's headings and pages end with it ("embed" and
 * "embed_end" lines): the embedding's come back. 0, or -1 out of memory. */
static int embed(struct splitter *sp, int begin)
{
	if (begin) {
		if (sp->embed_depth < SPLIT_EMBED_MAX) {
			struct split_frame *f = &sp->embeds[sp->embed_depth];
			for (int l = 0; l < 6; l++)
				if (sp->stack[l] && !(f->stack[l] = strdup(sp->stack[l])))
					return -1;
			f->section = sp->cur_section;
			f->page = sp->page;
		}
		sp->embed_depth++;
	} else if (sp->embed_depth) {
		if (--sp->embed_depth < SPLIT_EMBED_MAX) {
			struct split_frame *f = &sp->embeds[sp->embed_depth];
			stack_free(sp->stack);
			memcpy(sp->stack, f->stack, sizeof sp->stack);
			memset(f->stack, 0, sizeof f->stack);
			sp->cur_section = f->section;
			sp->page = f->page;
		}
	}
	return 0;
}

/* ---- blocks ------------------------------------------------------------------ */

/* Append a rendered block to the plain text; *c0 gets its code point start. */
static size_t plain_append(struct splitter *sp, int kind, const char *s, size_t n, size_t *c0)
{
	if (sp->plain.n) {
		int line = (kind == CK_ITEM && sp->last_kind == CK_ITEM) ||
			   (kind == CK_ROW && sp->last_kind == CK_ROW);
		sb_add(&sp->plain, "\n\n", line ? 1 : 2);
		sp->plain_cp += line ? 1 : 2;
	}
	size_t b0 = sp->plain.n;
	*c0 = sp->plain_cp;
	sb_add(&sp->plain, s, n);
	sp->plain_cp += chunk_cps(s, n);
	sp->last_kind = kind;
	return b0;
}

/* Clean, render and cut one heading, paragraph or list item. */
static int block(struct splitter *sp, enum chunk_kind kind, unsigned level, const char *text,
		 size_t n)
{
	chunk_clean(&sp->rule, text, n, &sp->tmp);
	if (sp->tmp.oom)
		return -1;
	const char *s = sp->tmp.p ? sp->tmp.p : "";
	size_t len = sp->tmp.n;
	while (len && is_blank(s[len - 1]))
		len--;
	while (len && is_blank(*s))
		s++, len--;
	if (len == 0)
		return 0;
	sp->table = sp->table_header = -1;
	if (kind == CK_HEADING && heading(sp, level, s, len) < 0)
		return -1;
	if (kind == CK_ITEM) {
		struct sb *it = &sp->tmp2;
		it->n = 0;
		for (unsigned k = 1; k < level && k < 8; k++)
			sb_adds(it, "  ");
		sb_adds(it, "- ");
		sb_add(it, s, len);
		if (it->oom)
			return -1;
		s = it->p;
		len = it->n;
	}
	size_t c0, b0 = plain_append(sp, kind, s, len, &c0);
	if (sp->plain.oom)
		return -1;
	sp->groups++;
	return chunk_units(sp, kind, b0, sp->plain.n, c0);
}

/* A table row: cells cleaned, joined by " | ". A header row after body rows
 * (or any row after another block) starts a new table. */
static int row(struct splitter *sp, json_t *cells, int header)
{
	struct sb *r = &sp->tmp2;
	size_t i;
	json_t *c;
	int any = 0;
	r->n = 0;
	json_array_foreach(cells, i, c) {
		const char *t = json_is_string(c) ? json_string_value(c) : "";
		chunk_clean(&sp->rule, t, json_is_string(c) ? json_string_length(c) : 0, &sp->tmp);
		size_t a = 0, b = sp->tmp.n;
		while (a < b && is_blank(sp->tmp.p[a]))
			a++;
		while (b > a && is_blank(sp->tmp.p[b - 1]))
			b--;
		for (size_t k = a; k < b; k++)
			if (sp->tmp.p[k] == '\n' || sp->tmp.p[k] == '\t')
				sp->tmp.p[k] = ' ';
		if (i)
			sb_adds(r, " | ");
		sb_add(r, sp->tmp.p ? sp->tmp.p + a : "", b - a);
		any |= b > a;
	}
	if (r->oom || sp->tmp.oom)
		return -1;
	if (!any)
		return 0;
	int after_body = sp->table >= 0 && sp->nu && (long)sp->nu - 1 != sp->table_header;
	if (sp->table < 0 || (header && after_body)) {
		sp->table = sp->tables++;
		sp->table_header = -1;
		sp->last_kind = -1;   /* a blank line before a new table */
	}
	size_t c0, b0 = plain_append(sp, CK_ROW, r->p, r->n, &c0);
	if (sp->plain.oom)
		return -1;
	sp->groups++;
	if (chunk_unit_add(sp, CK_ROW, b0, sp->plain.n, c0) < 0)
		return -1;
	if (header && sp->table_header < 0) {
		sp->table_header = (int32_t)(sp->nu - 1);
		sp->u[sp->nu - 1].header = -1;   /* the header itself */
	}
	return 0;
}

/* ---- driving ---------------------------------------------------------------- */

static void splitter_free(struct splitter *sp)
{
	free(sp->u);
	for (size_t i = 0; i < sp->nsec; i++)
		free(sp->sections[i]);
	free(sp->sections);
	stack_free(sp->stack);
	stack_free(sp->body);
	for (size_t d = 0; d < SPLIT_EMBED_MAX; d++)
		stack_free(sp->embeds[d].stack);
	free(sp->plain.p);
	free(sp->tmp.p);
	free(sp->tmp2.p);
}

static int splitter_init(struct splitter *sp, json_t *rule)
{
	memset(sp, 0, sizeof *sp);
	split_rule_load(rule, &sp->rule);
	sp->table = sp->table_header = -1;
	sp->last_kind = -1;
	return add_section(sp);   /* sections[0] = "" */
}

/* rc: 0 blocks read, -1 failure (allocation or a cap), -2 bad input with
 * error written. */
static enum qstatus finish(struct splitter *sp, struct split_result *out, int rc,
			   struct qerr *err, split_stage_fn fn, void *arg)
{
	if (rc == 0 && sp->nu == 0) {
		qerr_set(err, Q_EINVAL, NULL, "no text found in the document");
		rc = -2;
	}
	if (rc == 0 && fn)
		fn(arg, "splitting");
	if (rc == 0)
		rc = chunk_pack(sp, out);
	if (rc == 0) {
		const char *p = sp->plain.p ? sp->plain.p : "";
		/* one language for the document and its chunks' stems */
		out->language = text_langid(p, sp->plain.n);
		out->lang = out->language->stem;
		split_count(p, sp->plain.n, &out->tokens, &out->words);
		out->plain = sp->plain.p ? sp->plain.p : strdup("");
		out->plain_len = sp->plain.n;
		sp->plain.p = NULL;
		if (!out->plain)
			rc = -1;
	}
	enum qstatus st = Q_OK;
	if (rc == -2) {
		st = Q_EINVAL;
	} else if (sp->too_many) {
		st = qerr_set(err, Q_ETOOBIG, NULL, "the document is too long to split (more than "
			      "%d chunks or %d sentences)", SPLIT_MAX_CHUNKS, SPLIT_MAX_UNITS);
	} else if (rc != 0) {
		st = qerr_set(err, Q_ENOMEM, NULL, "out of memory while splitting");
	}
	splitter_free(sp);
	if (st != Q_OK)
		split_result_free(out);
	return st;
}

/* ---- plain text ---------------------------------------------------------- */

/* A line's heading level ("# " to "###### "), 0 when none. */
static unsigned heading_level(const char *l, size_t len)
{
	unsigned h = 0;
	while (h < len && h < 7 && l[h] == '#')
		h++;
	return h >= 1 && h <= 6 && h < len && (l[h] == ' ' || l[h] == '\t') ? h : 0;
}

/* A list item line ("- ", "* ", "+ " after an indent): its indent, else -1. */
static long item_indent(const char *l, size_t len)
{
	size_t ind = 0;
	while (ind < len && l[ind] == ' ')
		ind++;
	return len > ind + 2 && (l[ind] == '-' || l[ind] == '*' || l[ind] == '+') &&
	       l[ind + 1] == ' ' ? (long)ind : -1;
}

/* One separator piece: "#" lines are headings, "-" lines list items, the
 * other lines (and all lines inside ``` fences) a paragraph. */
static int text_piece(struct splitter *sp, const char *s, size_t n, struct sb *para)
{
	int rc = 0;
	para->n = 0;
	for (size_t i = 0; i < n && rc == 0;) {
		const char *nl = memchr(s + i, '\n', n - i);
		size_t e = nl ? (size_t)(nl - s) : n, len = e - i;
		const char *l = s + i;
		int fence = len >= 3 && !memcmp(l, "```", 3);
		unsigned h = sp->in_fence ? 0 : heading_level(l, len);
		long ind = sp->in_fence || h ? -1 : item_indent(l, len);
		sp->in_fence ^= fence;
		if ((h || ind >= 0) && para->n) {
			rc = block(sp, CK_PARA, 0, para->p, para->n);
			para->n = 0;
		}
		if (rc == 0 && h)
			rc = block(sp, CK_HEADING, h, l + h + 1, len - h - 1);
		else if (rc == 0 && ind >= 0)
			rc = block(sp, CK_ITEM, 1 + (unsigned)ind / 2, l + ind + 2, len - (size_t)ind - 2);
		else if (rc == 0 && len == 0 && para->n) {
			rc = block(sp, CK_PARA, 0, para->p, para->n);   /* a blank line */
			para->n = 0;
		} else if (rc == 0 && len) {
			if (para->n)
				sb_add(para, "\n", 1);
			sb_add(para, l, len);
			rc = para->oom ? -1 : 0;
		}
		i = e + 1;
	}
	if (rc == 0 && para->n)
		rc = block(sp, CK_PARA, 0, para->p, para->n);
	return rc;
}

enum qstatus split_text(const char *text, size_t n, json_t *rule, struct split_result *out,
			struct qerr *err)
{
	return split_text_staged(text, n, rule, out, NULL, NULL, err);
}

enum qstatus split_text_staged(const char *text, size_t n, json_t *rule,
			       struct split_result *out, split_stage_fn fn, void *arg,
			       struct qerr *err)
{
	struct splitter sp;
	struct sb norm = {0}, para = {0};
	memset(out, 0, sizeof *out);
	qerr_clear(err);
	int rc = splitter_init(&sp, rule);
	chunk_normalise(text ? text : "", text ? n : 0, &norm);
	if (norm.oom)
		rc = -1;
	const char *s = norm.p ? norm.p : "", *sep = sp.rule.sep;
	size_t sl = sp.rule.sep_len;
	/* Dify's order: the separator first, then the pieces packed */
	for (size_t i = 0; rc == 0 && i < norm.n;) {
		const char *hit = memmem(s + i, norm.n - i, sep, sl);
		size_t e = hit ? (size_t)(hit - s) : norm.n;
		rc = text_piece(&sp, s + i, e - i, &para);
		i = hit ? e + sl : norm.n;
	}
	free(norm.p);
	free(para.p);
	return finish(&sp, out, rc, err, fn, arg);
}

/* ---- quire-extract's JSON Lines --------------------------------------------- */

/* A paragraph, cut further at a custom separator (not a newline or blank
 * line, which extraction has already used). */
static int para_with_sep(struct splitter *sp, const char *s, size_t n)
{
	const char *sep = sp->rule.sep;
	size_t sl = sp->rule.sep_len;
	if (strspn(sep, "\n") == sl)
		return block(sp, CK_PARA, 0, s, n);
	for (size_t i = 0; i < n;) {
		const char *hit = memmem(s + i, n - i, sep, sl);
		size_t e = hit ? (size_t)(hit - s) : n;
		if (block(sp, CK_PARA, 0, s + i, e - i) < 0)
			return -1;
		i = hit ? e + sl : n;
	}
	return 0;
}

static int bad_line(struct qerr *err, size_t line, const char *what)
{
	qerr_set(err, Q_EINVAL, NULL, "extraction output line %zu: %s", line, what);
	return -2;
}

/* One JSON line: 0, -1 failure, -2 bad input (error written). */
static int json_line(struct splitter *sp, const char *s, size_t n, size_t line,
		     struct qerr *err)
{
	json_error_t je;
	json_t *b = json_loadb(s, n, JSON_REJECT_DUPLICATES, &je);
	const char *t = json_string_value(json_object_get(b, "t"));
	json_t *tx = json_object_get(b, "text"), *lv = json_object_get(b, "level");
	unsigned level = json_is_integer(lv) && json_integer_value(lv) > 0 &&
			 json_integer_value(lv) < 100 ? (unsigned)json_integer_value(lv) : 1;
	int rc = 0;
	if (!b)
		rc = bad_line(err, line, "not JSON");
	else if (!t)
		rc = bad_line(err, line, "not a block (no \"t\")");
	else if ((!strcmp(t, "h") || !strcmp(t, "p") || !strcmp(t, "li")) && !json_is_string(tx))
		rc = bad_line(err, line, "a text block without a string \"text\"");
	else if (!strcmp(t, "page")) {
		json_t *pn = json_object_get(b, "n");
		if (!json_is_integer(pn) || json_integer_value(pn) < 1 ||
		    json_integer_value(pn) > UINT32_MAX)
			rc = bad_line(err, line, "a page without a number \"n\"");
		else
			sp->page = (uint32_t)json_integer_value(pn);
	} else if (!strcmp(t, "h"))
		rc = block(sp, CK_HEADING, level, json_string_value(tx), json_string_length(tx));
	else if (!strcmp(t, "p"))
		rc = para_with_sep(sp, json_string_value(tx), json_string_length(tx));
	else if (!strcmp(t, "li"))
		rc = block(sp, CK_ITEM, level, json_string_value(tx), json_string_length(tx));
	else if (!strcmp(t, "row") && !json_is_array(json_object_get(b, "cells")))
		rc = bad_line(err, line, "a row without \"cells\"");
	else if (!strcmp(t, "row"))
		rc = row(sp, json_object_get(b, "cells"), json_is_true(json_object_get(b, "header")));
	else if (!strcmp(t, "part") && !json_is_string(json_object_get(b, "name")))
		rc = bad_line(err, line, "a part without a \"name\"");
	else if (!strcmp(t, "part"))
		rc = part(sp, json_string_value(json_object_get(b, "name")));
	else if (!strcmp(t, "embed") || !strcmp(t, "embed_end"))
		rc = embed(sp, t[5] == 0);
	/* doc, meta, ocr, end and types to come carry no text */
	json_decref(b);
	return rc;
}

enum qstatus split_blocks(const char *jsonl, size_t n, json_t *rule, struct split_result *out,
			  struct qerr *err)
{
	return split_blocks_staged(jsonl, n, rule, out, NULL, NULL, err);
}

enum qstatus split_blocks_staged(const char *jsonl, size_t n, json_t *rule,
				 struct split_result *out, split_stage_fn fn, void *arg,
				 struct qerr *err)
{
	struct splitter sp;
	memset(out, 0, sizeof *out);
	qerr_clear(err);
	int rc = splitter_init(&sp, rule);
	size_t line = 0;
	for (size_t i = 0; rc == 0 && i < n;) {
		const char *nl = memchr(jsonl + i, '\n', n - i);
		size_t e = nl ? (size_t)(nl - jsonl) : n;
		line++;
		if (e > i && !(e == i + 1 && jsonl[i] == '\r'))
			rc = json_line(&sp, jsonl + i, e - i, line, err);
		i = e + 1;
	}
	return finish(&sp, out, rc, err, fn, arg);
}

void split_result_free(struct split_result *r)
{
	for (size_t i = 0; i < r->n; i++) {
		free(r->v[i].text);
		free(r->v[i].section);
		free(r->v[i].pages);
	}
	free(r->v);
	free(r->plain);
	r->v = NULL;
	r->plain = NULL;
	r->n = 0;
}
