/* pdf.c: the PDF extraction plugin (poppler through pdf_doc.h; pages
 * without a text layer are rendered and handed to the host's OCR).
 *
 * Reading order, with poppler's core API (pdf_doc.cc), is the order in
 * which the page draws its text (as pdftotext -raw and Apache Tika's
 * default), not a re-sorting by position: producers draw text boxes, table
 * cells and columns in the order they are meant to be read far more often
 * than any geometric sort recovers it, and rotated text stays whole. With
 * poppler-cpp (pdf_cpp.cc) it is the same order, line by line; with
 * poppler-glib (pdf_glib.c) it is poppler's text layout order, the only
 * one glib gives. pdf_text.c joins the glyphs into lines and paragraphs.
 *
 * Page cap: a document of more pages than limits->max_pages is
 * QUIRE_TOO_LARGE (exit 13) before any page is read or rendered (a
 * 30,000-page blank scan would otherwise render and OCR 5,000 pages only
 * to fail at the cap). Blank rendered pages never reach OCR (the OCR
 * plugin's ink check), and the host stops the page walk once the
 * document's OCR budget is spent.
 * Passwords: the host's password (host->password) when given, else the
 * empty user password; a document neither opens is QUIRE_ENCRYPTED. Permission bits are not enforced (the owner of
 * the knowledge base uploaded the file to have it read). */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <quire/plugin.h>
#include "pdf_doc.h"
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

static enum quire_result emit_meta(const struct quire_host *host, struct pdf_doc *doc,
				   const char *key)
{
	char *value = pdf_doc_info(doc, key);
	int stop = 0;

	if (value && *value)
		stop = host->sink->meta(host->sink_ctx, key, value, strlen(value));
	free(value);
	return stop ? QUIRE_TOO_LARGE : QUIRE_OK;
}

static enum quire_result pdf_meta(const struct quire_host *host, struct pdf_doc *doc)
{
	static const char *const keys[] = { "title", "author", "subject", "keywords" };
	enum quire_result r = QUIRE_OK;

	for (size_t i = 0; i < sizeof keys / sizeof *keys && r == QUIRE_OK; i++)
		r = emit_meta(host, doc, keys[i]);
	return r;
}

struct notes {
	const struct quire_host *host;
	int *wrote;
	enum quire_result r;
};

static int pdf_note(void *ctx, const char *text, size_t len)
{
	struct notes *n = ctx;

	if (pdf_has_text(text, len))
		n->r = pdf_emit_paragraphs(n->host, text, len, n->wrote);
	return n->r != QUIRE_OK;
}

/* Contents of the page's annotations (notes, free text, highlights with a
 * comment). */
static enum quire_result pdf_annots(const struct quire_host *host, struct pdf_doc *doc, int index,
				    int *wrote)
{
	struct notes n = { host, wrote, QUIRE_OK };
	enum quire_result r = pdf_doc_notes(doc, index, pdf_note, &n);

	return r == QUIRE_TOO_LARGE ? n.r : r;
}

/* Render a page without a text layer and hand it to the host's OCR. The
 * resolution is lowered when render_dpi would exceed max_pixels; a page
 * that does not fit even at 72 dpi is skipped (QUIRE_TOO_LARGE). */
/* Resolution of the preview that decides whether a page without a text
 * layer has any ink: a blank page (scans and hostile files bring
 * thousands) then costs a thumbnail, not a full render for OCR (120 ms a
 * page at 300 dpi here). At 48 dpi even 8-point text leaves pixels far
 * from the background; specks of dust fade into it. */
#define PREVIEW_DPI 48

/* 1 when no pixel of img is more than 48 grey levels off its most common
 * tone (the background). 1, 3 or 4 channels; the first three make the tone. */
static int preview_blank(const struct quire_image *img)
{
	unsigned long hist[256] = { 0 };
	int mode = 0;

	for (unsigned y = 0; y < img->height; y++) {
		const unsigned char *p = img->pixels + (size_t)y * img->stride;
		for (unsigned x = 0; x < img->width; x++, p += img->channels)
			hist[img->channels >= 3 ? (p[0] + p[1] + p[2]) / 3 : p[0]]++;
	}
	for (int i = 1; i < 256; i++)
		if (hist[i] > hist[mode])
			mode = i;
	for (int i = 0; i < 256; i++)
		if (hist[i] && (i < mode - 48 || i > mode + 48))
			return 0;
	return 1;
}

static enum quire_result pdf_ocr_page(const struct quire_host *host, struct pdf_doc *doc,
				      int index, int *wrote)
{
	const struct quire_limits *lim = host->limits;
	double w_pt, h_pt, dpi = lim->render_dpi ? lim->render_dpi : 300;
	double max_px = lim->max_pixels ? (double)lim->max_pixels : 1e8;
	struct quire_image img;
	enum quire_result r;

	pdf_doc_page_size(doc, index, &w_pt, &h_pt);
	if (!(w_pt > 0 && h_pt > 0))
		return QUIRE_OK;
	if (w_pt * dpi / 72 * h_pt * dpi / 72 > max_px) {
		dpi = 72 * sqrt(max_px / (w_pt * h_pt));
		host->log(QUIRE_LOG_WARNING, "pdf: page %d rendered at %.0f dpi to stay under %.0f pixels",
			  index + 1, dpi, max_px);
	}
	if (dpi < 72 || w_pt * dpi / 72 > 32767 || h_pt * dpi / 72 > 32767) {
		host->log(QUIRE_LOG_WARNING, "pdf: page %d too large to render for OCR", index + 1);
		return QUIRE_TOO_LARGE;
	}
	if (dpi > PREVIEW_DPI && pdf_doc_render(doc, index, PREVIEW_DPI, &img) == QUIRE_OK &&
	    preview_blank(&img)) {
		host->log(QUIRE_LOG_DEBUG, "pdf: page %d is without ink: not rendered for OCR", index + 1);
		return QUIRE_OK;
	}
	r = pdf_doc_render(doc, index, dpi, &img);
	if (r == QUIRE_OK)
		r = host->ocr(host, &img);
	if (r == QUIRE_OK)
		*wrote = 1;
	else if (r == QUIRE_EMPTY)
		r = QUIRE_OK;
	return r;
}

/* The page's text through the paragraph builder; *had_text tells whether
 * it wrote anything. */
static enum quire_result page_text(const struct quire_host *host, struct pdf_doc *doc, int index,
				   struct pdf_para *para, int *had_text)
{
	enum quire_result r;

	*had_text = 0;
	para->wrote = had_text;
	r = pdf_doc_glyphs(doc, index, pdf_para_glyph, para);
	if (r == QUIRE_OK)
		return pdf_para_end_page(para);
	if (r == QUIRE_TOO_LARGE)
		return para->r;   /* the builder stopped the page: why */
	if (r == QUIRE_CORRUPT) {
		/* One malformed page does not lose the others. */
		host->log(QUIRE_LOG_WARNING, "pdf: page %d unreadable", index + 1);
		return QUIRE_CORRUPT;
	}
	return r;
}

static enum quire_result pdf_page(const struct quire_host *host, struct pdf_doc *doc, int index,
				  struct pdf_para *para, int *wrote, int *ocr_failed)
{
	enum quire_result r;
	int had_text;

	if (host->sink->page(host->sink_ctx, (unsigned)index + 1))
		return QUIRE_TOO_LARGE;
	r = page_text(host, doc, index, para, &had_text);
	if (r == QUIRE_CORRUPT)
		return QUIRE_OK;
	if (had_text)
		*wrote = 1;
	else if (r == QUIRE_OK && host->ocr) {
		r = pdf_ocr_page(host, doc, index, wrote);
		/* An OCR failure on one page (timeout, size) does not stop the
		 * others; it is reported once all pages are done. */
		if (r != QUIRE_OK && r != QUIRE_ERROR) {
			if (!*ocr_failed)
				*ocr_failed = r;
			r = QUIRE_OK;
		}
	}
	if (r == QUIRE_OK)
		r = pdf_annots(host, doc, index, wrote);
	return r;
}

static enum quire_result pdf_init(const struct quire_host *host, void **state)
{
	*state = NULL;
	return pdf_doc_init(host);
}

static enum quire_result pdf_extract(void *state, const struct quire_host *host, const char *path,
				     int fd, const char *mime)
{
	unsigned char head[1024];
	ssize_t got = pread(fd, head, sizeof head, 0);
	struct pdf_doc *doc;
	struct pdf_para para;
	char msg[128];
	enum quire_result r;
	int n, cap, wrote = 0, ocr_failed = 0;

	if (got <= 0)
		return got == 0 ? QUIRE_EMPTY : QUIRE_ERROR;
	if (!has_pdf_magic(head, (size_t)got))
		return QUIRE_UNSUPPORTED;
	r = pdf_doc_init(host);   /* done in init(); this only names the host that logs */
	if (r == QUIRE_OK)
		r = pdf_doc_open(fd, QUIRE_HOST_HAS(host, password) ? host->password : NULL, &doc, msg,
				 sizeof msg);
	if (r != QUIRE_OK) {
		host->log(QUIRE_LOG_INFO, "pdf: cannot open: %s", msg);
		return r;
	}
	n = pdf_doc_pages(doc);
	cap = (int)host->limits->max_pages;
	/* the cap holds before any work: not one page is read or rendered */
	if (cap && n > cap) {
		host->log(QUIRE_LOG_WARNING, "pdf: %d pages, over the limit of %d", n, cap);
		pdf_doc_close(doc);
		return QUIRE_TOO_LARGE;
	}
	r = pdf_meta(host, doc);
	pdf_para_init(&para, host, &wrote);
	for (int i = 0; i < n && r == QUIRE_OK; i++)
		r = pdf_page(host, doc, i, &para, &wrote, &ocr_failed);
	pdf_para_free(&para);
	pdf_doc_close(doc);
	if (r != QUIRE_OK)
		return r;
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
	.init = pdf_init,
	.extract = pdf_extract,
	.fini = NULL,
	.flags = QUIRE_PLUGIN_NEEDS_OCR,
};

const struct quire_plugin *quire_plugin_entry(void)
{
	return &pdf_plugin;
}
