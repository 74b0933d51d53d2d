/* biff.c: BIFF record iteration, records continued by CONTINUE records
 * and the strings inside them ([MS-XLS] 2.1.4, 2.5.293-2.5.296). Every
 * read is bounds-checked: a short record sets `bad` and reads zeros. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "biff.h"

int biff_at(const unsigned char *s, size_t n, size_t off, struct biff_rec *r)
{
	if (!pc_in(n, off, 4))
		return -1;
	r->type = pc_le16(s + off);
	r->len = pc_le16(s + off + 2);
	if (!pc_in(n, off + 4, r->len))
		return -1;
	r->p = s + off + 4;
	r->off = off;
	r->next = off + 4 + r->len;
	return 0;
}

int crd_init(struct crd *c, const unsigned char *s, size_t n, size_t off, int skip_first)
{
	struct biff_rec r;
	size_t cap = 0;

	memset(c, 0, sizeof *c);
	c->s = s;
	if (biff_at(s, n, off, &r) != 0) {
		c->bad = 1;
		return 0;
	}
	for (int first = 1; first || r.type == BIFF_CONTINUE; first = 0) {
		if (!(first && skip_first)) {
			if (c->nseg == cap) {
				struct biff_seg *g;

				cap = cap ? 2 * cap : 8;
				g = realloc(c->seg, cap * sizeof *g);
				if (!g)
					return -1;
				c->seg = g;
			}
			c->seg[c->nseg].off = r.off + 4;
			c->seg[c->nseg++].n = r.len;
		}
		if (biff_at(s, n, r.next, &r) != 0)
			break;
	}
	return 0;
}

void crd_free(struct crd *c)
{
	free(c->seg);
	c->seg = NULL;
	c->nseg = 0;
}

/* Move past ended segments; 0 when none is left. */
static int crd_avail(struct crd *c)
{
	while (c->i < c->nseg && c->pos >= c->seg[c->i].n) {
		c->i++;
		c->pos = 0;
	}
	return c->i < c->nseg;
}

unsigned crd_u8(struct crd *c)
{
	if (c->bad || !crd_avail(c)) {
		c->bad = 1;
		return 0;
	}
	return c->s[c->seg[c->i].off + c->pos++];
}

unsigned crd_u16(struct crd *c)
{
	unsigned lo = crd_u8(c);

	return lo | crd_u8(c) << 8;
}

uint32_t crd_u32(struct crd *c)
{
	uint32_t lo = crd_u16(c);

	return lo | (uint32_t)crd_u16(c) << 16;
}

void crd_skip(struct crd *c, size_t n)
{
	while (n > 0 && !c->bad) {
		size_t left;

		if (!crd_avail(c)) {
			c->bad = 1;
			return;
		}
		left = c->seg[c->i].n - c->pos;
		if (left > n)
			left = n;
		c->pos += left;
		n -= left;
	}
}

void biff_text_codepage(struct biff_text *t, unsigned codepage)
{
	char name[16];

	biff_text_close(t);
	/* 1200 is UTF-16 (BIFF8 strings say so themselves); 367 is ASCII. */
	if (t->biff8 || codepage == 0 || codepage == 1252 || codepage == 1200 ||
	    codepage == 367 || codepage == 0x8000 || codepage == 0x8001)
		return;
	snprintf(name, sizeof name, "CP%u", codepage);
	t->cd = iconv_open("UTF-8", name);
}

void biff_text_close(struct biff_text *t)
{
	if (t->cd != (iconv_t)-1)
		iconv_close(t->cd);
	t->cd = (iconv_t)-1;
}

/* The letter iconv holds back at the end of a string (Windows-1255 and
 * 1258 wait for a combining mark that may follow a base letter). */
static void flush_iconv(iconv_t cd, struct pbuf *b)
{
	char out[64], *o = out;
	size_t ol = sizeof out;

	if (iconv(cd, NULL, NULL, &o, &ol) == (size_t)-1)
		iconv(cd, NULL, NULL, NULL, NULL);
	pbuf_add(b, out, (size_t)(o - out));
}

void biff_put8(const struct biff_text *t, struct pbuf *b, const unsigned char *s, size_t n)
{
	if (t->cd != (iconv_t)-1) {
		char *in = (char *)s;
		size_t il = n;

		iconv(t->cd, NULL, NULL, NULL, NULL);
		while (il > 0) {
			char out[1024], *o = out;
			size_t ol = sizeof out;

			if (iconv(t->cd, &in, &il, &o, &ol) == (size_t)-1 && o == out) {
				pbuf_cp(b, 0xfffd);   /* an undecodable byte */
				in++;
				il--;
				continue;
			}
			if (pbuf_add(b, out, (size_t)(o - out)))
				return;
		}
		flush_iconv(t->cd, b);
		return;
	}
	for (size_t i = 0; i < n; i++)
		pbuf_1252(b, s[i]);
}

void biff_chars(struct crd *c, size_t cch, int high, struct pbuf *b)
{
	for (size_t k = 0; k < cch && !c->bad; k++) {
		unsigned u;

		if (c->i < c->nseg && c->pos >= c->seg[c->i].n) {
			/* the string goes on in the next record, after a new flags byte */
			if (c->i + 1 >= c->nseg) {
				c->bad = 1;
				return;
			}
			c->i++;
			c->pos = 0;
			high = crd_u8(c) & 1;
		}
		u = high ? crd_u16(c) : crd_u8(c);
		if (!c->bad)
			pbuf_u16(b, u);
	}
}

/* BIFF5: 8-bit characters, read through the continued record. */
static void chars8(const struct biff_text *t, struct crd *c, size_t cch, struct pbuf *b)
{
	unsigned char tmp[512];

	while (cch > 0 && !c->bad) {
		size_t k = 0;

		while (k < sizeof tmp && k < cch && !c->bad)
			tmp[k++] = (unsigned char)crd_u8(c);
		if (c->bad)
			k--;
		biff_put8(t, b, tmp, k);
		cch -= k;
	}
}

void biff_string(const struct biff_text *t, struct crd *c, int cchlen, struct pbuf *b)
{
	size_t cch = cchlen == 1 ? crd_u8(c) : crd_u16(c);
	unsigned flags, runs = 0;
	uint32_t ext = 0;

	if (!t->biff8) {
		chars8(t, c, cch, b);
		return;
	}
	flags = crd_u8(c);
	if (flags & 0x08)
		runs = crd_u16(c);
	if (flags & 0x04)
		ext = crd_u32(c);
	biff_chars(c, cch, flags & 1, b);
	crd_skip(c, 4 * (size_t)runs);
	crd_skip(c, ext);
}

void biff_string_at(const struct biff_text *t, const unsigned char *p, size_t n, size_t off,
		    int cchlen, struct pbuf *b)
{
	struct biff_seg seg = { off, off <= n ? n - off : 0 };
	struct crd c = { .s = p, .seg = &seg, .nseg = 1 };

	biff_string(t, &c, cchlen, b);
}
