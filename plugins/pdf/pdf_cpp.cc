/* pdf_cpp.cc: the poppler-cpp side of the PDF plugin (public APIs only:
 * poppler-cpp for text and renders, poppler-glib for annotations); see
 * pdf_doc.h.
 *
 * poppler-cpp's page::text(rect, raw_order_layout) gives a page's text in
 * the order its content stream draws it (poppler's TextOutputDev in raw
 * order, without its layout analysis), one line of text per baseline, but
 * no position, size or direction of anything: its one call that gives
 * boxes (page::text_list) has poppler's layout order and costs 2.5 times
 * pdftotext. So the lines are handed on as glyphs on made-up baselines one
 * line apart, and pdf_text.c joins them into one paragraph until a line
 * that ends a sentence is followed by one that starts like a sentence, or
 * a line starts with a list bullet; runs of one-glyph lines (text drawn
 * glyph by glyph at an angle) are joined into one word. Form fields come
 * drawn from their appearances. poppler-cpp has no annotations: their
 * contents are read with poppler-glib over the same mapped bytes. Pages
 * are rendered for OCR with poppler-cpp's page_renderer (Splash).
 * poppler-cpp does not throw, but the standard library may (bad_alloc
 * under the address-space limit): every entry point catches. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>
#include <vector>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <poppler.h>
#include <poppler-document.h>
#include <poppler-global.h>
#include <poppler-image.h>
#include <poppler-page-renderer.h>
#include <poppler-page.h>

#include "pdf_doc.h"
#include "pdf_gcommon.h"

struct pdf_doc {
	void *map = MAP_FAILED;       /* the file, mapped read-only */
	size_t map_len = 0;
	std::unique_ptr<poppler::document> doc;
	std::string password;         /* the host's, for the glib side too */
	std::unique_ptr<poppler::page> page;   /* the page last asked for */
	int page_index = -1;
	PopplerDocument *gdoc = nullptr;       /* for annotations, when asked */
	bool gdoc_tried = false;
	poppler::image img;                    /* the last render */

	~pdf_doc()
	{
		page.reset();
		doc.reset();
		if (gdoc)
			g_object_unref(gdoc);
		if (map != MAP_FAILED)
			munmap(map, map_len);
	}
};

static const struct quire_host *log_host;
/* Documents held open for the life of the process: poppler frees its
 * global parameters with the last open document and reads them again from
 * /usr/share/poppler with the next one. Opened in pdf_doc_init() (before
 * the sandbox), the tables are read once, outside it. */
static poppler::document *keep_alive;
static PopplerDocument *keep_alive_glib;

static void poppler_error(const std::string &msg, void *unused)
{
	if (log_host)
		log_host->log(QUIRE_LOG_DEBUG, "pdf: poppler: %s", msg.c_str());
}

static void poppler_log(const gchar *domain, GLogLevelFlags level, const gchar *msg, gpointer unused)
{
	if (log_host)
		log_host->log(QUIRE_LOG_DEBUG, "pdf: poppler: %s", msg);
}

static std::string utf8(const poppler::ustring &s)
{
	poppler::byte_array b = s.to_utf8();

	return std::string(b.begin(), b.end());
}

extern "C" enum quire_result pdf_doc_init(const struct quire_host *host)
{
	try {
		log_host = host;
		if (keep_alive)
			return QUIRE_OK;
		poppler::set_debug_error_function(poppler_error, nullptr);
		g_log_set_handler("Poppler", G_LOG_LEVEL_MASK, poppler_log, NULL);
		keep_alive = poppler::document::load_from_raw_data(pdf_tiny, (int)pdf_tiny_len);
		keep_alive_glib = pdf_glib_tiny();
		return keep_alive && keep_alive_glib ? QUIRE_OK : QUIRE_ERROR;
	} catch (...) {
		return QUIRE_ERROR;
	}
}

/* Map fd read-only into d. */
static enum quire_result map_file(int fd, pdf_doc *d, char *msg, size_t msglen)
{
	struct stat st;

	if (fstat(fd, &st) != 0) {
		snprintf(msg, msglen, "fstat: %s", strerror(errno));
		return QUIRE_ERROR;
	}
	if (st.st_size <= 0 || st.st_size > INT_MAX) {
		/* poppler-cpp takes the length as an int */
		snprintf(msg, msglen, "%lld bytes: poppler-cpp reads 1 to 2 GiB", (long long)st.st_size);
		return st.st_size <= 0 ? QUIRE_CORRUPT : QUIRE_ERROR;
	}
	d->map_len = (size_t)st.st_size;
	d->map = mmap(nullptr, d->map_len, PROT_READ, MAP_PRIVATE, fd, 0);
	if (d->map == MAP_FAILED) {
		snprintf(msg, msglen, "mmap: %s", strerror(errno));
		return QUIRE_ERROR;
	}
	return QUIRE_OK;
}

extern "C" enum quire_result pdf_doc_open(int fd, const char *password, struct pdf_doc **out,
					 char *msg, size_t msglen)
{
	*out = nullptr;
	try {
		std::unique_ptr<pdf_doc> d(new pdf_doc);
		enum quire_result r = map_file(fd, d.get(), msg, msglen);

		if (r != QUIRE_OK)
			return r;
		/* No password is the empty user password. poppler-cpp gives no
		 * reason for a document it cannot open. */
		d->doc.reset(poppler::document::load_from_raw_data((const char *)d->map,
								   (int)d->map_len));
		if (!d->doc) {
			snprintf(msg, msglen, "not a readable PDF");
			return QUIRE_CORRUPT;
		}
		/* The host's password (user or owner) unlocks it; without one,
		 * or with one that does not, it stays encrypted. unlock()
		 * answers whether the document is still locked. */
		if (d->doc->is_locked()) {
			if (!password) {
				snprintf(msg, msglen, "password required");
				return QUIRE_ENCRYPTED;
			}
			if (d->doc->unlock(std::string(password), std::string(password))) {
				snprintf(msg, msglen, "wrong password");
				return QUIRE_ENCRYPTED;
			}
			d->password = password;
		}
		*out = d.release();
		return QUIRE_OK;
	} catch (...) {
		snprintf(msg, msglen, "out of memory");
		return QUIRE_ERROR;
	}
}

extern "C" void pdf_doc_close(struct pdf_doc *doc)
{
	delete doc;
}

extern "C" int pdf_doc_pages(const struct pdf_doc *doc)
{
	return doc->doc->pages();
}

extern "C" char *pdf_doc_info(struct pdf_doc *doc, const char *key)
{
	try {
		std::string k(key), v;

		if (!k.empty())
			k[0] = (char)(k[0] - 'a' + 'A');  /* "title" -> "Title" */
		v = utf8(doc->doc->info_key(k));
		return v.empty() ? nullptr : strdup(v.c_str());
	} catch (...) {
		return nullptr;
	}
}

/* Page index, owned by doc until the next call; nullptr when unreadable. */
static poppler::page *get_page(struct pdf_doc *doc, int index)
{
	if (doc->page_index != index) {
		doc->page.reset(doc->doc->create_page(index));
		doc->page_index = doc->page ? index : -1;
	}
	return doc->page.get();
}

namespace {

/* Hands the lines of a page's raw-order text to fn as glyphs on made-up
 * baselines (see the top of the file). */
class LineFeeder
{
public:
	LineFeeder(pdf_glyph_fn fnA, void *ctxA) : fn(fnA), ctx(ctxA) { }
	/* false when fn asked to stop */
	bool line(const char *s, size_t n);

private:
	static constexpr double size = 10, advance = 5, leading = 12;

	bool glyph(const char *s, size_t n);
	static size_t glyphs(const char *s, size_t n);
	static bool ends_sentence(const char *s, size_t n);
	static bool starts_sentence(const char *s, size_t n);

	pdf_glyph_fn fn;
	void *ctx;
	double x = 0, y = 0;
	bool first = true, prev_single = false, prev_ends = false;
};

} // namespace

/* The number of UTF-8 characters in s. */
size_t LineFeeder::glyphs(const char *s, size_t n)
{
	size_t k = 0;

	for (size_t i = 0; i < n; i++)
		k += ((unsigned char)s[i] & 0xc0) != 0x80;
	return k;
}

bool LineFeeder::ends_sentence(const char *s, size_t n)
{
	while (n && (s[n - 1] == '"' || s[n - 1] == '\'' || s[n - 1] == ')'))
		n--;
	return n && (s[n - 1] == '.' || s[n - 1] == '!' || s[n - 1] == '?' || s[n - 1] == ':');
}

bool LineFeeder::starts_sentence(const char *s, size_t n)
{
	return n && ((s[0] >= 'A' && s[0] <= 'Z') || (s[0] >= '0' && s[0] <= '9'));
}

bool LineFeeder::glyph(const char *s, size_t n)
{
	pdf_glyph g;
	double w = advance * (double)glyphs(s, n);

	g.x = x;
	g.y = y;
	g.dx = 1;
	g.dy = 0;
	g.advance = w;
	g.size = size;
	g.utf8 = s;
	g.len = n;
	x += w;
	return fn(ctx, &g) == 0;
}

bool LineFeeder::line(const char *s, size_t n)
{
	bool single;

	while (n && (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\f'))
		s++, n--;
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\f'))
		n--;
	if (!n)
		return true;
	single = glyphs(s, n) == 1;
	if (first) {
		first = false;
	} else if (!(single && prev_single)) {
		/* A new line one leading below, or a paragraph's gap below. */
		y += prev_ends && starts_sentence(s, n) ? 3 * leading : leading;
		x = 0;
	}
	prev_single = single;
	prev_ends = ends_sentence(s, n);
	/* The first character alone (pdf_text.c knows list bullets by it),
	 * then each word and each space: pdf_text.c takes a run as a glyph
	 * as wide as its characters, at a tenth of the cost of one call a
	 * character. */
	for (size_t i = 0, k; i < n; i += k) {
		if (i == 0)
			for (k = 1; k < n && ((unsigned char)s[k] & 0xc0) == 0x80; k++)
				;
		else if (s[i] == ' ')
			k = 1;
		else
			for (k = 1; i + k < n && s[i + k] != ' '; k++)
				;
		if (!glyph(s + i, k))
			return false;
	}
	return true;
}

extern "C" enum quire_result pdf_doc_glyphs(struct pdf_doc *doc, int index, pdf_glyph_fn fn, void *ctx)
{
	try {
		poppler::page *page = get_page(doc, index);
		std::string text;
		LineFeeder feed(fn, ctx);
		size_t at = 0;

		if (!page)
			return QUIRE_CORRUPT;
		text = utf8(page->text(poppler::rectf(), poppler::page::raw_order_layout));
		while (at < text.size()) {
			size_t nl = text.find('\n', at);

			if (nl == std::string::npos)
				nl = text.size();
			if (!feed.line(text.data() + at, nl - at))
				return QUIRE_TOO_LARGE;
			at = nl + 1;
		}
		return QUIRE_OK;
	} catch (...) {
		return QUIRE_ERROR;
	}
}

/* The glib document over the same bytes, opened on first use. */
static PopplerDocument *glib_doc(struct pdf_doc *doc)
{
	if (!doc->gdoc_tried) {
		GBytes *bytes = g_bytes_new_static(doc->map, doc->map_len);

		doc->gdoc_tried = true;
		doc->gdoc = poppler_document_new_from_bytes(
			bytes, doc->password.empty() ? NULL : doc->password.c_str(), NULL);
		g_bytes_unref(bytes);
	}
	return doc->gdoc;
}

extern "C" enum quire_result pdf_doc_notes(struct pdf_doc *doc, int index, pdf_note_fn fn, void *ctx)
{
	PopplerDocument *gdoc = glib_doc(doc);
	PopplerPage *page;
	enum quire_result r;

	if (!gdoc)
		return QUIRE_OK;   /* poppler-cpp opened it: its text is read */
	page = poppler_document_get_page(gdoc, index);
	if (!page)
		return QUIRE_CORRUPT;
	r = pdf_glib_annots(page, fn, ctx);
	g_object_unref(page);
	return r;
}

extern "C" void pdf_doc_page_size(struct pdf_doc *doc, int index, double *w, double *h)
{
	try {
		poppler::page *page = get_page(doc, index);
		poppler::rectf box;
		poppler::page::orientation_enum o;

		*w = *h = 0;
		if (!page)
			return;
		box = page->page_rect(poppler::crop_box);
		o = page->orientation();
		*w = box.width();
		*h = box.height();
		if (o == poppler::page::landscape || o == poppler::page::seascape)
			std::swap(*w, *h);
	} catch (...) {
		*w = *h = 0;
	}
}

extern "C" enum quire_result pdf_doc_render(struct pdf_doc *doc, int index, double dpi,
					    struct quire_image *img)
{
	try {
		poppler::page *page = get_page(doc, index);
		poppler::page_renderer renderer;

		if (!page)
			return QUIRE_CORRUPT;
		renderer.set_render_hints(poppler::page_renderer::antialiasing |
					  poppler::page_renderer::text_antialiasing);
		renderer.set_image_format(poppler::image::format_rgb24);
		doc->img = poppler::image();   /* the last render's pixels go first */
		doc->img = renderer.render_page(page, dpi, dpi);
		if (!doc->img.is_valid() || doc->img.format() != poppler::image::format_rgb24 ||
		    doc->img.width() <= 0 || doc->img.height() <= 0)
			return QUIRE_ERROR;
		img->pixels = (const unsigned char *)doc->img.const_data();
		img->width = (unsigned)doc->img.width();
		img->height = (unsigned)doc->img.height();
		img->stride = (unsigned)doc->img.bytes_per_row();
		img->channels = 3;
		img->dpi = (unsigned)dpi;
		return QUIRE_OK;
	} catch (...) {
		return QUIRE_ERROR;
	}
}
