/* pdf_gcommon.h: what the two bindings that use poppler-glib (pdf_cpp.cc,
 * pdf_glib.c) share: the text of a page's annotations, and the one-page
 * document each opens at start to load poppler before the sandbox. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef QUIRE_PDF_GANNOTS_H
#define QUIRE_PDF_GANNOTS_H

#include <poppler.h>
#include "pdf_doc.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The contents of page's annotations (borrowed page) other than links,
 * form fields and pop-ups, each through pdf_note_text. QUIRE_OK,
 * QUIRE_TOO_LARGE when fn asked to stop, QUIRE_ERROR when memory ran out. */
enum quire_result pdf_glib_annots(PopplerPage *page, pdf_note_fn fn, void *ctx);

/* The smallest PDF poppler opens without complaint (one empty page),
 * pdf_tiny_len bytes. */
extern const char pdf_tiny[];
extern const size_t pdf_tiny_len;
/* pdf_tiny opened by poppler-glib: new, g_object_unref; NULL on failure. */
PopplerDocument *pdf_glib_tiny(void);

#ifdef __cplusplus
}
#endif

#endif
