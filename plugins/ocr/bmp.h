/* bmp.h: Windows bitmaps that Leptonica does not read. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef QUIRE_PLUGINS_OCR_BMP_H
#define QUIRE_PLUGINS_OCR_BMP_H

#include "ocr.h"

/* Bitmaps Leptonica does not read (bmp.c): RLE8/RLE4, bitfields, 16-bit,
 * top-down. bmp_needs_own() is 1 for those; bmp_size() reads the header
 * (0, or -1 when it does not parse); bmp_decode() gives a 32-bit Pix
 * (new) or NULL for data it cannot read. */
int bmp_needs_own(const unsigned char *d, size_t size);
int bmp_size(const unsigned char *d, size_t size, long long *w, long long *h);
PIX *bmp_decode(const unsigned char *d, size_t size);

#endif
