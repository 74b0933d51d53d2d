/* text_compound.c: compound tokens, kept whole beside the parts
 * text_tokens gives: words joined without a space by a hyphen or a slash
 * ("25-hydroxyvitamin", "il-6", "tnf-α", "and/or"), numbers by a comma or
 * a point ("3,4", "1.25"); and pairs of adjacent CJK characters. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "text/text.h"
#include "text/text_compound.h"
#include "text/text_tok.h"

#include <string.h>

/* A byte that may be part of a word: an ASCII letter or digit, or any
 * byte of a multi-byte UTF-8 sequence (text_tokens decides what it is). */
static int word_byte(unsigned char c)
{
	return c >= 0x80 || (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z');
}

static int digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

/* s[j] joins the words around it: a hyphen or slash between word bytes,
 * a comma or point between digits. */
static int joins(const unsigned char *s, size_t n, size_t j)
{
	if (j == 0 || j + 1 >= n || !word_byte(s[j - 1]) || !word_byte(s[j + 1]))
		return 0;
	if (s[j] == '-' || s[j] == '/')
		return 1;
	return (s[j] == ',' || s[j] == '.') && digit(s[j - 1]) && digit(s[j + 1]);
}

/* The token of one piece, when the piece is exactly one token. */
struct piece {
	char tok[TEXT_TOKEN_MAX];
	size_t len;
	int count;
};

static int piece_tok(const char *tok, size_t len, void *arg)
{
	struct piece *p = arg;
	if (p->count++ == 0) {
		memcpy(p->tok, tok, len);
		p->len = len;
	}
	return p->count > 1;
}

/* The compound starting at s[*i] (a word byte) into out; its number of
 * parts (0 when a piece is not one token or it is too long), *i past it. */
static int compound_at(const unsigned char *s, size_t n, size_t *i, char *out, size_t *olen)
{
	int parts = 0, ok = 1;
	size_t len = 0, j = *i;
	for (;;) {
		size_t a = j;
		while (j < n && word_byte(s[j]))
			j++;
		struct piece p = {.count = 0};
		text_tokens((const char *)s + a, j - a, piece_tok, &p);
		if (p.count != 1 || len + p.len + 1 >= TEXT_TOKEN_MAX)
			ok = 0;
		if (ok) {
			if (parts)
				out[len++] = (char)s[a - 1];
			memcpy(out + len, p.tok, p.len);
			len += p.len;
			parts++;
		}
		if (j < n && joins(s, n, j)) {
			j++;
			continue;
		}
		break;
	}
	*i = j;
	*olen = len;
	return ok ? parts : 0;
}

void text_compounds(const char *str, size_t n, text_token_cb cb, void *arg)
{
	const unsigned char *s = (const unsigned char *)str;
	char buf[TEXT_TOKEN_MAX];
	size_t i = 0;
	while (i < n) {
		if (!word_byte(s[i])) {
			i++;
			continue;
		}
		size_t start = i, len;
		while (i < n && word_byte(s[i]))
			i++;
		if (i >= n || !joins(s, n, i))
			continue;   /* a plain word: text_tokens has it */
		i = start;
		if (compound_at(s, n, &i, buf, &len) >= 2 && cb(buf, len, arg))
			return;
	}
}

/* The CJK character at s[*i] as text_tokens reads it (its NFKC_Casefold)
 * appended to out at *len; its byte length, 0 when s[*i] is not one. */
static size_t cjk_at(const unsigned char *s, size_t n, size_t i, char *out, size_t *len)
{
	uint32_t cp, c;
	size_t l = text_utf8_next(s + i, n - i, &cp);
	struct piece p = {.count = 0};
	if (cp < 0x3000)
		return 0;   /* below every CJK block (and its compatibility forms) */
	text_tokens((const char *)s + i, l, piece_tok, &p);
	/* CJK as text_tokens reads it: a half-width katakana folds into one */
	if (p.count != 1 || text_utf8_next((const unsigned char *)p.tok, p.len, &c) != p.len ||
	    !text_is_cjk(c))
		return 0;
	memcpy(out + *len, p.tok, p.len);
	*len += p.len;
	return l;
}

void text_cjk_bigrams(const char *str, size_t n, text_token_cb cb, void *arg)
{
	const unsigned char *s = (const unsigned char *)str;
	char buf[TEXT_TOKEN_MAX];
	size_t i = 0;
	while (i < n) {
		size_t len = 0, l1 = cjk_at(s, n, i, buf, &len), l2;
		if (!l1) {
			i += text_utf8_next(s + i, n - i, &(uint32_t){0});
			continue;
		}
		/* NFKC of one character is at most a few bytes: both fit */
		if (i + l1 < n && (l2 = cjk_at(s, n, i + l1, buf, &len)) && cb(buf, len, arg))
			return;
		i += l1;
	}
}
