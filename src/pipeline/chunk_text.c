/* chunk_text.c: the chunker's character level: UTF-8 decoding and repair,
 * token and word counting (docs/chunking.md), and the process rule's
 * pre-processing (extra spaces, URLs and e-mail addresses). */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "pipeline/chunk_impl.h"
#include "pipeline/chunk_text.h"
#include "text/text_tok.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

void sb_add(struct sb *b, const char *s, size_t n)
{
	if (b->oom)
		return;
	if (b->n + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 256;
		while (cap < b->n + n + 1)
			cap *= 2;
		char *p = realloc(b->p, cap);
		if (!p) {
			b->oom = 1;
			return;
		}
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->n, s, n);
	b->n += n;
	b->p[b->n] = '\0';
}

void sb_adds(struct sb *b, const char *s)
{
	sb_add(b, s, strlen(s));
}

static void sb_reset(struct sb *b)
{
	b->n = 0;
	b->oom = 0;
	if (b->p)
		b->p[0] = '\0';
}

/* ---- UTF-8 ------------------------------------------------------------------ */

unsigned chunk_utf8(const char *s, size_t n, size_t i, size_t *len)
{
	uint32_t cp;
	*len = text_utf8_get((const unsigned char *)s + i, n - i, &cp);
	return cp;
}

size_t chunk_cps(const char *s, size_t n)
{
	size_t c = 0;
	for (size_t i = 0; i < n; i++)
		c += ((unsigned char)s[i] & 0xc0) != 0x80;
	return c;
}

void chunk_normalise(const char *s, size_t n, struct sb *out)
{
	size_t len, from = 0;   /* s[from, i) is copied as it is */
	sb_reset(out);
	for (size_t i = 0; i < n; i += len) {
		unsigned cp = chunk_utf8(s, n, i, &len);
		int bad = len == 1 && (unsigned char)s[i] >= 0x80;
		if (!bad && cp != '\r' && cp != 0)
			continue;
		sb_add(out, s + from, i - from);
		if (cp == '\r') {
			sb_add(out, "\n", 1);
			if (i + 1 < n && s[i + 1] == '\n')
				len = 2;
		} else {
			sb_add(out, bad ? "\xef\xbf\xbd" : " ", bad ? 3 : 1);
		}
		from = i + len;
	}
	sb_add(out, s + from, n - from);
}

/* ---- counting --------------------------------------------------------------- */

/* Ideographs, kana and hangul syllables: a word and a token each. */
static int is_cjk(unsigned cp)
{
	return (cp >= 0x3040 && cp <= 0x30ff) || (cp >= 0x3400 && cp <= 0x4dbf) ||
	       (cp >= 0x4e00 && cp <= 0x9fff) || (cp >= 0xac00 && cp <= 0xd7a3) ||
	       (cp >= 0xf900 && cp <= 0xfaff) || (cp >= 0x20000 && cp <= 0x2ffff);
}

int chunk_is_space(unsigned cp)
{
	return cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == '\f' || cp == '\v' ||
	       cp == 0xa0 || cp == 0x1680 || cp == 0x3000 || (cp >= 0x2000 && cp <= 0x200b) ||
	       cp == 0x2028 || cp == 0x2029 || cp == 0x202f || cp == 0x205f || cp == 0xfeff;
}

/* Punctuation and symbols: ASCII, Latin-1's, general punctuation, arrows
 * to dingbats, CJK punctuation, full-width forms' punctuation. */
static int is_punct(unsigned cp)
{
	if (cp < 0x80)
		return !isalnum((int)cp) && !chunk_is_space(cp);
	return (cp >= 0xa1 && cp <= 0xbf) || cp == 0xd7 || cp == 0xf7 ||
	       (cp >= 0x2010 && cp <= 0x2bff) || (cp >= 0x3001 && cp <= 0x303f) ||
	       (cp >= 0xfe30 && cp <= 0xfe4f) || (cp >= 0xff01 && cp <= 0xff0f) ||
	       (cp >= 0xff1a && cp <= 0xff20) || (cp >= 0xff3b && cp <= 0xff40) ||
	       (cp >= 0xff5b && cp <= 0xff65) || cp == 0xfffd;
}

void chunk_count_cp(struct chunk_counter *c, unsigned cp)
{
	if (chunk_is_space(cp)) {
		c->run = 0;
		c->in_word = 0;
	} else if (is_cjk(cp)) {
		c->run = 0;
		c->in_word = 0;
		c->tokens++;
		c->words++;
	} else if (is_punct(cp)) {
		c->run = 0;
		c->tokens++;
	} else {
		/* a run of L letters and digits is 1 + (L - 1) / 6 tokens */
		if (c->run % 6 == 0)
			c->tokens++;
		c->run++;
		if (!c->in_word)
			c->words++;
		c->in_word = 1;
	}
}

/* split_count's fast path: an ASCII byte's class as chunk_count_cp has
 * it in the C locale (Quire never sets another): white space (tab to CR,
 * space), letters and digits, and the rest punctuation
 * (tests/unit/test_split.c checks every byte against chunk_count_cp). */
static int ascii_space(unsigned char b)
{
	return b == ' ' || (b >= '\t' && b <= '\r');
}

static int ascii_alnum(unsigned char b)
{
	return (unsigned)((b | 0x20) - 'a') < 26 || (unsigned)(b - '0') < 10;
}

void split_count(const char *s, size_t n, size_t *tokens, size_t *words)
{
	struct chunk_counter c = {0};
	size_t len;
	for (size_t i = 0; i < n; i += len) {
		unsigned char b = (unsigned char)s[i];
		if (b >= 0x80) {
			chunk_count_cp(&c, chunk_utf8(s, n, i, &len));
			continue;
		}
		len = 1;   /* the ASCII fast path: chunk_count_cp inlined */
		if (ascii_space(b)) {
			c.run = 0;
			c.in_word = 0;
		} else if (!ascii_alnum(b)) {
			c.run = 0;
			c.tokens++;
		} else {
			if (c.run % 6 == 0)
				c.tokens++;
			c.run++;
			if (!c.in_word)
				c.words++;
			c.in_word = 1;
		}
	}
	*tokens = c.tokens;
	*words = c.words;
}

/* ---- pre-processing ------------------------------------------------------- */

static int word_start(const char *s, size_t i)
{
	return i == 0 || isspace((unsigned char)s[i - 1]) || strchr("(<[\"'", s[i - 1]);
}

/* Trailing marks that end a sentence or close a bracket, not the address. */
static size_t trim_tail(const char *s, size_t i, size_t j)
{
	while (j > i && strchr(".,;:!?'\"", s[j - 1]))
		j--;
	return j;
}

/* Length of a URL starting at i, 0 if none: up to white space, or the
 * bracket that opened before it. */
static size_t url_len(const char *s, size_t n, size_t i)
{
	if (!word_start(s, i))
		return 0;
	if (!((n - i > 7 && !strncasecmp(s + i, "http://", 7)) ||
	      (n - i > 8 && !strncasecmp(s + i, "https://", 8)) ||
	      (n - i > 4 && !strncasecmp(s + i, "www.", 4))))
		return 0;
	char close = i == 0 ? 0 : s[i - 1] == '(' ? ')' : s[i - 1] == '<' ? '>' :
			     s[i - 1] == '[' ? ']' : 0;
	size_t j = i;
	while (j < n && !isspace((unsigned char)s[j]) && s[j] != close)
		j++;
	return trim_tail(s, i, j) - i;
}

/* Length of an e-mail address starting at i (a word start), 0 if none. */
static size_t email_len(const char *s, size_t n, size_t i)
{
	if (!word_start(s, i))
		return 0;
	size_t j = i, at = 0, dot = 0;
	int ats = 0;
	while (j < n && (isalnum((unsigned char)s[j]) || strchr("._%+-@", s[j]) ||
			 (unsigned char)s[j] >= 0x80)) {
		if (s[j] == '@')
			ats++, at = j;
		else if (ats && s[j] == '.')
			dot = j;
		j++;
	}
	j = trim_tail(s, i, j);
	return ats == 1 && at > i && dot > at + 1 && dot + 1 < j ? j - i : 0;
}

/* The unicode white space that "remove extra spaces" folds, its length. */
static size_t space_at(const char *s, size_t n, size_t i, int *newline)
{
	size_t len;
	unsigned cp = chunk_utf8(s, n, i, &len);
	*newline = cp == '\n';
	return chunk_is_space(cp) ? len : 0;
}

void chunk_clean(const struct split_rule *r, const char *s, size_t n, struct sb *out)
{
	int space = 0, nl = 0, started = 0, is_nl;
	sb_reset(out);
	for (size_t i = 0; i < n;) {
		size_t skip;
		if (r->urls_emails && (skip = url_len(s, n, i) ?: email_len(s, n, i))) {
			i += skip;
			continue;
		}
		if (r->extra_spaces && (skip = space_at(s, n, i, &is_nl))) {
			/* runs of spaces to one, of newlines to at most two */
			nl += is_nl;
			space = 1;
			i += skip;
			continue;
		}
		if (started && (nl || space))
			sb_add(out, nl > 1 ? "\n\n" : nl ? "\n" : " ", nl > 1 ? 2 : 1);
		space = nl = 0;
		started = 1;
		sb_add(out, &s[i], 1);
		i++;
	}
}
