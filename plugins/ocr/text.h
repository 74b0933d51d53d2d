/* text.h: Tesseract's recognised text to sink paragraphs. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef QUIRE_PLUGINS_OCR_TEXT_H
#define QUIRE_PLUGINS_OCR_TEXT_H

#include "ocr.h"

/* Write Tesseract's UTF-8 text (lines ending in '\n', paragraphs
 * separated by blank lines) as sink paragraphs, the lines of one
 * paragraph joined by a space; *wrote is set when one was written.
 * QUIRE_TOO_LARGE when the sink asks to stop, QUIRE_ERROR out of memory. */
enum quire_result ocr_text_emit(const struct quire_host *host, const char *text, int *wrote);

#endif
