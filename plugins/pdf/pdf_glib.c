/* pdf_glib.c: the poppler-glib side of the PDF plugin; see pdf_doc.h.
 *
 * poppler-glib gives a page's text in poppler's reading order (its text
 * layout: blocks, then lines) with one box per character and the font
 * size of each run. Each line of that text is handed on as glyphs on one
 * baseline, whose direction is the line's own (first to last character),
 * so lines at any angle stay whole; pdf_text.c joins the lines into
 * paragraphs as it did for the glyphs of the content stream. Pages are
 * rendered for OCR with cairo. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cairo.h>
#include <poppler.h>

#include "pdf_doc.h"
#include "pdf_gcommon.h"
#include "pdf_text.h"

struct pdf_doc {
	PopplerDocument *doc;
	PopplerPage *page;       /* the page last asked for (owned): its text */
	int page_index;          /* layout is made once for glyphs and notes */
	unsigned char *pixels;   /* the last page rendered, RGB (owned) */
	size_t pixels_cap;
};

/* Poppler reports syntax errors through glib's log ("Poppler" domain). */
static const struct quire_host *log_host;
/* A document held open for the life of the process: poppler-glib frees its
 * global parameters with the last open document and reads them again from
 * /usr/share/poppler with the next one. Held from pdf_doc_init() (before
 * the sandbox), the tables are read once, outside it. */
static PopplerDocument *keep_alive;

static void poppler_log(const gchar *domain, GLogLevelFlags level, const gchar *msg, gpointer unused)
{
	if (log_host)
		log_host->log(QUIRE_LOG_DEBUG, "pdf: poppler: %s", msg);
}

enum quire_result pdf_doc_init(const struct quire_host *host)
{
	log_host = host;
	if (keep_alive)
		return QUIRE_OK;
	g_log_set_handler("Poppler", G_LOG_LEVEL_MASK, poppler_log, NULL);
	keep_alive = pdf_glib_tiny();
	return keep_alive ? QUIRE_OK : QUIRE_ERROR;
}

static enum quire_result open_fd(int fd, const char *password, struct pdf_doc **out, char *msg,
				 size_t msglen);

/* poppler-glib retries a refused password in another encoding on a stream
 * its first attempt freed, and then reports the file damaged: so the file
 * is opened without the password first, and with it only when that says
 * it is encrypted; a password that does not open it then is wrong. */
enum quire_result pdf_doc_open(int fd, const char *password, struct pdf_doc **out, char *msg,
			       size_t msglen)
{
	enum quire_result r = open_fd(fd, NULL, out, msg, msglen);

	if (r != QUIRE_ENCRYPTED || !password)
		return r;
	r = open_fd(fd, password, out, msg, msglen);
	if (r == QUIRE_CORRUPT || r == QUIRE_ENCRYPTED) {
		snprintf(msg, msglen, "wrong password");
		r = QUIRE_ENCRYPTED;
	}
	return r;
}

static enum quire_result open_fd(int fd, const char *password, struct pdf_doc **out, char *msg,
				 size_t msglen)
{
	struct pdf_doc *d;
	GError *err = NULL;
	enum quire_result r;
	int own = dup(fd);   /* the document takes own (and shares its offset) */

	*out = NULL;
	if (own < 0) {
		snprintf(msg, msglen, "dup: %s", strerror(errno));
		return QUIRE_ERROR;
	}
	d = calloc(1, sizeof *d);
	if (!d) {
		close(own);
		snprintf(msg, msglen, "out of memory");
		return QUIRE_ERROR;
	}
	/* No password is the empty user password. poppler reads from the
	 * descriptor's offset: from the start, even after a failed open. */
	lseek(own, 0, SEEK_SET);
	d->doc = poppler_document_new_from_fd(own, password, &err);
	d->page_index = -1;
	if (d->doc) {
		*out = d;
		return QUIRE_OK;
	}
	if (err && err->domain == POPPLER_ERROR && err->code == POPPLER_ERROR_ENCRYPTED) {
		snprintf(msg, msglen, password ? "wrong password" : "password required");
		r = QUIRE_ENCRYPTED;
	} else {
		snprintf(msg, msglen, "not a readable PDF (%s)", err ? err->message : "no reason given");
		r = QUIRE_CORRUPT;
	}
	if (err)
		g_error_free(err);
	free(d);
	return r;
}

void pdf_doc_close(struct pdf_doc *doc)
{
	if (!doc)
		return;
	if (doc->page)
		g_object_unref(doc->page);
	g_object_unref(doc->doc);
	free(doc->pixels);
	free(doc);
}

/* Page index, borrowed from doc until the next call; NULL when it cannot
 * be read. */
static PopplerPage *get_page(struct pdf_doc *doc, int index)
{
	if (doc->page_index != index) {
		if (doc->page)
			g_object_unref(doc->page);
		doc->page = poppler_document_get_page(doc->doc, index);
		doc->page_index = doc->page ? index : -1;
	}
	return doc->page;
}

int pdf_doc_pages(const struct pdf_doc *doc)
{
	return poppler_document_get_n_pages(doc->doc);
}

char *pdf_doc_info(struct pdf_doc *doc, const char *key)
{
	gchar *v = NULL;
	char *out = NULL;

	if (strcmp(key, "title") == 0)
		v = poppler_document_get_title(doc->doc);
	else if (strcmp(key, "author") == 0)
		v = poppler_document_get_author(doc->doc);
	else if (strcmp(key, "subject") == 0)
		v = poppler_document_get_subject(doc->doc);
	else if (strcmp(key, "keywords") == 0)
		v = poppler_document_get_keywords(doc->doc);
	if (v && *v)
		out = pdf_one_line(v);
	g_free(v);
	if (out && !*out) {
		free(out);
		out = NULL;
	}
	return out;
}

/* One character of poppler's text with its box and font size. */
struct pchar {
	const char *utf8;
	size_t len;
	double cx, cy, w, h, size;
};

/* Where character i's box starts along direction (dx, dy), from where
 * character first's starts. */
static double start_along(const struct pchar *c, size_t first, size_t i, double dx, double dy)
{
	return (c[i].cx - c[first].cx) * dx + (c[i].cy - c[first].cy) * dy +
	       (fabs(dx) * c[first].w + fabs(dy) * c[first].h) / 2 -
	       (fabs(dx) * c[i].w + fabs(dy) * c[i].h) / 2;
}

/* Hand one line of characters to fn as glyphs on a single baseline: its
 * direction from the first to the last character (left to right for one
 * character), its origin where the first character's box starts and
 * sits. Returns non-zero when fn asked to stop. */
static int emit_line(const struct pchar *c, size_t n, pdf_glyph_fn fn, void *ctx)
{
	double dx = 1, dy = 0, ux, uy, size = 0, ox, oy, len;
	size_t first = n, last = n;

	for (size_t i = 0; i < n; i++) {
		if (c[i].len == 1 && c[i].utf8[0] == ' ')
			continue;
		if (first == n)
			first = i;
		last = i;
		if (c[i].size > size)
			size = c[i].size;
	}
	if (first == n)
		return 0;
	len = hypot(c[last].cx - c[first].cx, c[last].cy - c[first].cy);
	if (last > first && len > 1e-3) {
		dx = (c[last].cx - c[first].cx) / len;
		dy = (c[last].cy - c[first].cy) / len;
	}
	ux = dy, uy = -dx;   /* up from the baseline (y grows downwards) */
	/* The first character's box: back along the baseline by half its
	 * extent that way, down by half its extent across. */
	ox = c[first].cx - (fabs(dx) * c[first].w + fabs(dy) * c[first].h) / 2 * dx -
	     (fabs(dy) * c[first].w + fabs(dx) * c[first].h) / 2 * ux;
	oy = c[first].cy - (fabs(dx) * c[first].w + fabs(dy) * c[first].h) / 2 * dy -
	     (fabs(dy) * c[first].w + fabs(dx) * c[first].h) / 2 * uy;
	for (size_t i = first; i <= last; i++) {
		struct pdf_glyph g;
		double t = start_along(c, first, i, dx, dy);

		g.x = ox + t * dx;
		g.y = oy + t * dy;
		g.dx = dx;
		g.dy = dy;
		/* Its box's extent, stretched to the next character when
		 * that stands less than half an em away: poppler already
		 * parted the words it saw apart with a space of their own.
		 * Two runs far apart on one line (poppler joins them without
		 * a space) are spaced by pdf_text.c. */
		g.advance = fabs(dx) * c[i].w + fabs(dy) * c[i].h;
		if (i < last) {
			double next = start_along(c, first, i + 1, dx, dy) - t;

			if (next > g.advance && next - g.advance < 0.5 * (c[i].size > 0 ? c[i].size : size))
				g.advance = next;
		}
		g.size = c[i].size > 0 ? c[i].size : size;
		g.utf8 = c[i].utf8;
		g.len = c[i].len;
		if (fn(ctx, &g))
			return 1;
	}
	return 0;
}

/* Font size of character index i from poppler's attribute runs (sorted,
 * walked forwards with *at); 0 when none covers it. */
static double font_size(GList **at, int i)
{
	while (*at) {
		PopplerTextAttributes *a = (*at)->data;

		if (i < a->start_index)
			return 0;
		if (i <= a->end_index)
			return a->font_size;
		*at = (*at)->next;
	}
	return 0;
}

enum quire_result pdf_doc_glyphs(struct pdf_doc *doc, int index, pdf_glyph_fn fn, void *ctx)
{
	PopplerPage *page = get_page(doc, index);
	PopplerRectangle *rects = NULL;
	guint nrects = 0;
	GList *attrs = NULL, *at;
	struct pchar *line = NULL;
	char *text = NULL;
	const char *p;
	size_t n = 0, cap = 0;
	enum quire_result r = QUIRE_OK;

	if (!page)
		return QUIRE_CORRUPT;
	text = poppler_page_get_text(page);
	if (!text || !*text)
		goto out;
	if (!poppler_page_get_text_layout(page, &rects, &nrects))
		goto out;
	attrs = poppler_page_get_text_attributes(page);
	at = attrs;
	p = text;
	for (guint i = 0; *p; i++) {
		const char *next = g_utf8_next_char(p);
		gunichar u = g_utf8_get_char(p);
		int eol = u == '\n';
		int white = u == ' ' || u == '\t' || u == '\r' || u == 0xa0 || u == 0x3000;

		/* As the glyphs of the content stream were: white space is one
		 * space, control characters are dropped. */
		if (!eol && i < nrects && (white || !(u < 0x20 || (u >= 0x7f && u < 0xa0)))) {
			PopplerRectangle *b = &rects[i];

			if (n == cap) {
				struct pchar *l = realloc(line, (cap ? cap * 2 : 256) * sizeof *l);

				if (!l) {
					r = QUIRE_ERROR;
					goto out;
				}
				line = l;
				cap = cap ? cap * 2 : 256;
			}
			line[n].utf8 = white ? " " : p;
			line[n].len = white ? 1 : (size_t)(next - p);
			line[n].cx = (b->x1 + b->x2) / 2;
			line[n].cy = (b->y1 + b->y2) / 2;
			line[n].w = fabs(b->x2 - b->x1);
			line[n].h = fabs(b->y2 - b->y1);
			line[n].size = font_size(&at, (int)i);
			n++;
		}
		p = next;
		if (eol || !*p) {
			if (emit_line(line, n, fn, ctx)) {
				r = QUIRE_TOO_LARGE;
				goto out;
			}
			n = 0;
		}
	}
out:
	free(line);
	poppler_page_free_text_attributes(attrs);
	g_free(rects);
	g_free(text);
	return r;
}

/* Hand s (cleaned, when it holds anything) to fn. */
/* The values of the page's form fields: what a text field holds, the
 * items chosen in a list. (Their appearance streams are not part of the
 * page text poppler-glib gives.) */
static enum quire_result form_values(PopplerPage *page, pdf_note_fn fn, void *ctx)
{
	GList *map = poppler_page_get_form_field_mapping(page);
	enum quire_result r = QUIRE_OK;

	for (GList *l = map; l && r == QUIRE_OK; l = l->next) {
		PopplerFormField *f = ((PopplerFormFieldMapping *)l->data)->field;
		gchar *v;

		switch (poppler_form_field_get_field_type(f)) {
		case POPPLER_FORM_FIELD_TEXT:
			v = poppler_form_field_text_get_text(f);
			r = pdf_note_text(v, fn, ctx);
			g_free(v);
			break;
		case POPPLER_FORM_FIELD_CHOICE:
			for (gint i = 0; i < poppler_form_field_choice_get_n_items(f) && r == QUIRE_OK; i++) {
				if (!poppler_form_field_choice_is_item_selected(f, i))
					continue;
				v = poppler_form_field_choice_get_item(f, i);
				r = pdf_note_text(v, fn, ctx);
				g_free(v);
			}
			break;
		default:
			break;
		}
	}
	poppler_page_free_form_field_mapping(map);
	return r;
}

enum quire_result pdf_doc_notes(struct pdf_doc *doc, int index, pdf_note_fn fn, void *ctx)
{
	PopplerPage *page = get_page(doc, index);
	enum quire_result r;

	if (!page)
		return QUIRE_CORRUPT;
	r = pdf_glib_annots(page, fn, ctx);
	if (r == QUIRE_OK)
		r = form_values(page, fn, ctx);
	return r;
}

void pdf_doc_page_size(struct pdf_doc *doc, int index, double *w, double *h)
{
	PopplerPage *page = get_page(doc, index);

	*w = *h = 0;
	if (!page)
		return;
	poppler_page_get_size(page, w, h);   /* crop box, /Rotate applied */
}

/* The cairo image (native-endian xRGB words) as packed RGB into the
 * document's pixel buffer. */
static enum quire_result to_rgb(struct pdf_doc *doc, cairo_surface_t *s, struct quire_image *img)
{
	unsigned w = (unsigned)cairo_image_surface_get_width(s);
	unsigned h = (unsigned)cairo_image_surface_get_height(s);
	int stride = cairo_image_surface_get_stride(s);
	const unsigned char *src = cairo_image_surface_get_data(s);
	size_t need = (size_t)w * 3 * h;

	if (!src)
		return QUIRE_ERROR;
	if (need > doc->pixels_cap) {
		unsigned char *p = realloc(doc->pixels, need);

		if (!p)
			return QUIRE_ERROR;
		doc->pixels = p;
		doc->pixels_cap = need;
	}
	for (unsigned y = 0; y < h; y++) {
		const uint32_t *row = (const uint32_t *)(src + (size_t)y * (size_t)stride);
		unsigned char *o = doc->pixels + (size_t)y * w * 3;

		for (unsigned x = 0; x < w; x++) {
			o[3 * x] = (unsigned char)(row[x] >> 16);
			o[3 * x + 1] = (unsigned char)(row[x] >> 8);
			o[3 * x + 2] = (unsigned char)row[x];
		}
	}
	img->pixels = doc->pixels;
	img->width = w;
	img->height = h;
	img->stride = w * 3;
	img->channels = 3;
	return QUIRE_OK;
}

enum quire_result pdf_doc_render(struct pdf_doc *doc, int index, double dpi, struct quire_image *img)
{
	PopplerPage *page = get_page(doc, index);
	cairo_surface_t *s = NULL;
	cairo_t *cr = NULL;
	double w_pt, h_pt;
	enum quire_result r = QUIRE_ERROR;

	if (!page)
		return QUIRE_CORRUPT;
	poppler_page_get_size(page, &w_pt, &h_pt);
	s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, (int)ceil(w_pt * dpi / 72),
				       (int)ceil(h_pt * dpi / 72));
	if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS)
		goto out;
	cr = cairo_create(s);
	cairo_set_source_rgb(cr, 1, 1, 1);
	cairo_paint(cr);
	cairo_scale(cr, dpi / 72, dpi / 72);
	/* As printed: form field appearances without their editing state. */
	poppler_page_render_for_printing(page, cr);
	if (cairo_status(cr) != CAIRO_STATUS_SUCCESS)
		goto out;
	cairo_surface_flush(s);
	r = to_rgb(doc, s, img);
	img->dpi = (unsigned)dpi;
out:
	if (cr)
		cairo_destroy(cr);
	if (s)
		cairo_surface_destroy(s);
	return r;
}
