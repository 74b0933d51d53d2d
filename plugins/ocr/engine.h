/* engine.h: the OCR plugin's Tesseract side (C API). */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef QUIRE_PLUGINS_OCR_ENGINE_H
#define QUIRE_PLUGINS_OCR_ENGINE_H

#include "ocr.h"

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

#endif
