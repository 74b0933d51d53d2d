/* pbuf.c: the plugins' one capped text buffer (every plugin family),
 * fed with bytes, code points, UTF-16 units (surrogates joined) or
 * Windows-1252 bytes. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdlib.h>
#include <string.h>

#include "pbuf.h"
#include "utf8.h"

void pbuf_init(struct pbuf *b, size_t max)
{
	memset(b, 0, sizeof *b);
	b->max = max;
}

void pbuf_free(struct pbuf *b)
{
	free(b->p);
	pbuf_init(b, b->max);
}

void pbuf_reset(struct pbuf *b)
{
	b->n = 0;
	b->hi = 0;
	b->full = 0;
	b->space = 0;
	if (b->p)
		b->p[0] = '\0';
}

int pbuf_add(struct pbuf *b, const void *s, size_t n)
{
	if (n == 0)
		return 0;
	if (n > b->max - b->n) {
		b->full = 1;
		b->oom = 0;
		return PBUF_CAP;
	}
	if (b->n + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 64;
		char *p;

		while (cap < b->n + n + 1)
			cap = cap > (size_t)-1 / 2 ? b->n + n + 1 : cap * 2;
		p = realloc(b->p, cap);
		if (!p) {
			b->full = 1;
			b->oom = 1;
			return PBUF_NOMEM;
		}
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->n, s, n);
	b->n += n;
	b->p[b->n] = '\0';
	return 0;
}

int pbuf_addc(struct pbuf *b, char c)
{
	return pbuf_add(b, &c, 1);
}

int pbuf_cp(struct pbuf *b, uint32_t cp)
{
	unsigned char u[4];

	return pbuf_add(b, u, pc_utf8_put(cp, u));
}

int pbuf_u16(struct pbuf *b, unsigned u)
{
	int r = 0;

	if (u >= 0xdc00 && u < 0xe000 && b->hi) {
		uint32_t cp = 0x10000 + ((uint32_t)(b->hi - 0xd800) << 10) + (u - 0xdc00);

		b->hi = 0;
		return pbuf_cp(b, cp);
	}
	if (b->hi) {
		b->hi = 0;
		r = pbuf_cp(b, 0xfffd);
	}
	if (u >= 0xd800 && u < 0xdc00) {
		b->hi = u;
		return r;
	}
	return r ? r : pbuf_cp(b, u);
}

uint32_t pc_cp1252(unsigned char c)
{
	static const uint16_t hi[32] = {
		0x20ac, 0xfffd, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021,
		0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0xfffd, 0x017d, 0xfffd,
		0xfffd, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014,
		0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0xfffd, 0x017e, 0x0178,
	};

	return c >= 0x80 && c < 0xa0 ? hi[c - 0x80] : c;
}

int pbuf_1252(struct pbuf *b, unsigned char c)
{
	return pbuf_cp(b, pc_cp1252(c));
}

static int is_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

void pbuf_squeeze(struct pbuf *b)
{
	size_t i = 0, k = 0;
	int sp = 0;

	for (; i < b->n; i++) {
		unsigned char c = (unsigned char)b->p[i];

		if (is_space(c)) {
			sp = k > 0;
			continue;
		}
		if (sp)
			b->p[k++] = ' ';
		sp = 0;
		b->p[k++] = (char)c;
	}
	b->n = k;
	if (b->p)
		b->p[k] = '\0';
}
