/* pdf_gcommon.c: what pdf_cpp.cc and pdf_glib.c share through poppler-glib:
 * annotation text (pdf_doc.cc reads it from poppler's core) and the
 * one-page document that loads poppler. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "pdf_gcommon.h"
#include "pdf_text.h"

enum quire_result pdf_glib_annots(PopplerPage *page, pdf_note_fn fn, void *ctx)
{
	GList *map = poppler_page_get_annot_mapping(page);
	enum quire_result r = QUIRE_OK;

	for (GList *l = map; l && r == QUIRE_OK; l = l->next) {
		PopplerAnnot *a = ((PopplerAnnotMapping *)l->data)->annot;
		PopplerAnnotType t = poppler_annot_get_annot_type(a);
		gchar *s, *by = NULL;

		if (t == POPPLER_ANNOT_LINK || t == POPPLER_ANNOT_WIDGET || t == POPPLER_ANNOT_POPUP)
			continue;
		s = poppler_annot_get_contents(a);
		if (POPPLER_IS_ANNOT_MARKUP(a))   /* its author (/T) */
			by = poppler_annot_markup_get_label(POPPLER_ANNOT_MARKUP(a));
		r = pdf_note_by(by, s, fn, ctx);
		g_free(by);
		g_free(s);
	}
	poppler_page_free_annot_mapping(map);
	return r;
}

const char pdf_tiny[] =
	"%PDF-1.4\n"
	"1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
	"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
	"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 72 72]>>endobj\n"
	"trailer<</Root 1 0 R/Size 4>>\n"
	"%%EOF\n";
const size_t pdf_tiny_len = sizeof pdf_tiny - 1;

PopplerDocument *pdf_glib_tiny(void)
{
	GBytes *bytes = g_bytes_new_static(pdf_tiny, pdf_tiny_len);
	PopplerDocument *d = poppler_document_new_from_bytes(bytes, NULL, NULL);

	g_bytes_unref(bytes);
	return d;
}
