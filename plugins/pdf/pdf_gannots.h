/* pdf_gannots.h: the text of a page's annotations through poppler-glib,
 * shared by the two bindings that read annotations so (pdf_cpp.cc,
 * pdf_glib.c). */
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

#ifdef __cplusplus
}
#endif

#endif
