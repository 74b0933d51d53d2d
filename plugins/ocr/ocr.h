/* ocr.h: the OCR plugin's parts: the Tesseract engine (engine.c), image
 * files and rendered images turned into Leptonica Pix (image.c), and the
 * recognised text written to the sink (text.c). */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef QUIRE_OCR_H
#define QUIRE_OCR_H

#include <stddef.h>

#include <leptonica/allheaders.h>
#include <quire/plugin.h>

/* The plugin's state: one Tesseract instance for the configured languages
 * and, made on first need, one for orientation detection. */
struct ocr;

/* Image file kinds the plugin reads, by their first bytes. */
enum img_kind { IMG_NONE, IMG_PNG, IMG_JPEG, IMG_GIF, IMG_TIFF, IMG_BMP, IMG_WEBP };

/* Called once per image (a TIFF's every page) with the decoded, normalised
 * Pix (borrowed for the call) and its 1-based number; a result other than
 * QUIRE_OK stops the walk and is returned. */
typedef enum quire_result (*img_page_fn)(void *ctx, PIX *pix, unsigned number);

#endif
