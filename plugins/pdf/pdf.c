/* pdf.c: the PDF extraction plugin (poppler-glib; cairo renders pages
 * without a text layer for the host's OCR).
 *
 * Page cap: when the document has more pages than limits->max_pages, the
 * first max_pages pages are extracted and QUIRE_TOO_LARGE is returned; the
 * host keeps what was written and reports it as truncated (exit 13).
 * Passwords: only the empty user password is tried; a document it does not
 * open is QUIRE_ENCRYPTED. Permission bits are not enforced (the owner of
 * the knowledge base uploaded the file to have it read). */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cairo.h>
#include <poppler.h>

#include <quire/plugin.h>
#include "pdf_text.h"

static const char *const pdf_mime_types[] = { "application/pdf", "application/x-pdf", NULL };
static const char *const pdf_extensions[] = { "pdf", NULL };

/* "%PDF-" within the first 1024 bytes, as readers accept it there. */
static int has_pdf_magic(const unsigned char *head, size_t len)
{
	size_t n = len < 1024 ? len : 1024;

	for (size_t i = 0; i + 5 <= n; i++)
		if (memcmp(head + i, "%PDF-", 5) == 0)
			return 1;
	return 0;
}

static int pdf_sniff(const unsigned char *head, size_t len, const char *mime)
{
	if (len >= 5 && memcmp(head, "%PDF-", 5) == 0)
		return 100;
	if (has_pdf_magic(head, len))
		return 80;
	return 0;
}

static enum quire_result emit_meta(const struct quire_host *host, const char *key, gchar *value)
{
	int stop = 0;

	if (value && *value)
		stop = host->sink->meta(host->sink_ctx, key, value, strlen(value));
	g_free(value);
	return stop ? QUIRE_TOO_LARGE : QUIRE_OK;
}

static enum quire_result pdf_meta(const struct quire_host *host, PopplerDocument *doc)
{
	enum quire_result r = emit_meta(host, "title", poppler_document_get_title(doc));

	if (r == QUIRE_OK)
		r = emit_meta(host, "author", poppler_document_get_author(doc));
	if (r == QUIRE_OK)
		r = emit_meta(host, "subject", poppler_document_get_subject(doc));
	if (r == QUIRE_OK)
		r = emit_meta(host, "keywords", poppler_document_get_keywords(doc));
	return r;
}

/* Contents of the page's annotations (notes, free text, highlights with a
 * comment); links, form widgets and pop-ups (which repeat their parent's
 * contents) are left out. */
static enum quire_result pdf_annots(const struct quire_host *host, PopplerPage *page, int *wrote)
{
	GList *map = poppler_page_get_annot_mapping(page);
	enum quire_result r = QUIRE_OK;

	for (GList *l = map; l && r == QUIRE_OK; l = l->next) {
		PopplerAnnot *a = ((PopplerAnnotMapping *)l->data)->annot;
		PopplerAnnotType t = poppler_annot_get_annot_type(a);
		gchar *c;

		if (t == POPPLER_ANNOT_LINK || t == POPPLER_ANNOT_WIDGET || t == POPPLER_ANNOT_POPUP)
			continue;
		c = poppler_annot_get_contents(a);
		if (c && pdf_has_text(c, strlen(c)))
			r = pdf_emit_paragraphs(host, c, strlen(c), wrote);
		g_free(c);
	}
	poppler_page_free_annot_mapping(map);
	return r;
}

/* Render a page without a text layer and hand it to the host's OCR. The
 * resolution is lowered when render_dpi would exceed max_pixels; a page
 * that does not fit even at 72 dpi is skipped (QUIRE_TOO_LARGE). */
static enum quire_result pdf_ocr_page(const struct quire_host *host, PopplerPage *page,
				      unsigned number, int *wrote)
{
	const struct quire_limits *lim = host->limits;
	double w_pt, h_pt, dpi = lim->render_dpi ? lim->render_dpi : 300;
	double max_px = lim->max_pixels ? (double)lim->max_pixels : 1e8;
	cairo_surface_t *s;
	cairo_t *cr;
	struct quire_image img;
	enum quire_result r;

	poppler_page_get_size(page, &w_pt, &h_pt);
	if (!(w_pt > 0 && h_pt > 0))
		return QUIRE_OK;
	if (w_pt * dpi / 72 * h_pt * dpi / 72 > max_px) {
		dpi = 72 * sqrt(max_px / (w_pt * h_pt));
		host->log(QUIRE_LOG_WARNING, "pdf: page %u rendered at %.0f dpi to stay under %.0f pixels",
			  number, dpi, max_px);
	}
	if (dpi < 72 || w_pt * dpi / 72 > 32767 || h_pt * dpi / 72 > 32767) {
		host->log(QUIRE_LOG_WARNING, "pdf: page %u too large to render for OCR", number);
		return QUIRE_TOO_LARGE;
	}
	s = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, (int)(w_pt * dpi / 72),
				       (int)(h_pt * dpi / 72));
	if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS) {
		cairo_surface_destroy(s);
		return QUIRE_ERROR;
	}
	cr = cairo_create(s);
	cairo_set_source_rgb(cr, 1, 1, 1);
	cairo_paint(cr);
	cairo_scale(cr, dpi / 72, dpi / 72);
	poppler_page_render_for_printing(page, cr);
	cairo_destroy(cr);
	cairo_surface_flush(s);
	img = (struct quire_image){
		.pixels = cairo_image_surface_get_data(s),
		.width = (unsigned)cairo_image_surface_get_width(s),
		.height = (unsigned)cairo_image_surface_get_height(s),
		.stride = (unsigned)cairo_image_surface_get_stride(s),
		.channels = 4,
		.dpi = (unsigned)dpi,
	};
	r = host->ocr(host, &img);
	cairo_surface_destroy(s);
	if (r == QUIRE_OK)
		*wrote = 1;
	else if (r == QUIRE_EMPTY)
		r = QUIRE_OK;
	return r;
}

/* Geometry of the page text from the character boxes (one per UTF-8
 * character of text, newlines included): each line's vertical extent,
 * and in gaps[] a 1 at the byte before which two characters of one line
 * stand far apart without a space (poppler glues neighbouring text boxes:
 * "line 1Right"). */
static size_t line_extents(PopplerPage *page, const char *text, double **tops, double **bottoms,
			   char **gaps)
{
	PopplerRectangle *rects = NULL, *prev = NULL;
	guint nrects = 0;
	size_t nlines = 1, line = 0, k = 0;

	for (const char *p = text; *p; p++)
		nlines += *p == '\n';
	*tops = g_new(double, nlines);
	*bottoms = g_new(double, nlines);
	*gaps = g_new0(char, strlen(text) + 1);
	for (size_t i = 0; i < nlines; i++) {
		(*tops)[i] = 1e30;
		(*bottoms)[i] = -1e30;
	}
	if (!poppler_page_get_text_layout(page, &rects, &nrects))
		return 0;
	for (const char *p = text; *p && k < nrects; p = g_utf8_next_char(p), k++) {
		PopplerRectangle *r = &rects[k];

		if (*p == '\n') {
			line++;
			prev = NULL;
			continue;
		}
		if (*p == ' ' || line >= nlines) {
			prev = NULL;
			continue;
		}
		if (prev && r->x1 - prev->x2 > 0.6 * (prev->y2 - prev->y1) &&
		    r->y1 < prev->y2 && r->y2 > prev->y1)
			(*gaps)[p - text] = 1;
		prev = r;
		if (r->y1 < (*tops)[line])
			(*tops)[line] = r->y1;
		if (r->y2 > (*bottoms)[line])
			(*bottoms)[line] = r->y2;
	}
	g_free(rects);
	return nlines;
}

static enum quire_result page_text(const struct quire_host *host, PopplerPage *page,
				   const char *text, int *wrote)
{
	double *tops, *bottoms;
	char *gaps;
	size_t nlines = line_extents(page, text, &tops, &bottoms, &gaps);
	char *marked = nlines ? pdf_mark_paragraphs(text, strlen(text), gaps, tops, bottoms, nlines)
			      : NULL;
	enum quire_result r;

	r = marked ? pdf_emit_paragraphs(host, marked, strlen(marked), wrote)
		   : pdf_emit_paragraphs(host, text, strlen(text), wrote);
	free(marked);
	g_free(tops);
	g_free(bottoms);
	g_free(gaps);
	return r;
}

static enum quire_result pdf_page(const struct quire_host *host, PopplerDocument *doc,
				  int index, int *wrote, int *ocr_failed)
{
	PopplerPage *page = poppler_document_get_page(doc, index);
	enum quire_result r = QUIRE_OK;
	gchar *text;

	if (host->sink->page(host->sink_ctx, (unsigned)index + 1))
		return QUIRE_TOO_LARGE;
	if (!page) {
		/* One malformed page does not lose the others. */
		host->log(QUIRE_LOG_WARNING, "pdf: page %d unreadable", index + 1);
		return QUIRE_OK;
	}
	text = poppler_page_get_text(page);
	if (text && pdf_has_text(text, strlen(text)))
		r = page_text(host, page, text, wrote);
	else if (host->ocr) {
		r = pdf_ocr_page(host, page, (unsigned)index + 1, wrote);
		/* An OCR failure on one page (timeout, size) does not stop the
		 * others; it is reported once all pages are done. */
		if (r != QUIRE_OK && r != QUIRE_ERROR) {
			if (!*ocr_failed)
				*ocr_failed = r;
			r = QUIRE_OK;
		}
	}
	g_free(text);
	if (r == QUIRE_OK)
		r = pdf_annots(host, page, wrote);
	g_object_unref(page);
	return r;
}

static PopplerDocument *pdf_open(const struct quire_host *host, const char *path, int fd,
				 enum quire_result *r)
{
	GError *err = NULL;
	PopplerDocument *doc;
	int own = dup(fd);

	if (own < 0) {
		*r = QUIRE_ERROR;
		return NULL;
	}
	/* The document takes the descriptor: no path is opened, which the
	 * sandbox would refuse. A NULL password is the empty user password;
	 * poppler 22.12 reports an explicit "" that fails as "damaged". */
	doc = poppler_document_new_from_fd(own, NULL, &err);
	if (doc) {
		*r = QUIRE_OK;
		return doc;
	}
	if (err && err->domain == POPPLER_ERROR && err->code == POPPLER_ERROR_ENCRYPTED)
		*r = QUIRE_ENCRYPTED;
	else
		*r = QUIRE_CORRUPT;
	host->log(QUIRE_LOG_INFO, "pdf: cannot open: %s", err ? err->message : "unknown error");
	if (err)
		g_error_free(err);
	return NULL;
}

static enum quire_result pdf_extract(void *state, const struct quire_host *host, const char *path,
				     int fd, const char *mime)
{
	unsigned char head[1024];
	ssize_t got = pread(fd, head, sizeof head, 0);
	PopplerDocument *doc;
	enum quire_result r;
	int n, cap, wrote = 0, ocr_failed = 0;

	if (got <= 0)
		return got == 0 ? QUIRE_EMPTY : QUIRE_ERROR;
	if (!has_pdf_magic(head, (size_t)got))
		return QUIRE_UNSUPPORTED;
	doc = pdf_open(host, path, fd, &r);
	if (!doc)
		return r;
	r = pdf_meta(host, doc);
	n = poppler_document_get_n_pages(doc);
	cap = host->limits->max_pages && (unsigned)n > host->limits->max_pages
		      ? (int)host->limits->max_pages : n;
	for (int i = 0; i < cap && r == QUIRE_OK; i++)
		r = pdf_page(host, doc, i, &wrote, &ocr_failed);
	g_object_unref(doc);
	if (r != QUIRE_OK)
		return r;
	if (cap < n) {
		host->log(QUIRE_LOG_WARNING, "pdf: %d pages, only the first %d extracted", n, cap);
		return QUIRE_TOO_LARGE;
	}
	if (!wrote)
		return ocr_failed ? (enum quire_result)ocr_failed : QUIRE_EMPTY;
	return QUIRE_OK;
}

static const struct quire_plugin pdf_plugin = {
	.abi = QUIRE_PLUGIN_ABI,
	.size = sizeof(struct quire_plugin),
	.name = "pdf",
	.version = "1.0",
	.mime_types = pdf_mime_types,
	.extensions = pdf_extensions,
	.sniff = pdf_sniff,
	.init = NULL,
	.extract = pdf_extract,
	.fini = NULL,
	.flags = QUIRE_PLUGIN_NEEDS_OCR,
};

const struct quire_plugin *quire_plugin_entry(void)
{
	return &pdf_plugin;
}
