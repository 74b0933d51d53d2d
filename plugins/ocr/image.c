/* image.c: image files (PNG, JPEG, GIF, TIFF, BMP, WebP) and rendered
 * images into Leptonica Pix for the OCR plugin.
 *
 * The pixel budget is checked against each image's header before a byte
 * of pixel data is decoded: Leptonica's header readers for PNG, JPEG, BMP,
 * WebP and every TIFF page; our own walk of the GIF blocks (Leptonica
 * decodes a whole GIF to learn its size, and giflib every frame of an
 * animation, so only the first frame is handed over). JPEG's EXIF
 * orientation is applied (Leptonica ignores it). */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "ocr.h"
#include "image.h"
#include "bmp.h"

enum img_kind img_kind(const unsigned char *h, size_t n)
{
	if (n >= 8 && memcmp(h, "\x89PNG\r\n\x1a\n", 8) == 0)
		return IMG_PNG;
	if (n >= 3 && h[0] == 0xff && h[1] == 0xd8 && h[2] == 0xff)
		return IMG_JPEG;
	if (n >= 6 && (memcmp(h, "GIF87a", 6) == 0 || memcmp(h, "GIF89a", 6) == 0))
		return IMG_GIF;
	if (n >= 4 && (memcmp(h, "II*\0", 4) == 0 || memcmp(h, "MM\0*", 4) == 0 ||
		       memcmp(h, "II+\0", 4) == 0 || memcmp(h, "MM\0+", 4) == 0))
		return IMG_TIFF;
	if (n >= 14 && h[0] == 'B' && h[1] == 'M')
		return IMG_BMP;
	if (n >= 12 && memcmp(h, "RIFF", 4) == 0 && memcmp(h + 8, "WEBP", 4) == 0)
		return IMG_WEBP;
	return IMG_NONE;
}

static const char *kind_name(enum img_kind k)
{
	static const char *const names[] = { "?", "PNG", "JPEG", "GIF", "TIFF", "BMP", "WebP" };
	return names[k];
}

/* QUIRE_TOO_LARGE (logged) when w x h is over the budget or not positive. */
static enum quire_result check_size(const struct quire_host *host, long long w, long long h,
				    const char *what)
{
	unsigned long long cap = host->limits->max_pixels ? host->limits->max_pixels : 100000000ULL;

	if (w <= 0 || h <= 0) {
		host->log(QUIRE_LOG_INFO, "ocr: %s: no size in the header", what);
		return QUIRE_CORRUPT;
	}
	if ((unsigned long long)w * (unsigned long long)h > cap) {
		host->log(QUIRE_LOG_WARNING, "ocr: %s of %lld x %lld pixels is over the limit of %llu",
			  what, w, h, cap);
		return QUIRE_TOO_LARGE;
	}
	return QUIRE_OK;
}

/* ---- GIF: the logical screen and the first frame ---------------------- */

/* Skip a chain of data sub-blocks at *off; 0 when it ends inside the data. */
static int gif_sub_blocks(const unsigned char *d, size_t size, size_t *off)
{
	while (*off < size) {
		size_t n = d[*off];

		*off += 1 + n;
		if (n == 0)
			return *off <= size;
	}
	return 0;
}

/* The sizes of the screen and of the first frame, and where the first
 * frame's data ends (*end): giflib is given data[0..*end) and a trailer. */
static enum quire_result gif_scan(const struct quire_host *host, const unsigned char *d,
				  size_t size, size_t *end)
{
	size_t off = 13;
	enum quire_result r;

	if (size < 13)
		return QUIRE_CORRUPT;
	r = check_size(host, d[6] | d[7] << 8, d[8] | d[9] << 8, "GIF screen");
	if (r != QUIRE_OK)
		return r;
	if (d[10] & 0x80)
		off += 3u << ((d[10] & 7) + 1);
	while (off < size) {
		if (d[off] == 0x21) {   /* extension: label, sub-blocks */
			off += 2;
			if (!gif_sub_blocks(d, size, &off))
				return QUIRE_CORRUPT;
		} else if (d[off] == 0x2c) {   /* image descriptor */
			if (off + 10 > size)
				return QUIRE_CORRUPT;
			r = check_size(host, d[off + 5] | d[off + 6] << 8, d[off + 7] | d[off + 8] << 8,
				       "GIF frame");
			if (r != QUIRE_OK)
				return r;
			if (d[off + 9] & 0x80)
				off += 3u << ((d[off + 9] & 7) + 1);
			off += 10 + 1;   /* descriptor, LZW minimum code size */
			if (!gif_sub_blocks(d, size, &off))
				return QUIRE_CORRUPT;
			*end = off;
			return QUIRE_OK;
		} else {
			return QUIRE_CORRUPT;   /* trailer or junk before any frame */
		}
	}
	return QUIRE_CORRUPT;
}

static PIX *gif_first_frame(const unsigned char *d, size_t end)
{
	l_uint8 *copy = malloc(end + 1);
	PIX *pix;

	if (!copy)
		return NULL;
	memcpy(copy, d, end);
	copy[end] = 0x3b;   /* trailer */
	pix = pixReadMemGif(copy, end + 1);
	free(copy);
	return pix;
}

/* ---- JPEG: truncation and EXIF orientation ---------------------------- */

static unsigned get16(const unsigned char *p, int be)
{
	return be ? (unsigned)p[0] << 8 | p[1] : (unsigned)p[1] << 8 | p[0];
}

static uint32_t get32(const unsigned char *p, int be)
{
	return be ? (uint32_t)get16(p, 1) << 16 | get16(p + 2, 1)
		  : (uint32_t)get16(p + 2, 0) << 16 | get16(p, 0);
}

/* The orientation tag (1-8) of an EXIF block (TIFF header onwards), or 1. */
static int exif_orientation(const unsigned char *t, size_t n)
{
	int be;
	uint32_t ifd;
	unsigned count;

	if (n < 8 || (memcmp(t, "II*\0", 4) != 0 && memcmp(t, "MM\0*", 4) != 0))
		return 1;
	be = t[0] == 'M';
	ifd = get32(t + 4, be);
	if (ifd > n - 2)
		return 1;
	count = get16(t + ifd, be);
	for (unsigned i = 0; i < count; i++) {
		size_t e = ifd + 2 + (size_t)i * 12;

		if (e + 12 > n)
			break;
		if (get16(t + e, be) == 0x0112 && get16(t + e + 2, be) == 3) {
			unsigned v = get16(t + e + 8, be);
			return v >= 1 && v <= 8 ? (int)v : 1;
		}
	}
	return 1;
}

/* Walk the JPEG markers up to the image data looking for APP1 "Exif". */
static int jpeg_orientation(const unsigned char *d, size_t size)
{
	size_t off = 2;

	while (off + 4 <= size && d[off] == 0xff) {
		unsigned marker = d[off + 1], len = get16(d + off + 2, 1);

		if (marker == 0xd8 || marker == 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
			off += 2;
			continue;
		}
		if (marker == 0xda || marker == 0xd9 || len < 2 || off + 2 + len > size)
			break;
		if (marker == 0xe1 && len >= 8 && memcmp(d + off + 4, "Exif\0\0", 6) == 0)
			return exif_orientation(d + off + 10, len - 8);
		off += 2 + len;
	}
	return 1;
}

/* The JPEG upright as its EXIF orientation says (new Pix; NULL out of
 * memory). */
static PIX *orient(PIX *pix, int o)
{
	PIX *t, *r;

	switch (o) {
	case 2: return pixFlipLR(NULL, pix);
	case 3: return pixRotateOrth(pix, 2);
	case 4: return pixFlipTB(NULL, pix);
	case 6: return pixRotateOrth(pix, 1);
	case 8: return pixRotateOrth(pix, 3);
	case 5:
	case 7:   /* transpose, transverse: a quarter turn and a mirror */
		t = pixRotateOrth(pix, 1);
		if (!t)
			return NULL;
		r = o == 5 ? pixFlipLR(NULL, t) : pixFlipTB(NULL, t);
		pixDestroy(&t);
		return r;
	default: return pixClone(pix);
	}
}

/* A file that stops before its end-of-image marker, and that libjpeg had
 * to warn about, is truncated: the grey it filled in is not the page. */
static int jpeg_truncated(const unsigned char *d, size_t size, int warnings)
{
	size_t from = size > 256 ? size - 256 : 0;

	if (warnings == 0)
		return 0;
	for (size_t i = size; i-- > from + 1;)
		if (d[i - 1] == 0xff && d[i] == 0xd9)
			return 0;
	return 1;
}

static PIX *read_jpeg(const unsigned char *d, size_t size, int *truncated)
{
	l_int32 warnings = 0;
	PIX *pix = pixReadMemJpeg(d, size, 0, 1, &warnings, 0), *up;

	*truncated = pix && jpeg_truncated(d, size, warnings);
	if (!pix || *truncated)
		return pix;
	up = orient(pix, jpeg_orientation(d, size));
	pixDestroy(&pix);
	return up;
}

/* ---- every kind ------------------------------------------------------- */

PIX *img_normalise(PIX *pix)
{
	PIX *a = NULL, *b = NULL;

	if (pixGetColormap(pix))
		a = pixRemoveColormap(pix, REMOVE_CMAP_BASED_ON_SRC);
	else if (pixGetDepth(pix) == 16)
		a = pixConvert16To8(pix, L_MS_BYTE);
	else if (pixGetDepth(pix) == 2 || pixGetDepth(pix) == 4)
		a = pixConvertTo8(pix, 0);
	else
		a = pixClone(pix);
	if (!a)
		return NULL;
	if (pixGetDepth(a) == 32 && pixGetSpp(a) == 4) {
		b = pixRemoveAlpha(a);   /* laid over white */
		pixDestroy(&a);
		return b;
	}
	return a;
}

static enum quire_result one_page(const struct quire_host *host, PIX *pix, img_page_fn fn,
				  void *ctx, unsigned number)
{
	PIX *n = img_normalise(pix);
	enum quire_result r;

	if (!n)
		return QUIRE_ERROR;
	r = fn(ctx, n, number);
	pixDestroy(&n);
	return r;
}

static enum quire_result tiff_pages(const struct quire_host *host, const unsigned char *d,
				    size_t size, img_page_fn fn, void *ctx)
{
	unsigned cap = host->limits->max_pages;
	enum quire_result r = QUIRE_OK;
	l_int32 pages = 0;
	FILE *fp = fmemopen((void *)d, size, "r");

	if (!fp)
		return QUIRE_ERROR;
	if (tiffGetCount(fp, &pages) != 0 || pages <= 0)
		r = QUIRE_CORRUPT;
	fclose(fp);
	/* the cap holds before any work: no page is decoded or read */
	if (r == QUIRE_OK && cap && (unsigned)pages > cap) {
		host->log(QUIRE_LOG_WARNING, "ocr: TIFF of %d pages, over the limit of %u", pages, cap);
		return QUIRE_TOO_LARGE;
	}
	for (l_int32 i = 0; i < pages && r == QUIRE_OK; i++) {
		l_int32 w = 0, h = 0, bps, spp, res, cmap, format;
		PIX *pix;

		if (readHeaderMemTiff(d, size, i, &w, &h, &bps, &spp, &res, &cmap, &format) != 0)
			return QUIRE_CORRUPT;
		r = check_size(host, w, h, "TIFF page");
		if (r != QUIRE_OK)
			return r;
		pix = pixReadMemTiff(d, size, i);
		if (!pix)
			return QUIRE_CORRUPT;
		r = one_page(host, pix, fn, ctx, (unsigned)i + 1);
		pixDestroy(&pix);
	}
	return r;
}

/* The header's size for the kinds Leptonica reads headers of cheaply. */
static enum quire_result header_size(const struct quire_host *host, const unsigned char *d,
				     size_t size, enum img_kind k)
{
	l_int32 format, w = 0, h = 0, bps, spp, cmap;

	if (k == IMG_BMP) {   /* our reader: Leptonica refuses big sizes as unreadable */
		long long bw, bh;
		if (bmp_size(d, size, &bw, &bh) != 0)
			return QUIRE_CORRUPT;
		return check_size(host, bw, bh, kind_name(k));
	}
	if (pixReadHeaderMem(d, size, &format, &w, &h, &bps, &spp, &cmap) != 0)
		return QUIRE_CORRUPT;
	return check_size(host, w, h, kind_name(k));
}

int img_blank(PIX *pix)
{
	if (pixGetDepth(pix) == 1 && !pixGetColormap(pix)) {   /* bilevel: count the bits */
		l_int32 ones = 0;
		double total = (double)pixGetWidth(pix) * pixGetHeight(pix);
		if (pixCountPixels(pix, &ones, NULL) != 0)
			return 0;
		double ink = ones < total - ones ? ones : total - ones;
		return total > 0 && ink * 50000 < total;
	}
	PIX *g = pixGetDepth(pix) == 8 && !pixGetColormap(pix) ? pixClone(pix) : pixConvertTo8(pix, 0);
	l_int32 w = pixGetWidth(pix), h = pixGetHeight(pix);
	/* every other pixel on large pages: ink is never one pixel wide there */
	l_int32 factor = (long long)w * h > 4000000 ? 2 : 1;
	NUMA *na = g ? pixGetGrayHistogram(g, factor) : NULL;
	l_int32 n = na ? numaGetCount(na) : 0;
	l_float32 *bins = na ? numaGetFArray(na, L_NOCOPY) : NULL;
	double total = 0, ink = 0;
	int mode = 0, blank = 0;

	for (l_int32 i = 0; bins && i < n; i++) {
		total += bins[i];
		if (bins[i] > bins[mode])
			mode = i;
	}
	for (l_int32 i = 0; bins && i < n; i++)
		if (i < mode - 48 || i > mode + 48)
			ink += bins[i];
	if (total > 0)
		blank = ink * 50000 < total;
	numaDestroy(&na);
	pixDestroy(&g);
	return blank;
}

enum quire_result img_each_page(const struct quire_host *host, const unsigned char *d,
				size_t size, img_page_fn fn, void *ctx)
{
	enum img_kind k = img_kind(d, size);
	enum quire_result r;
	size_t gif_end = 0;
	int truncated = 0;
	PIX *pix;

	if (k == IMG_NONE)
		return QUIRE_UNSUPPORTED;
	if (k == IMG_TIFF)
		return tiff_pages(host, d, size, fn, ctx);
	r = k == IMG_GIF ? gif_scan(host, d, size, &gif_end) : header_size(host, d, size, k);
	if (r != QUIRE_OK) {
		if (r == QUIRE_CORRUPT)
			host->log(QUIRE_LOG_INFO, "ocr: unreadable %s header", kind_name(k));
		return r;
	}
	if (k == IMG_GIF)
		pix = gif_first_frame(d, gif_end);
	else if (k == IMG_JPEG)
		pix = read_jpeg(d, size, &truncated);
	else if (k == IMG_BMP && bmp_needs_own(d, size))
		pix = bmp_decode(d, size);
	else
		pix = pixReadMem(d, size);
	if (!pix || truncated) {
		host->log(QUIRE_LOG_INFO, "ocr: %s %s", truncated ? "truncated" : "unreadable",
			  kind_name(k));
		pixDestroy(&pix);
		return QUIRE_CORRUPT;
	}
	r = one_page(host, pix, fn, ctx, 1);
	pixDestroy(&pix);
	return r;
}

/* ---- rendered images from other plugins ------------------------------ */

static void row_rgb(l_uint32 *line, const unsigned char *s, unsigned w, unsigned ch)
{
	for (unsigned x = 0; x < w; x++, s += ch) {
		l_uint32 v;

		if (ch == 3) {
			composeRGBPixel(s[0], s[1], s[2], &v);
		} else {   /* premultiplied B, G, R, A: over white adds 255 - A */
			unsigned add = 255u - s[3];
			composeRGBPixel(s[2] + add > 255 ? 255 : s[2] + add,
					s[1] + add > 255 ? 255 : s[1] + add,
					s[0] + add > 255 ? 255 : s[0] + add, &v);
		}
		line[x] = v;
	}
}

PIX *img_from_quire(const struct quire_image *img)
{
	unsigned w = img->width, h = img->height, ch = img->channels;
	PIX *pix;
	l_uint32 *data;
	l_int32 wpl;

	if (!img->pixels || w == 0 || h == 0 || w > 1u << 20 || h > 1u << 20 ||
	    (ch != 1 && ch != 3 && ch != 4) || img->stride < (size_t)w * ch)
		return NULL;
	pix = pixCreate((l_int32)w, (l_int32)h, ch == 1 ? 8 : 32);
	if (!pix)
		return NULL;
	data = pixGetData(pix);
	wpl = pixGetWpl(pix);
	for (unsigned y = 0; y < h; y++) {
		const unsigned char *s = img->pixels + (size_t)y * img->stride;
		l_uint32 *line = data + (size_t)y * (size_t)wpl;

		if (ch == 1)
			for (unsigned x = 0; x < w; x++)
				SET_DATA_BYTE(line, x, s[x]);
		else
			row_rgb(line, s, w, ch);
	}
	if (img->dpi)
		pixSetResolution(pix, (l_int32)img->dpi, (l_int32)img->dpi);
	return pix;
}
