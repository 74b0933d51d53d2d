/* pdf_doc.cc: the poppler core (C++) side of the PDF plugin; see pdf_doc.h.
 *
 * A small OutputDev (GlyphDev) hands every glyph to the C side in the
 * order the content stream draws it, with its baseline direction taken
 * from the text matrix, so rotated and diagonal text keeps its lines. It
 * skips images and paths (needNonText() is false), which is most of the
 * cost of displaying a page. Poppler does not throw, but the standard
 * library may (bad_alloc under the address-space limit): every entry
 * point catches and reports QUIRE_ERROR. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <cmath>
#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <unistd.h>

#include <Annot.h>
#include <Error.h>
#include <ErrorCodes.h>
#include <GfxFont.h>
#include <GfxState.h>
#include <GlobalParams.h>
#include <OutputDev.h>
#include <PDFDoc.h>
#include <Page.h>
#include <SplashOutputDev.h>
#include <Stream.h>
#include <UTF.h>
#include <goo/GooString.h>
#include <goo/gfile.h>
#include <goo/gmem.h>
#include <splash/SplashBitmap.h>

#include "pdf_doc.h"
#include "pdf_text.h"

struct pdf_doc {
	/* Destroyed in reverse order: the renderer, the document, the file. */
	std::unique_ptr<GooFile> file;
	std::unique_ptr<PDFDoc> doc;
	std::unique_ptr<SplashOutputDev> splash;
};

/* Poppler reports syntax errors through one global callback. */
static const struct quire_host *log_host;

static void poppler_error(ErrorCategory category, Goffset pos, const char *msg)
{
	if (log_host)
		log_host->log(QUIRE_LOG_DEBUG, "pdf: poppler (offset %lld): %s", (long long)pos, msg);
}

/* Append the UTF-8 form of code point c to out; white space becomes one
 * space, control characters and non-characters are dropped. */
static void put_utf8(std::string &out, Unicode c)
{
	if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == 0xa0 || c == 0x3000) {
		out += ' ';
		return;
	}
	if (c < 0x20 || (c >= 0x7f && c < 0xa0) || (c >= 0xd800 && c < 0xe000) || c > 0x10ffff)
		return;
	if (c < 0x80) {
		out += (char)c;
	} else if (c < 0x800) {
		out += (char)(0xc0 | (c >> 6));
		out += (char)(0x80 | (c & 0x3f));
	} else if (c < 0x10000) {
		out += (char)(0xe0 | (c >> 12));
		out += (char)(0x80 | ((c >> 6) & 0x3f));
		out += (char)(0x80 | (c & 0x3f));
	} else {
		out += (char)(0xf0 | (c >> 18));
		out += (char)(0x80 | ((c >> 12) & 0x3f));
		out += (char)(0x80 | ((c >> 6) & 0x3f));
		out += (char)(0x80 | (c & 0x3f));
	}
}

/* A PDF text string (PDFDocEncoding or UTF-16 with a byte order mark). */
static std::string text_string_utf8(const GooString *s)
{
	std::string out;
	Unicode *u = nullptr;
	int n = s ? TextStringToUCS4(s->toStr(), &u) : 0;

	for (int i = 0; i < n; i++)
		put_utf8(out, u[i]);
	gfree(u);
	return out;
}

namespace {

class GlyphDev : public OutputDev
{
public:
	GlyphDev(pdf_glyph_fn fnA, void *ctxA) : fn(fnA), ctx(ctxA) { }

	bool upsideDown() override { return true; }
	bool useDrawChar() override { return true; }
	bool interpretType3Chars() override { return false; }
	bool needNonText() override { return false; }

	void startPage(int pageNum, GfxState *state, XRef *xref) override
	{
		page_w = state->getPageWidth();
		page_h = state->getPageHeight();
	}

	/* The font and text matrices cannot change within one string. */
	void beginString(GfxState *state, const GooString *s) override { frame_ok = false; }
	void endString(GfxState *state) override { frame_ok = false; }

	void drawChar(GfxState *state, double x, double y, double dx, double dy, double originX,
		      double originY, CharCode code, int nBytes, const Unicode *u, int uLen) override;
	void beginActualText(GfxState *state, const GooString *text) override;
	void endActualText(GfxState *state) override;

	static bool abort_check(void *self) { return static_cast<GlyphDev *>(self)->stopped; }

private:
	bool frame(GfxState *state);
	bool place(GfxState *state, double x, double y, double dx, double dy, pdf_glyph *g);
	void emit(pdf_glyph *g, const std::string &text);

	pdf_glyph_fn fn;
	void *ctx;
	bool stopped = false;
	double page_w = 0, page_h = 0;
	std::string text;              /* the current glyph's UTF-8 */
	/* Baseline direction and font size of the current string. */
	bool frame_ok = false, frame_usable = false;
	double dir_x = 1, dir_y = 0, size = 0;
	/* Inside /ActualText: the glyphs drawn are replaced by its text,
	 * placed at the first of them. */
	int actual_depth = 0;
	bool actual_seen = false;
	std::string actual;
	pdf_glyph actual_glyph;
	double actual_end_x = 0, actual_end_y = 0;
};

} // namespace

/* Baseline direction and font size of the current string, from the font
 * and text matrices; false for degenerate (zero-size) text. */
bool GlyphDev::frame(GfxState *state)
{
	double m11, m12, m21, m22, ax, ay, bx, by, len;
	const GfxFont *font = state->getFont().get();

	frame_ok = true;
	frame_usable = false;
	state->getFontTransMat(&m11, &m12, &m21, &m22);
	if (font && font->getWMode() == 1) {
		/* Vertical writing advances down the glyph's y axis. */
		ax = -m21, ay = -m22, bx = m11, by = m12;
	} else {
		ax = m11, ay = m12, bx = m21, by = m22;
	}
	len = std::sqrt(ax * ax + ay * ay);
	size = std::sqrt(bx * bx + by * by);
	if (!(len > 1e-6) || !(size > 1e-3) || !std::isfinite(len) || !std::isfinite(size))
		return false;
	dir_x = ax / len;
	dir_y = ay / len;
	frame_usable = true;
	return true;
}

/* Where a glyph stands on the page; false for degenerate text and text
 * off the page, which readers do not show. */
bool GlyphDev::place(GfxState *state, double x, double y, double dx, double dy, pdf_glyph *g)
{
	double tdx, tdy;

	if (!(frame_ok ? frame_usable : frame(state)))
		return false;
	g->dx = dir_x;
	g->dy = dir_y;
	g->size = size;
	state->transform(x, y, &g->x, &g->y);
	state->transformDelta(dx, dy, &tdx, &tdy);
	g->advance = tdx * g->dx + tdy * g->dy;
	if (!std::isfinite(g->x) || !std::isfinite(g->y) || !std::isfinite(g->advance))
		return false;
	return g->x > -size && g->y > -size && g->x < page_w + size && g->y < page_h + size;
}

void GlyphDev::emit(pdf_glyph *g, const std::string &s)
{
	g->utf8 = s.data();
	g->len = s.size();
	if (fn(ctx, g))
		stopped = true;
}

void GlyphDev::drawChar(GfxState *state, double x, double y, double dx, double dy, double originX,
			double originY, CharCode code, int nBytes, const Unicode *u, int uLen)
{
	pdf_glyph g;

	if (stopped || !place(state, x, y, dx, dy, &g))
		return;
	if (actual_depth) {
		if (!actual_seen)
			actual_glyph = g;
		actual_seen = true;
		actual_end_x = g.x + g.advance * g.dx;
		actual_end_y = g.y + g.advance * g.dy;
		return;
	}
	text.clear();
	for (int i = 0; i < uLen; i++)
		put_utf8(text, u[i]);
	emit(&g, text);
}

void GlyphDev::beginActualText(GfxState *state, const GooString *s)
{
	if (actual_depth++)
		return;
	actual = text_string_utf8(s);
	actual_seen = false;
}

void GlyphDev::endActualText(GfxState *state)
{
	if (actual_depth == 0 || --actual_depth)
		return;
	if (!actual_seen || stopped)
		return;
	actual_glyph.advance = (actual_end_x - actual_glyph.x) * actual_glyph.dx +
			       (actual_end_y - actual_glyph.y) * actual_glyph.dy;
	emit(&actual_glyph, actual);
}

/* Form fields show their values through their appearance; the contents
 * of other annotations are read by pdf_doc_notes() instead. */
static bool draw_widgets_only(Annot *annot, void *unused)
{
	return annot->getType() == Annot::typeWidget;
}

extern "C" enum quire_result pdf_doc_init(const struct quire_host *host)
{
	try {
		log_host = host;
		setErrorCallback(poppler_error);
		if (!globalParams)
			globalParams = std::make_unique<GlobalParams>();
		return QUIRE_OK;
	} catch (...) {
		return QUIRE_ERROR;
	}
}

extern "C" enum quire_result pdf_doc_open(int fd, const char *password, struct pdf_doc **out,
					  char *msg, size_t msglen)
{
	int own = dup(fd);

	*out = nullptr;
	if (own < 0) {
		snprintf(msg, msglen, "dup: %s", strerror(errno));
		return QUIRE_ERROR;
	}
	try {
		std::unique_ptr<pdf_doc> d(new pdf_doc);
		int code;

		d->file = GooFile::open(own);  /* the file closes own */
		if (!d->file) {
			close(own);
			snprintf(msg, msglen, "cannot read the file");
			return QUIRE_ERROR;
		}
		/* The document takes the stream; the file outlives both. No
		 * password is the empty user password. */
		std::optional<GooString> pw;
		if (password)
			pw.emplace(password);
		d->doc = std::make_unique<PDFDoc>(new FileStream(d->file.get(), 0, false,
								 d->file->size(), Object(objNull)),
						  pw, pw);
		if (d->doc->isOk()) {
			*out = d.release();
			return QUIRE_OK;
		}
		code = d->doc->getErrorCode();
		snprintf(msg, msglen, "%s (poppler error %d)",
			 code != errEncrypted ? "not a readable PDF" :
			 password ? "wrong password" : "password required", code);
		return code == errEncrypted ? QUIRE_ENCRYPTED : QUIRE_CORRUPT;
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
	return doc->doc->getNumPages();
}

extern "C" char *pdf_doc_info(struct pdf_doc *doc, const char *key)
{
	try {
		std::string k(key), v;
		std::unique_ptr<GooString> s;

		if (!k.empty())
			k[0] = (char)(k[0] - 'a' + 'A');  /* "title" -> "Title" */
		s = doc->doc->getDocInfoStringEntry(k.c_str());
		v = text_string_utf8(s.get());
		return v.empty() ? nullptr : strdup(v.c_str());
	} catch (...) {
		return nullptr;
	}
}

extern "C" enum quire_result pdf_doc_glyphs(struct pdf_doc *doc, int index, pdf_glyph_fn fn, void *ctx)
{
	try {
		GlyphDev dev(fn, ctx);

		if (!doc->doc->getPage(index + 1))
			return QUIRE_CORRUPT;
		doc->doc->displayPage(&dev, index + 1, 72, 72, 0, false, true, false,
				      GlyphDev::abort_check, &dev, draw_widgets_only, nullptr);
		return GlyphDev::abort_check(&dev) ? QUIRE_TOO_LARGE : QUIRE_OK;
	} catch (...) {
		return QUIRE_ERROR;
	}
}

extern "C" enum quire_result pdf_doc_notes(struct pdf_doc *doc, int index, pdf_note_fn fn, void *ctx)
{
	try {
		Page *page = doc->doc->getPage(index + 1);
		Annots *annots = page ? page->getAnnots() : nullptr;

		if (!page)
			return QUIRE_CORRUPT;
		if (!annots)
			return QUIRE_OK;
		for (Annot *a : annots->getAnnots()) {
			Annot::AnnotSubtype t = a->getType();
			AnnotMarkup *m = dynamic_cast<AnnotMarkup *>(a);   /* its author (/T) */
			enum quire_result r;

			if (t == Annot::typeLink || t == Annot::typeWidget || t == Annot::typePopup)
				continue;
			r = pdf_note_by(m && m->getLabel() ? text_string_utf8(m->getLabel()).c_str() : nullptr,
					text_string_utf8(a->getContents()).c_str(), fn, ctx);
			if (r != QUIRE_OK)
				return r;
		}
		return QUIRE_OK;
	} catch (...) {
		return QUIRE_ERROR;
	}
}

extern "C" void pdf_doc_page_size(struct pdf_doc *doc, int index, double *w, double *h)
{
	Page *page = doc->doc->getPage(index + 1);

	*w = *h = 0;
	if (!page)
		return;
	*w = page->getCropWidth();
	*h = page->getCropHeight();
	if (page->getRotate() % 180 != 0)
		std::swap(*w, *h);
}

extern "C" enum quire_result pdf_doc_render(struct pdf_doc *doc, int index, double dpi,
					    struct quire_image *img)
{
	try {
		SplashBitmap *bm;

		if (!doc->doc->getPage(index + 1))
			return QUIRE_CORRUPT;
		if (!doc->splash) {
			SplashColor white = { 255, 255, 255 };

			doc->splash = std::make_unique<SplashOutputDev>(splashModeRGB8, 4, false, white);
			doc->splash->startDoc(doc->doc.get());
		}
		doc->doc->displayPage(doc->splash.get(), index + 1, dpi, dpi, 0, false, true, false);
		bm = doc->splash->getBitmap();
		if (!bm || !bm->getDataPtr() || bm->getWidth() <= 0 || bm->getHeight() <= 0)
			return QUIRE_ERROR;
		img->pixels = bm->getDataPtr();
		img->width = (unsigned)bm->getWidth();
		img->height = (unsigned)bm->getHeight();
		img->stride = (unsigned)bm->getRowSize();
		img->channels = 3;
		img->dpi = (unsigned)dpi;
		return QUIRE_OK;
	} catch (...) {
		return QUIRE_ERROR;
	}
}
