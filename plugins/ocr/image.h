/* image.h: image files (PNG, JPEG, GIF, TIFF, BMP, WebP) and rendered
 * images into Leptonica Pix for the OCR plugin. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef QUIRE_PLUGINS_OCR_IMAGE_H
#define QUIRE_PLUGINS_OCR_IMAGE_H

#include "ocr.h"

enum img_kind img_kind(const unsigned char *head, size_t len);

/* Decode the image file data[0..size) page by page. Every page's size is
 * read from its header first: over limits->max_pixels is QUIRE_TOO_LARGE
 * before any decoding; a TIFF of more pages than limits->max_pages is
 * QUIRE_TOO_LARGE before its first page is decoded. Unreadable or truncated data is QUIRE_CORRUPT. */
enum quire_result img_each_page(const struct quire_host *host, const unsigned char *data,
				size_t size, img_page_fn fn, void *ctx);

/* A rendered image from another plugin as a Pix (new, pixDestroy): grey,
 * RGB, or cairo's premultiplied BGRA laid over white. NULL when the
 * description is inconsistent (sizes, stride, channels) or memory fails. */
PIX *img_from_quire(const struct quire_image *img);

/* The image made ready for Tesseract and Leptonica's deskewing: colormap
 * removed, 16-bit samples cut to 8, alpha laid over white, 2 and 4-bit grey
 * widened. Returns a new Pix (pixDestroy); pix is left alone. */
PIX *img_normalise(PIX *pix);

/* 1 when pix (any depth) has no ink worth reading: fewer than one pixel in
 * 50,000 (about a full stop at 300 dpi) differs clearly from the page's
 * background tone. Cheap next to recognition; an unreadable pix is not
 * called blank. */
int img_blank(PIX *pix);

#endif
