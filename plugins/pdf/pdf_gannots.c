/* pdf_gannots.c: the text of a page's annotations through poppler-glib
 * (pdf_cpp.cc and pdf_glib.c; pdf_doc.cc reads them from poppler's core). */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "pdf_gannots.h"
#include "pdf_text.h"

enum quire_result pdf_glib_annots(PopplerPage *page, pdf_note_fn fn, void *ctx)
{
	GList *map = poppler_page_get_annot_mapping(page);
	enum quire_result r = QUIRE_OK;

	for (GList *l = map; l && r == QUIRE_OK; l = l->next) {
		PopplerAnnot *a = ((PopplerAnnotMapping *)l->data)->annot;
		PopplerAnnotType t = poppler_annot_get_annot_type(a);
		gchar *s;

		if (t == POPPLER_ANNOT_LINK || t == POPPLER_ANNOT_WIDGET || t == POPPLER_ANNOT_POPUP)
			continue;
		s = poppler_annot_get_contents(a);
		r = pdf_note_text(s, fn, ctx);
		g_free(s);
	}
	poppler_page_free_annot_mapping(map);
	return r;
}
