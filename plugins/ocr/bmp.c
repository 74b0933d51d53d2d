/* bmp.c: Windows bitmaps that Leptonica does not read: RLE8 and RLE4
 * compression (what Paint Shop, ImageMagick and old scanners write for
 * palette images), BI_BITFIELDS (16 and 32 bits per pixel with masks),
 * 16-bit 5-5-5 and top-down rows. Uncompressed 1/4/8/24/32-bit files keep
 * going to Leptonica (bmp_needs_own() says which).
 *
 * Everything is bounds-checked against the file: the header, the palette,
 * each row or RLE command. The size is checked against the pixel budget
 * by the caller (bmp_size()) before anything is decoded. A truncated RLE
 * stream leaves the rest of the image white (as viewers show it) but a
 * file that ends inside the header is corrupt. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdint.h>
#include <string.h>

#include "ocr.h"
#include "bmp.h"
#include "../common/bytes.h"

#define BI_RGB 0
#define BI_RLE8 1
#define BI_RLE4 2
#define BI_BITFIELDS 3

struct bmp {
	long long w, h;
	int topdown;
	unsigned bpp, comp, ncolors;
	size_t data_off, pal_off, pal_entry;
	uint32_t mask[3];
};

static int parse(const unsigned char *d, size_t size, struct bmp *b)
{
	uint32_t hsize;
	int32_t h;

	memset(b, 0, sizeof *b);
	if (size < 14 + 12 || d[0] != 'B' || d[1] != 'M')
		return -1;
	b->data_off = pc_le32(d + 10);
	hsize = pc_le32(d + 14);
	if (hsize == 12) {   /* OS/2 BITMAPCOREHEADER */
		b->w = pc_le16(d + 18);
		h = (int16_t)pc_le16(d + 20);
		b->bpp = pc_le16(d + 24);
		b->pal_entry = 3;
	} else if (hsize >= 40 && size >= 14 + 40) {
		b->w = (int32_t)pc_le32(d + 18);
		h = (int32_t)pc_le32(d + 22);
		b->bpp = pc_le16(d + 28);
		b->comp = pc_le32(d + 30);
		b->ncolors = pc_le32(d + 46);
		b->pal_entry = 4;
		if (b->comp == BI_BITFIELDS) {
			size_t m = hsize >= 52 ? 14 + 40 : 14 + hsize;   /* V4/V5 hold them inside */
			if (m + 12 > size)
				return -1;
			for (int i = 0; i < 3; i++)
				b->mask[i] = pc_le32(d + m + 4 * i);
		}
	} else {
		return -1;
	}
	b->topdown = h < 0;
	b->h = h < 0 ? -(long long)h : h;
	b->pal_off = 14 + hsize + (b->comp == BI_BITFIELDS && hsize == 40 ? 12 : 0);
	if (b->bpp <= 8 && (b->ncolors == 0 || b->ncolors > (1u << b->bpp)))
		b->ncolors = 1u << b->bpp;
	if (b->data_off >= size)
		return -1;
	return 0;
}

int bmp_needs_own(const unsigned char *d, size_t size)
{
	struct bmp b;

	if (parse(d, size, &b) != 0)
		return 0;
	return b.comp == BI_RLE8 || b.comp == BI_RLE4 || b.comp == BI_BITFIELDS || b.bpp == 16 ||
	       b.topdown;
}

int bmp_size(const unsigned char *d, size_t size, long long *w, long long *h)
{
	struct bmp b;

	if (parse(d, size, &b) != 0)
		return -1;
	*w = b.w;
	*h = b.h;
	return 0;
}

/* Index v of the palette as 0xRRGGBB00 (Leptonica's RGB layout). */
static l_uint32 pal_rgb(const unsigned char *d, size_t size, const struct bmp *b, unsigned v)
{
	size_t o = b->pal_off + (size_t)v * b->pal_entry;
	l_uint32 px;

	if (v >= b->ncolors || o + 3 > size || o + 3 > b->data_off)
		return 0xffffff00u;   /* outside the palette: white */
	composeRGBPixel(d[o + 2], d[o + 1], d[o], &px);
	return px;
}

/* A channel of a bitfield pixel scaled to 0..255. */
static unsigned channel(uint32_t v, uint32_t mask)
{
	unsigned shift = 0, bits = 0;

	if (!mask)
		return 0;
	while (!(mask & 1)) {
		mask >>= 1;
		shift++;
	}
	while (mask & 1) {
		mask >>= 1;
		bits++;
	}
	/* a mask of all 32 bits is a 32-bit field: 1u << 32 is undefined */
	uint32_t field = bits >= 32 ? 0xffffffffu : (1u << bits) - 1;
	v = (v >> shift) & field;
	return bits >= 8 ? v >> (bits - 8) : (v * 255u) / field;
}

static void put(PIX *pix, const struct bmp *b, long long x, long long row, l_uint32 px)
{
	long long y = b->topdown ? row : b->h - 1 - row;

	if (x >= 0 && x < b->w && y >= 0 && y < b->h)
		pixSetPixel(pix, (l_int32)x, (l_int32)y, px);
}

static int decode_rle(const unsigned char *d, size_t size, const struct bmp *b, PIX *pix)
{
	size_t o = b->data_off;
	long long x = 0, row = 0;
	int four = b->comp == BI_RLE4;

	while (o + 2 <= size && row < b->h) {
		unsigned n = d[o], c = d[o + 1];

		o += 2;
		if (n > 0) {   /* a run of n pixels */
			for (unsigned i = 0; i < n; i++, x++) {
				unsigned v = four ? (i & 1 ? c & 15 : c >> 4) : c;
				put(pix, b, x, row, pal_rgb(d, size, b, v));
			}
		} else if (c == 0) {   /* end of line */
			x = 0;
			row++;
		} else if (c == 1) {   /* end of bitmap */
			break;
		} else if (c == 2) {   /* delta */
			if (o + 2 > size)
				break;
			x += d[o];
			row += d[o + 1];
			o += 2;
		} else {   /* c literal pixels, padded to 16 bits */
			size_t bytes = four ? (c + 1) / 2 : c;
			if (o + bytes > size)
				break;
			for (unsigned i = 0; i < c; i++, x++) {
				unsigned v = four ? (i & 1 ? d[o + i / 2] & 15 : d[o + i / 2] >> 4) : d[o + i];
				put(pix, b, x, row, pal_rgb(d, size, b, v));
			}
			o += bytes + (bytes & 1);
		}
	}
	return 0;
}

static int decode_rows(const unsigned char *d, size_t size, const struct bmp *b, PIX *pix)
{
	size_t stride = (((size_t)b->w * b->bpp + 31) / 32) * 4;
	uint32_t m[3] = { b->mask[0], b->mask[1], b->mask[2] };

	if (b->comp != BI_BITFIELDS) {
		if (b->bpp == 16) {   /* 5-5-5 */
			m[0] = 0x7c00;
			m[1] = 0x03e0;
			m[2] = 0x001f;
		} else if (b->bpp == 32) {
			m[0] = 0xff0000;
			m[1] = 0xff00;
			m[2] = 0xff;
		}
	}
	for (long long row = 0; row < b->h; row++) {
		size_t o = b->data_off + (size_t)row * stride;
		if (o + stride > size)
			return -1;
		const unsigned char *s = d + o;
		for (long long x = 0; x < b->w; x++) {
			l_uint32 px;
			unsigned bpp = b->bpp;
			if (bpp <= 8) {
				size_t bit = (size_t)x * bpp;
				unsigned v = (s[bit / 8] >> (8 - bpp - bit % 8)) & ((1u << bpp) - 1);
				px = pal_rgb(d, size, b, v);
			} else if (bpp == 24) {
				composeRGBPixel(s[3 * x + 2], s[3 * x + 1], s[3 * x], &px);
			} else if (bpp == 16 || bpp == 32) {
				uint32_t v = bpp == 16 ? pc_le16(s + 2 * x) : pc_le32(s + 4 * x);
				composeRGBPixel(channel(v, m[0]), channel(v, m[1]), channel(v, m[2]), &px);
			} else {
				return -1;
			}
			put(pix, b, x, row, px);
		}
	}
	return 0;
}

PIX *bmp_decode(const unsigned char *d, size_t size)
{
	struct bmp b;
	PIX *pix;

	if (parse(d, size, &b) != 0 || b.w <= 0 || b.h <= 0 || b.w > 1 << 20 || b.h > 1 << 20)
		return NULL;
	if ((b.comp == BI_RLE8 && b.bpp != 8) || (b.comp == BI_RLE4 && b.bpp != 4) ||
	    (b.comp == BI_BITFIELDS && b.bpp != 16 && b.bpp != 32) || b.comp > BI_BITFIELDS ||
	    (b.bpp != 1 && b.bpp != 4 && b.bpp != 8 && b.bpp != 16 && b.bpp != 24 && b.bpp != 32))
		return NULL;
	pix = pixCreate((l_int32)b.w, (l_int32)b.h, 32);
	if (!pix)
		return NULL;
	pixSetAllArbitrary(pix, 0xffffff00u);
	if ((b.comp == BI_RLE8 || b.comp == BI_RLE4 ? decode_rle(d, size, &b, pix)
						   : decode_rows(d, size, &b, pix)) != 0) {
		pixDestroy(&pix);
		return NULL;
	}
	return pix;
}
