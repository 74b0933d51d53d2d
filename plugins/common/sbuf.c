/* sbuf.c: capped growable buffers and UTF-8 helpers shared by the text,
 * HTML and RTF plugins. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdlib.h>
#include <string.h>

#include "sbuf.h"
#include "utf8.h"

void sbuf_init(struct sbuf *b, size_t max)
{
	memset(b, 0, sizeof *b);
	b->max = max;
}

void sbuf_free(struct sbuf *b)
{
	free(b->p);
	sbuf_init(b, b->max);
}

void sbuf_reset(struct sbuf *b)
{
	b->len = 0;
	b->space = 0;
	if (b->p)
		b->p[0] = '\0';
}

/* Room for n more bytes (and the NUL). */
static int grow(struct sbuf *b, size_t n)
{
	size_t need, cap;
	char *p;

	if (n > b->max || b->len > b->max - n) {
		b->oom = 0;
		return -1;
	}
	need = b->len + n + 1;
	if (need <= b->cap)
		return 0;
	cap = b->cap ? b->cap : 64;
	while (cap < need)
		cap = cap > ((size_t)-1) / 2 ? need : cap * 2;
	p = realloc(b->p, cap);
	if (!p) {
		b->oom = 1;
		return -1;
	}
	b->p = p;
	b->cap = cap;
	return 0;
}

int sbuf_add(struct sbuf *b, const void *s, size_t n)
{
	if (n == 0)
		return 0;
	if (grow(b, n))
		return -1;
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
	return 0;
}

int sbuf_addc(struct sbuf *b, char c)
{
	return sbuf_add(b, &c, 1);
}

int sbuf_add_cp(struct sbuf *b, uint32_t cp)
{
	unsigned char u[4];

	return sbuf_add(b, u, pc_utf8_put(cp, u));
}

static int is_ws(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

int sbuf_add_ws(struct sbuf *b, const char *s, size_t n)
{
	size_t i = 0;

	while (i < n) {
		size_t j = i;

		if (is_ws((unsigned char)s[i])) {
			while (i < n && is_ws((unsigned char)s[i]))
				i++;
			if (b->len > 0 && b->p[b->len - 1] != '\n')
				b->space = 1;
			continue;
		}
		while (j < n && !is_ws((unsigned char)s[j]))
			j++;
		if (b->space && sbuf_addc(b, ' '))
			return -1;
		b->space = 0;
		if (sbuf_add(b, s + i, j - i))
			return -1;
		i = j;
	}
	return 0;
}

int sbuf_add_break(struct sbuf *b)
{
	b->space = 0;
	if (b->len == 0 || b->p[b->len - 1] == '\n')
		return 0;
	return sbuf_addc(b, '\n');
}

size_t utf8_seq_len(const unsigned char *p, size_t n)
{
	uint32_t cp;

	return pc_utf8_get(p, n, &cp);
}

/* Whether the bytes from p to the end are the start of a valid sequence
 * that the end cut off. */
static int cut_off(const unsigned char *p, size_t n)
{
	size_t want = p[0] >= 0xf0 ? 4 : p[0] >= 0xe0 ? 3 : p[0] >= 0xc2 ? 2 : 0;

	if (want == 0 || n >= want || p[0] > 0xf4)
		return 0;
	for (size_t i = 1; i < n; i++)
		if ((p[i] & 0xc0) != 0x80)
			return 0;
	return 1;
}

int utf8_valid(const unsigned char *p, size_t n, int partial_end)
{
	size_t i = 0;

	while (i < n) {
		size_t l;

		if (p[i] < 0x80) {
			i++;
			continue;
		}
		l = utf8_seq_len(p + i, n - i);
		if (l == 0)
			return partial_end && cut_off(p + i, n - i);
		i += l;
	}
	return 1;
}

int utf8_mostly(const unsigned char *p, size_t n)
{
	size_t good = 0, bad = 0;

	for (size_t i = 0; i < n;) {
		size_t l;

		if (p[i] < 0x80) {
			i++;
			continue;
		}
		l = utf8_seq_len(p + i, n - i);
		if (l) {
			good++;
			i += l;
		} else {
			bad++;
			i++;
		}
	}
	return good > 0 && good >= 2 * bad;
}

int sbuf_add_utf8(struct sbuf *b, const unsigned char *p, size_t n)
{
	size_t i = 0, start = 0;

	while (i < n) {
		size_t l = p[i] < 0x80 && p[i] ? 1 : p[i] ? utf8_seq_len(p + i, n - i) : 0;

		if (l) {
			i += l;
			continue;
		}
		if (sbuf_add(b, p + start, i - start))
			return -1;
		if (p[i] && sbuf_add(b, "\xef\xbf\xbd", 3))
			return -1;
		start = ++i;
	}
	return sbuf_add(b, p + start, i - start);
}
