/* pdf_doc.h: the PDF plugin's window on poppler: open a document from a
 * descriptor, read its metadata, annotations and form values, walk a
 * page's glyphs and render a page for OCR. Everything poppler-specific
 * stays behind this header; the rest of the plugin is C. Three bindings,
 * chosen by configure --with-poppler-api:
 *
 * pdf_doc.cc, poppler's core C++ API (headers from libpoppler-private-dev,
 * whose ABI changes with every poppler release): the glyphs in the order
 * the content stream draws them, with their baseline direction, in one
 * pass that skips images and paths. Two text boxes side by side come one
 * after the other, rotated text stays whole.
 *
 * pdf_cpp.cc, poppler-cpp (public) with poppler-glib for annotations:
 * the text in the order the content stream draws it, but only as lines,
 * without positions: handed on as glyphs on made-up baselines one line
 * apart, with a paragraph's gap where a sentence ends at a line's end.
 *
 * pdf_glib.c, poppler-glib, poppler's public C API: the glyphs in
 * poppler's own reading order (its text layout, as pdftotext's default),
 * line by line; glib has no way to see the drawing order. Form fields
 * are read from their values rather than drawn. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef QUIRE_PDF_DOC_H
#define QUIRE_PDF_DOC_H

#include <stddef.h>
#include <quire/plugin.h>

#ifdef __cplusplus
extern "C" {
#endif

struct pdf_doc;

/* One glyph as the page draws it. Coordinates are points from the top
 * left corner of the page as displayed (crop box, /Rotate applied). */
struct pdf_glyph {
	double x, y;        /* origin on the baseline */
	double dx, dy;      /* unit vector along the baseline, reading direction */
	double advance;     /* advance along the baseline, points */
	double size;        /* font size (em), points */
	const char *utf8;   /* its text, borrowed for the call; len 0 when the
			     * font gives no Unicode for it; white space is " " */
	size_t len;
};

/* Called for each glyph; a non-zero return stops the page promptly. */
typedef int (*pdf_glyph_fn)(void *ctx, const struct pdf_glyph *g);
/* Called with each annotation's text (UTF-8, borrowed); non-zero stops. */
typedef int (*pdf_note_fn)(void *ctx, const char *utf8, size_t len);

/* Set up poppler once per process (its global parameters and error
 * reporting through host->log at debug level); call before the sandbox.
 * Calling it again only changes the host that logs (borrowed: it must
 * outlive the documents read). QUIRE_ERROR when memory ran out. */
enum quire_result pdf_doc_init(const struct quire_host *host);

/* Open the document on fd (duplicated: the caller keeps fd) with password
 * (UTF-8, tried as the owner and the user password; NULL: only the empty
 * user password). *doc is new, freed with pdf_doc_close().
 * QUIRE_ENCRYPTED, QUIRE_CORRUPT (with a reason in msg) or QUIRE_ERROR. */
enum quire_result pdf_doc_open(int fd, const char *password, struct pdf_doc **doc, char *msg,
			       size_t msglen);
void pdf_doc_close(struct pdf_doc *doc);

int pdf_doc_pages(const struct pdf_doc *doc);

/* A document information entry ("title", "author", "subject",
 * "keywords") as UTF-8: new, caller frees with free(); NULL when absent. */
char *pdf_doc_info(struct pdf_doc *doc, const char *key);

/* The glyphs of page index (0-based): core, content-stream order with
 * form field appearances; cpp, the same order line by line (see above);
 * glib, poppler's reading order. QUIRE_OK; QUIRE_CORRUPT when the page cannot be
 * read; QUIRE_TOO_LARGE when fn asked to stop; QUIRE_ERROR. */
enum quire_result pdf_doc_glyphs(struct pdf_doc *doc, int index, pdf_glyph_fn fn, void *ctx);

/* The contents of the page's annotations other than links, form fields
 * and pop-ups (which repeat their parent's contents); glib: then the
 * values of its form fields. Same results. */
enum quire_result pdf_doc_notes(struct pdf_doc *doc, int index, pdf_note_fn fn, void *ctx);

/* Size of page index as displayed, in points; 0 x 0 when unreadable. */
void pdf_doc_page_size(struct pdf_doc *doc, int index, double *w, double *h);

/* Render page index at dpi into an RGB image (channels 3) for OCR. The
 * pixels belong to the document and stay valid until the next render or
 * pdf_doc_close(). QUIRE_CORRUPT when the page cannot be read, QUIRE_ERROR
 * when the bitmap cannot be had. */
enum quire_result pdf_doc_render(struct pdf_doc *doc, int index, double dpi,
				 struct quire_image *img);

#ifdef __cplusplus
}
#endif
#endif
