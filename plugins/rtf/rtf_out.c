/* rtf_out.c: RTF text on its way out: bytes through the code page of the
 * current font (\fcharset, \cpg) or of the document (\ansicpg), Unicode
 * escapes with their surrogate pairs (a lone half is U+FFFD), and the
 * blocks: paragraphs (headings by \outlinelevel or a "heading N" style,
 * list items by \ls/\ilvl, led by the label the list tables give them
 * (rtf_list.c) or else by their \listtext or \pntext label),
 * table rows (\cell ... \row, \trhdr for a header), metadata from \info.
 * Symbol fonts (\fcharset2) have no code page: their bullets are mapped
 * to the Unicode characters they draw. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "rtf.h"
#include "rtf_out.h"
#include "rtf_list.h"
#include "../common/embed.h"

int rtf_charset_cp(int charset)
{
	switch (charset) {
	case 0: return 1252;
	case 2: return RTF_SYMBOL_CP;
	case 77: return 10000;
	case 78: return 10001;
	case 128: return 932;
	case 129: return 949;
	case 130: return 1361;
	case 134: return 936;
	case 136: return 950;
	case 161: return 1253;
	case 162: return 1254;
	case 163: return 1258;
	case 177: return 1255;
	case 178: return 1256;
	case 186: return 1257;
	case 204: return 1251;
	case 222: return 874;
	case 238: return 1250;
	case 254: return 437;
	case 255: return 850;
	default: return -1;   /* 1 (default) and unknown: the document's */
	}
}

int rtf_font_cp(struct rtf *r, int font)
{
	if (font >= 0 && font < RTF_MAX_FONTS && r->fontcp[font] >= 0)
		return r->fontcp[font];
	return r->ansicpg;
}

/* Where text goes now, or NULL when it is not read. */
static struct pbuf *target(struct rtf *r)
{
	struct rtf_state *s = rtf_cur(r);

	if (s->hidden || s->deleted)
		return NULL;
	switch (s->dest) {
	case D_TEXT: return &r->bufs[s->buf];
	case D_META: return &r->meta;
	case D_STYLE: return &r->style_name;
	case D_LABEL: return &r->label;
	default: return NULL;
	}
}

static struct conv *conv_for(struct rtf *r, int cp)
{
	unsigned i;
	const char *name;

	for (i = 0; i < r->nconv; i++)
		if (r->conv[i].cp == cp)
			return r->conv[i].ok ? &r->conv[i].c : NULL;
	if (r->nconv < RTF_NCONV) {
		i = r->nconv++;
	} else {
		i = r->evict++ % RTF_NCONV;
		if (r->conv[i].ok)
			conv_close(&r->conv[i].c);
	}
	name = conv_codepage_name(cp);
	r->conv[i].cp = cp;
	r->conv[i].ok = conv_open(&r->conv[i].c, name ? name : "CP1252") == 0 ||
			conv_open(&r->conv[i].c, "CP1252") == 0;
	return r->conv[i].ok ? &r->conv[i].c : NULL;
}

void rtf_convert(struct rtf *r, int cp, const unsigned char *b, size_t n, struct pbuf *out)
{
	struct conv *c = conv_for(r, cp);

	if (c)
		conv_feed(c, b, n, 1, out);
}

static void fail_if_stopped(struct rtf *r, int stop)
{
	if (stop && !r->failed)
		r->failed = r->e->stopped ? QUIRE_TOO_LARGE : QUIRE_ERROR;
}

static unsigned heading_level(struct rtf *r, const struct rtf_state *s)
{
	if (s->outline >= 0 && s->outline <= 5)
		return (unsigned)s->outline + 1;
	if (s->style >= 0 && s->style < RTF_MAX_STYLES)
		return r->stylelevel[s->style];
	return 0;
}

/* The paragraph in b led by the pending list label, if it is b's: the
 * text in r->line, or b itself. */
static const struct pbuf *labelled(struct rtf *r, struct pbuf *b, int *has_label)
{
	size_t n = r->label.n, m = b->n;
	const char *lab = emit_trim(r->label.p ? r->label.p : "", &n);
	const char *text = emit_trim(b->p ? b->p : "", &m);

	*has_label = 0;
	if (!r->label.n || b != &r->bufs[r->label_buf])
		return b;
	if (n == 0 || m == 0) {
		pbuf_reset(&r->label);
		return b;
	}
	pbuf_reset(&r->line);
	if (pbuf_add(&r->line, lab, n) || pbuf_addc(&r->line, ' ') ||
	    pbuf_add(&r->line, text, m)) {
		pbuf_reset(&r->label);
		return b;
	}
	pbuf_reset(&r->label);
	*has_label = 1;
	return &r->line;
}

/* Text of part is about to be written: mark a change of part (a header's,
 * a footnote's text, then the body's again) for the host. */
static void mark_part(struct rtf *r, const char *part)
{
	if (r->part_out == part || (r->part_out && part && !strcmp(r->part_out, part)))
		return;
	r->part_out = part;
	if (pc_part(r->host, part ? part : "body")) {
		r->e->stopped = 1;
		fail_if_stopped(r, 1);
	}
}

/* Write a buffer as the block the state's paragraph properties make it. */
static void emit_block(struct rtf *r, const struct rtf_state *s, struct pbuf *b)
{
	const struct pbuf *t;
	unsigned level;
	int stop = 0, label;

	t = labelled(r, b, &label);   /* an empty list paragraph drops its label */
	if (b->n)
		mark_part(r, s->part);
	if (b->n && !r->failed) {
		level = heading_level(r, s);
		if (s->ls > 0)
			stop = emit_item(r->e, (unsigned)s->ilvl + 1, t->p, t->n);
		else if (level >= 1 && level <= 6)
			stop = emit_heading(r->e, level, t->p, t->n);
		else if (label)   /* \pntext numbering without \ls */
			stop = emit_item(r->e, 1, t->p, t->n);
		else
			stop = emit_para(r->e, t->p, t->n);
	}
	pbuf_reset(b);
	if (b == &r->bufs[0])
		r->para_at = 0;
	fail_if_stopped(r, stop);
}

/* A list paragraph ends: the label its list tables give it, counted on,
 * takes the place of its \listtext; where the tables give none, the
 * \listtext stays. */
static void list_label(struct rtf *r, const struct rtf_state *s)
{
	if (s->ls <= 0 || s->dest != D_TEXT ||
	    !rtf_list_label(r, s->ls, s->ilvl, &r->numlabel))
		return;
	pbuf_reset(&r->label);
	if (r->numlabel.n && pbuf_add(&r->label, r->numlabel.p, r->numlabel.n))
		pbuf_reset(&r->label);
	r->label_buf = s->buf;
	r->label_at = s->intbl && s->buf == 0 ? r->para_at : 0;
}

/* In a table cell paragraphs are not written one by one: a pending label
 * goes into the cell's text where its paragraph starts. */
static void label_in_cell(struct rtf *r, struct pbuf *b)
{
	size_t n = r->label.n, at = r->label_at, old = b->n;
	const char *lab = emit_trim(r->label.p ? r->label.p : "", &n);

	if (!r->label.n || b != &r->bufs[r->label_buf])
		return;
	if (n && at < old && pbuf_add(b, lab, n) == 0 && pbuf_addc(b, ' ') == 0) {
		memmove(b->p + at + n + 1, b->p + at, old - at);
		memcpy(b->p + at, r->label.p + (lab - r->label.p), n);
		b->p[at + n] = ' ';
	}
	pbuf_reset(&r->label);
}

/* A paragraph longer than RTF_FLUSH_AT is written in pieces. */
static void check_size(struct rtf *r, struct pbuf *t)
{
	if (t->n >= RTF_FLUSH_AT && t >= r->bufs && t < r->bufs + RTF_LEVELS)
		emit_block(r, rtf_cur(r), t);
}

static void add(struct rtf *r, struct pbuf *t, const char *s, size_t n)
{
	if (pbuf_add(t, s, n) && t->oom)
		fail_if_stopped(r, 1);
	check_size(r, t);
}

static void flush(struct rtf *r, int final)
{
	struct pbuf *t = target(r);
	struct conv *c;

	if (r->nbytes == 0)
		return;
	c = conv_for(r, r->bytes_cp);
	if (t && c) {
		if (conv_feed(c, r->bytes, r->nbytes, final, t) && t->oom)
			fail_if_stopped(r, 1);
		check_size(r, t);
	}
	r->nbytes = 0;
}

void rtf_flush_bytes(struct rtf *r)
{
	flush(r, 1);
}

void rtf_resolve_hi(struct rtf *r)
{
	struct pbuf *t;

	if (!r->hi)
		return;
	r->hi = 0;
	t = target(r);
	if (t)
		add(r, t, "\xef\xbf\xbd", 3);
}

/* What a symbol font's byte draws, when it is one of the bullets that
 * Word's lists use (Symbol's dot, Wingdings' square, arrow and tick);
 * 0: read it as the code page says. */
static uint32_t symbol_char(unsigned char c)
{
	switch (c) {
	case 0xb7: return 0x2022;
	case 0xa7: return 0x25aa;
	case 0xd8: return 0x27a2;
	case 0xfc: return 0x2713;
	default: return 0;
	}
}

void rtf_byte(struct rtf *r, unsigned char c)
{
	struct pbuf *t = target(r);
	int cp;

	if (rtf_cur(r)->dest == D_LEVELUNITS) {
		rtf_list_unit(r, c, 1);
		return;
	}
	if (!t)
		return;
	rtf_resolve_hi(r);
	if (c < 0x80 && r->nbytes == 0) {
		char ch = (char)c;
		add(r, t, &ch, 1);
		return;
	}
	cp = rtf_font_cp(r, rtf_cur(r)->font);
	if (cp == RTF_SYMBOL_CP && symbol_char(c)) {
		rtf_char(r, symbol_char(c));
		return;
	}
	if (r->nbytes && cp != r->bytes_cp)
		flush(r, 1);
	if (r->nbytes == sizeof r->bytes)
		flush(r, 0);   /* the converter keeps a split two-byte character */
	r->bytes_cp = cp;
	r->bytes[r->nbytes++] = c;
}

void rtf_char(struct rtf *r, uint32_t cp)
{
	struct pbuf *t = target(r);

	if (rtf_cur(r)->dest == D_LEVELUNITS) {
		rtf_list_unit(r, cp, 0);
		return;
	}
	if (!t)
		return;
	rtf_flush_bytes(r);
	rtf_resolve_hi(r);
	if (pbuf_cp(t, cp) && t->oom)
		fail_if_stopped(r, 1);
	check_size(r, t);
}

void rtf_unicode(struct rtf *r, int param)
{
	long v = param < 0 ? (long)param + 65536 : param;
	struct pbuf *t = target(r);

	if (rtf_cur(r)->dest == D_LEVELUNITS) {
		if (v > 0)
			rtf_list_unit(r, (uint32_t)v, 0);
		return;
	}
	if (!t) {
		r->hi = 0;
		return;
	}
	rtf_flush_bytes(r);
	if (v >= 0xd800 && v <= 0xdbff) {
		rtf_resolve_hi(r);
		r->hi = (uint32_t)v;
		return;
	}
	if (v >= 0xdc00 && v <= 0xdfff) {
		uint32_t cp = r->hi ? 0x10000 + ((r->hi - 0xd800) << 10) + ((uint32_t)v - 0xdc00)
				    : 0xfffd;
		r->hi = 0;
		rtf_char(r, cp);
		return;
	}
	if (v <= 0)
		return;
	rtf_char(r, v > 0x10ffff ? 0xfffd : (uint32_t)v);
}

void rtf_break(struct rtf *r)
{
	struct pbuf *t = target(r);

	if (!t)
		return;
	rtf_flush_bytes(r);
	rtf_resolve_hi(r);
	add(r, t, rtf_cur(r)->intbl ? " " : "\n", 1);
}

static void row_emit(struct rtf *r)
{
	const char *ptr[RTF_MAX_CELLS];
	size_t len[RTF_MAX_CELLS];

	if (r->ncells == 0)
		return;
	mark_part(r, rtf_cur(r)->part);
	for (size_t c = 0; c < r->ncells; c++) {
		size_t end = c + 1 < r->ncells ? r->off[c + 1] : r->cells.n;
		ptr[c] = r->cells.p ? r->cells.p + r->off[c] : "";
		len[c] = end - r->off[c];
	}
	fail_if_stopped(r, emit_row(r->e, ptr, len, r->ncells, r->trhdr));
	r->ncells = 0;
	pbuf_reset(&r->cells);
}

/* how: 0 \par, 1 \sect, 2 \page or \column */
static void par_end(struct rtf *r, int how)
{
	struct rtf_state *s = rtf_cur(r);
	struct pbuf *b;
	int text;

	if (s->dest != D_TEXT)
		return;
	rtf_flush_bytes(r);
	rtf_resolve_hi(r);
	b = &r->bufs[s->buf];
	text = b->n > (s->intbl && s->buf == 0 ? r->para_at : 0);
	if (r->broken)   /* the rest of a paragraph already numbered */
		r->broken = 0;
	else if (how == 0 || text)
		list_label(r, s);
	if (how == 2 && text)
		r->broken = 1;
	if (s->intbl && s->buf == 0) {
		label_in_cell(r, b);
		add(r, b, " ", 1);   /* a paragraph inside a cell */
		r->para_at = b->n;
		return;
	}
	if (s->buf == 0)
		row_emit(r);   /* a table that ended without \row */
	emit_block(r, s, b);
}

void rtf_par(struct rtf *r)
{
	par_end(r, 0);
}

void rtf_sect(struct rtf *r)
{
	par_end(r, 1);
}

void rtf_page(struct rtf *r)
{
	par_end(r, 2);
}

void rtf_cell(struct rtf *r)
{
	struct rtf_state *s = rtf_cur(r);
	struct pbuf *b;

	if (s->dest != D_TEXT)
		return;
	rtf_flush_bytes(r);
	rtf_resolve_hi(r);
	b = &r->bufs[s->buf];
	if (r->broken)
		r->broken = 0;
	else
		list_label(r, s);
	label_in_cell(r, b);
	if (r->ncells < RTF_MAX_CELLS)
		r->off[r->ncells++] = r->cells.n;
	else
		pbuf_addc(&r->cells, ' ');
	if (pbuf_add(&r->cells, b->p ? b->p : "", b->n) && r->cells.oom)
		fail_if_stopped(r, 1);
	pbuf_reset(b);
	r->para_at = 0;
	if (r->cells.n >= RTF_FLUSH_AT * 8)
		row_emit(r);
}

void rtf_nestcell(struct rtf *r)
{
	struct pbuf *t = target(r);

	if (t && rtf_cur(r)->dest == D_TEXT) {
		rtf_flush_bytes(r);
		add(r, t, " ", 1);
	}
}

void rtf_row(struct rtf *r)
{
	struct rtf_state *s = rtf_cur(r);
	struct pbuf *b;
	size_t n;

	if (s->dest != D_TEXT)
		return;
	rtf_flush_bytes(r);
	rtf_resolve_hi(r);
	b = &r->bufs[s->buf];
	n = b->n;
	if (n && emit_trim(b->p, &n) && n)
		rtf_cell(r);
	pbuf_reset(b);
	r->para_at = 0;
	row_emit(r);
}

void rtf_style_record(struct rtf *r)
{
	size_t n = r->style_name.n;
	const char *name = emit_trim(r->style_name.p ? r->style_name.p : "", &n);
	unsigned level = 0;

	while (n > 0 && (name[n - 1] == ';' || name[n - 1] == ' '))
		n--;
	if (r->style_outline >= 0 && r->style_outline <= 5)
		level = (unsigned)r->style_outline + 1;
	else if (n >= 9 && !strncasecmp(name, "heading ", 8) && isdigit((unsigned char)name[8]))
		level = (unsigned)(name[8] - '0');
	if (level > 6)
		level = 0;
	if (r->style_num >= 0 && r->style_num < RTF_MAX_STYLES)
		r->stylelevel[r->style_num] = (unsigned char)level;
	pbuf_reset(&r->style_name);
}

void rtf_end_group(struct rtf *r, const struct rtf_state *closing)
{
	if (closing->own_label)
		r->label_at = r->bufs[r->label_buf].n;
	if (closing->own_list)
		rtf_list_end(r, closing);
	if (r->depth == 0) {   /* the document's group: its last paragraph's properties */
		r->doc_end = *closing;
		r->has_doc_end = 1;
	}
	if (closing->own_meta) {
		fail_if_stopped(r, emit_meta(r->e, closing->meta_key, r->meta.p ? r->meta.p : "",
					     r->meta.n));
		pbuf_reset(&r->meta);
	}
	if (closing->own_style)
		rtf_style_record(r);
	if (closing->own_buf) {
		struct pbuf *b = &r->bufs[closing->buf];
		if (b->n)
			mark_part(r, closing->part);
		fail_if_stopped(r, emit_para(r->e, b->p ? b->p : "", b->n));
		pbuf_reset(b);
	}
}

void rtf_finish(struct rtf *r)
{
	struct rtf_state *s = rtf_cur(r);

	rtf_flush_bytes(r);
	rtf_resolve_hi(r);
	if (r->ncells && s->intbl)
		rtf_row(r);
	if (s->dest == D_TEXT && s->buf > 0)
		emit_block(r, s, &r->bufs[s->buf]);
	while (r->depth > 0 && !r->failed) {
		struct rtf_state closing = *rtf_cur(r);
		r->depth--;
		rtf_end_group(r, &closing);
	}
	row_emit(r);
	if (!r->failed) {
		/* a last paragraph without \par: the properties it ended with */
		const struct rtf_state *last = r->has_doc_end ? &r->doc_end : s;

		if (r->bufs[0].n && !r->broken)
			list_label(r, last);
		emit_block(r, last, &r->bufs[0]);
	}
	if (!r->failed)
		mark_part(r, NULL);
}
