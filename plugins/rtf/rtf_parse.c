/* rtf_parse.c: the RTF tokenizer and group stack. No recursion: groups
 * are an array of states with a depth cap (RTF_MAX_DEPTH); control words
 * keep at most RTF_MAX_WORD letters and numeric parameters are clamped to
 * the int range; \binN is checked against the bytes that remain; a bad
 * \'hh or stray byte is dropped. After \uN, \ucN fallback characters
 * (a text byte, a \'hh or a control word each) are skipped, up to the end
 * of the group. \* marks an ignorable destination only as the first thing
 * of a group ("{\*\word"); anywhere else it is ignored, as the
 * specification says, so a stray one cannot hide the rest of a group. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <ctype.h>
#include <limits.h>
#include <string.h>

#include "rtf.h"
#include "rtf_words.h"
#include "rtf_parse.h"
#include "rtf_out.h"
#include "../common/bytes.h"
#include "rtf_list.h"

void rtf_init(struct rtf *r, struct emit *e, const struct quire_host *host,
	      const unsigned char *p, size_t n)
{
	memset(r, 0, sizeof *r);
	r->e = e;
	r->host = host;
	r->p = p;
	r->n = n;
	r->ansicpg = 1252;
	r->deff = -1;
	r->fontdef = -1;
	memset(r->fontcp, 0xff, sizeof r->fontcp);   /* -1: the document's */
	for (int i = 0; i < RTF_LEVELS; i++)
		pbuf_init(&r->bufs[i], RTF_FLUSH_AT * 2);
	pbuf_init(&r->meta, 4096);
	pbuf_init(&r->label, 256);
	pbuf_init(&r->line, RTF_FLUSH_AT * 2 + 512);
	pbuf_init(&r->style_name, 256);
	pbuf_init(&r->cells, RTF_FLUSH_AT * 16);
	pbuf_init(&r->numlabel, 256);
	r->st[0] = (struct rtf_state){ .font = -1, .uc = 1, .dest = D_TEXT, .outline = -1 };
}

void rtf_free(struct rtf *r)
{
	for (int i = 0; i < RTF_LEVELS; i++)
		pbuf_free(&r->bufs[i]);
	pbuf_free(&r->meta);
	pbuf_free(&r->label);
	pbuf_free(&r->line);
	pbuf_free(&r->style_name);
	pbuf_free(&r->cells);
	pbuf_free(&r->numlabel);
	rtf_list_free(r);
	for (unsigned i = 0; i < r->nconv; i++)
		if (r->conv[i].ok)
			conv_close(&r->conv[i].c);
}

static void group_open(struct rtf *r)
{
	struct rtf_state *parent, *s;

	rtf_flush_bytes(r);
	rtf_resolve_hi(r);
	if (r->depth >= RTF_MAX_DEPTH) {
		r->host->log(QUIRE_LOG_WARNING, "rtf: groups nested deeper than %d",
			     RTF_MAX_DEPTH);
		r->failed = QUIRE_CORRUPT;
		return;
	}
	parent = rtf_cur(r);
	s = &r->st[++r->depth];
	*s = *parent;
	s->star = 0;
	s->own_meta = s->own_buf = s->own_style = s->own_label = s->own_list = 0;
	s->upr = 0;
	s->upr_child = 0;
	if (parent->upr) {
		/* \upr: the first (ANSI) version is skipped, \ud's is read */
		s->upr_child = 1;
		s->saved_dest = s->dest;
		s->dest = D_SKIP;
	} else if (parent->dest == D_STYLESHEET) {
		s->dest = D_STYLE;
		s->own_style = 1;
		r->style_num = 0;
		r->style_outline = -1;
		pbuf_reset(&r->style_name);
	}
}

static void group_close(struct rtf *r)
{
	struct rtf_state closing;

	rtf_flush_bytes(r);
	rtf_resolve_hi(r);
	if (r->depth == 0) {
		r->ended = 1;
		return;
	}
	closing = *rtf_cur(r);
	r->depth--;
	rtf_end_group(r, &closing);
	if (r->depth == 0)
		r->ended = 1;
}

/* The numeric parameter after a control word's letters, clamped. */
static int read_param(struct rtf *r, int *has)
{
	long long v = 0;
	int neg = 0;

	*has = 0;
	if (r->pos + 1 < r->n && r->p[r->pos] == '-' && isdigit(r->p[r->pos + 1])) {
		neg = 1;
		r->pos++;
	}
	while (r->pos < r->n && isdigit(r->p[r->pos])) {
		*has = 1;
		if (v <= (long long)INT_MAX + 1)
			v = v * 10 + (r->p[r->pos] - '0');
		r->pos++;
	}
	if (neg)
		v = -v;
	if (v > INT_MAX)
		v = INT_MAX;
	if (v < INT_MIN)
		v = INT_MIN;
	return (int)v;
}

static void control_word(struct rtf *r)
{
	char word[RTF_MAX_WORD + 1];
	size_t len = 0;
	int has, param;

	while (r->pos < r->n && isalpha(r->p[r->pos])) {
		if (len < RTF_MAX_WORD)
			word[len] = (char)r->p[r->pos];
		len++;
		r->pos++;
	}
	if (len > RTF_MAX_WORD)
		len = 0;   /* longer than any real word: unknown, ignored */
	word[len] = '\0';
	param = read_param(r, &has);
	if (r->pos < r->n && r->p[r->pos] == ' ')
		r->pos++;
	if (!strcmp(word, "bin")) {
		rtf_bin(r, has, param);
		if (r->skip_n > 0)
			r->skip_n--;
		return;
	}
	if (r->skip_n > 0) {
		r->skip_n--;
		return;
	}
	if (len)
		rtf_word(r, word, has, param);
}

/* A control symbol; first: it is the first thing of its group. */
static void control_symbol(struct rtf *r, unsigned char c, int first)
{
	int hi, lo;

	r->pos++;
	if (c == '\'') {
		hi = r->pos < r->n ? pc_hexval(r->p[r->pos]) : -1;
		lo = hi >= 0 && r->pos + 1 < r->n ? pc_hexval(r->p[r->pos + 1]) : -1;
		if (hi < 0 || lo < 0) {
			r->pos += hi >= 0;   /* \'zz, \'1z: dropped */
			return;
		}
		r->pos += 2;
		if (r->skip_n > 0)
			r->skip_n--;
		else
			rtf_byte(r, (unsigned char)(hi << 4 | lo));
		return;
	}
	if (r->skip_n > 0) {
		r->skip_n--;
		return;
	}
	switch (c) {
	case '\\': case '{': case '}': rtf_byte(r, c); break;
	case '~': rtf_char(r, 0xa0); break;
	case '_': rtf_char(r, 0x2011); break;
	case '-': rtf_char(r, 0xad); break;   /* optional hyphen: U+00AD */
	case '*':
		if (first)
			rtf_cur(r)->star = 1;
		break;
	case '\n': case '\r': rtf_par(r); break;
	case '\t': rtf_char(r, '\t'); break;
	default: break;   /* \: \| and unknown symbols */
	}
}

static void control(struct rtf *r)
{
	unsigned char c;
	int first = r->group_start;

	r->pos++;
	r->group_start = 0;
	if (r->pos >= r->n)
		return;
	c = r->p[r->pos];
	if (isalpha(c))
		control_word(r);
	else
		control_symbol(r, c, first);
}

int rtf_run(struct rtf *r)
{
	while (r->pos < r->n && !r->failed && !r->ended) {
		unsigned char c = r->p[r->pos];

		switch (c) {
		case '{':
			r->pos++;
			r->skip_n = 0;
			group_open(r);
			r->group_start = 1;
			break;
		case '}':
			r->pos++;
			r->skip_n = 0;
			r->group_start = 0;
			group_close(r);
			break;
		case '\\':
			control(r);
			break;
		case '\r': case '\n': case '\0':
			r->pos++;
			break;
		default:
			r->pos++;
			r->group_start = 0;
			rtf_cur(r)->star = 0;
			if (r->skip_n > 0)
				r->skip_n--;
			else if (c == '\t')
				rtf_char(r, '\t');
			else
				rtf_byte(r, c);
			break;
		}
	}
	if (!r->failed) {
		if (!r->ended)
			r->host->log(QUIRE_LOG_INFO, "rtf: %u groups not closed at the end",
				     r->depth);
		rtf_finish(r);
	}
	return r->failed;
}
