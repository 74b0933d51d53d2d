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

/* Start Tesseract with limits->ocr_languages ("eng" when unset or when none
 * of them loads; a language without its traineddata is dropped with a
 * warning) and limit OpenMP to one thread. *out is new, freed with
 * ocr_engine_stop(). QUIRE_ERROR when no language loads. */
enum quire_result ocr_engine_start(const struct quire_host *host, struct ocr **out);
void ocr_engine_stop(struct ocr *o);

/* Recognise pix (borrowed) within limits->ocr_page_timeout_s and write its
 * text to the sink as paragraphs followed by the page's mean confidence.
 * A page that reads badly is tried again deskewed and turned upright.
 * QUIRE_EMPTY when it holds no text, QUIRE_TIMEOUT past the deadline,
 * QUIRE_TOO_LARGE when the sink asks to stop. */
enum quire_result ocr_engine_page(struct ocr *o, const struct quire_host *host, PIX *pix);
/* 1 when the document's OCR budget (limits->ocr_budget_s) is spent (said
 * once in the log): a multi-page walk stops there. */
int ocr_engine_spent(struct ocr *o, const struct quire_host *host);

/* Write Tesseract's UTF-8 text (lines ending in '\n', paragraphs
 * separated by blank lines) as sink paragraphs, the lines of one
 * paragraph joined by a space; *wrote is set when one was written.
 * QUIRE_TOO_LARGE when the sink asks to stop, QUIRE_ERROR out of memory. */
enum quire_result ocr_text_emit(const struct quire_host *host, const char *text, int *wrote);

/* Image file kinds the plugin reads, by their first bytes. */
enum img_kind { IMG_NONE, IMG_PNG, IMG_JPEG, IMG_GIF, IMG_TIFF, IMG_BMP, IMG_WEBP };
enum img_kind img_kind(const unsigned char *head, size_t len);

/* Bitmaps Leptonica does not read (bmp.c): RLE8/RLE4, bitfields, 16-bit,
 * top-down. bmp_needs_own() is 1 for those; bmp_size() reads the header
 * (0, or -1 when it does not parse); bmp_decode() gives a 32-bit Pix
 * (new) or NULL for data it cannot read. */
int bmp_needs_own(const unsigned char *d, size_t size);
int bmp_size(const unsigned char *d, size_t size, long long *w, long long *h);
PIX *bmp_decode(const unsigned char *d, size_t size);

/* Called once per image (a TIFF's every page) with the decoded, normalised
 * Pix (borrowed for the call) and its 1-based number; a result other than
 * QUIRE_OK stops the walk and is returned. */
typedef enum quire_result (*img_page_fn)(void *ctx, PIX *pix, unsigned number);

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
