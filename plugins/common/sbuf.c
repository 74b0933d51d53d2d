/* sbuf.c: capped growable buffers and UTF-8 helpers shared by the text,
 * HTML and RTF plugins. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdlib.h>
#include <string.h>

#include "sbuf.h"
#include "utf8.h"

static int is_ws(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

int sbuf_add_ws(struct pbuf *b, const char *s, size_t n)
{
	size_t i = 0;

	while (i < n) {
		size_t j = i;

		if (is_ws((unsigned char)s[i])) {
			while (i < n && is_ws((unsigned char)s[i]))
				i++;
			if (b->n > 0 && b->p[b->n - 1] != '\n')
				b->space = 1;
			continue;
		}
		while (j < n && !is_ws((unsigned char)s[j]))
			j++;
		if (b->space && pbuf_addc(b, ' '))
			return -1;
		b->space = 0;
		if (pbuf_add(b, s + i, j - i))
			return -1;
		i = j;
	}
	return 0;
}

int sbuf_add_break(struct pbuf *b)
{
	b->space = 0;
	if (b->n == 0 || b->p[b->n - 1] == '\n')
		return 0;
	return pbuf_addc(b, '\n');
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

int sbuf_add_utf8(struct pbuf *b, const unsigned char *p, size_t n)
{
	size_t i = 0, start = 0;

	while (i < n) {
		size_t l = p[i] < 0x80 && p[i] ? 1 : p[i] ? utf8_seq_len(p + i, n - i) : 0;

		if (l) {
			i += l;
			continue;
		}
		if (pbuf_add(b, p + start, i - start))
			return -1;
		if (p[i] && pbuf_add(b, "\xef\xbf\xbd", 3))
			return -1;
		start = ++i;
	}
	return pbuf_add(b, p + start, i - start);
}
