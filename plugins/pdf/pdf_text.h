/* pdf_text.h: turning a page's glyphs (in content-stream order) into lines
 * and paragraphs for the sink, and plain text into paragraphs. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef QUIRE_PDF_TEXT_H
#define QUIRE_PDF_TEXT_H

#include <stddef.h>
#include <quire/plugin.h>
#include "pdf_doc.h"

#ifdef __cplusplus
extern "C" {
#endif

/* A line being built: where it starts and ends on its baseline. */
struct pdf_line {
	double sx, sy;      /* origin of its first glyph */
	double ex, ey;      /* end of its last glyph's advance */
	double dx, dy;      /* baseline direction of its first glyph */
	double tx, ty;      /* and of its last (text on a curve turns) */
	double size;        /* largest font size on it */
};

/* Builds paragraphs from glyphs and writes them to the sink. Glyphs that
 * continue the current baseline (same direction, within half an em across
 * it, not stepping back) join its line, with a space where they stand
 * apart by more than 0.1 em; a new line continues the paragraph when it
 * starts just below the previous one (between 0.5 and 1.9 em, in the
 * same direction and size, within its span) and otherwise starts a new
 * paragraph. Paragraphs longer than PDF_PARA_MAX bytes are cut. */
struct pdf_para {
	const struct quire_host *host;
	int *wrote;              /* set to 1 when a paragraph was written */
	enum quire_result r;     /* QUIRE_OK, or why it stopped */
	char *buf;               /* the paragraph so far (owned) */
	size_t len, cap;
	int in_line;
	struct pdf_line line;
	double last_x, last_y;   /* the previous glyph, to drop overprints */
	char last[16];
	size_t last_len;
};

#define PDF_PARA_MAX (256u * 1024u)

/* Start a builder (no allocation yet). */
void pdf_para_init(struct pdf_para *p, const struct quire_host *host, int *wrote);
/* A pdf_glyph_fn: add glyph g; returns non-zero once p->r is not OK. */
int pdf_para_glyph(void *p, const struct pdf_glyph *g);
/* End of page: write the last paragraph. Returns p->r. */
enum quire_result pdf_para_end_page(struct pdf_para *p);
/* Free the buffer. */
void pdf_para_free(struct pdf_para *p);

/* Split text (len bytes, borrowed) into paragraphs at blank lines and at
 * form feeds; the lines of one paragraph are joined with one space and
 * runs of spaces and tabs are kept as they are. Each non-blank paragraph
 * goes to the sink. *wrote is set to 1 when at least one paragraph was
 * written. Returns QUIRE_OK, QUIRE_TOO_LARGE when the sink asked to stop
 * or QUIRE_ERROR when memory ran out. */
enum quire_result pdf_emit_paragraphs(const struct quire_host *host, const char *text, size_t len,
				      int *wrote);

/* 1 when text holds something other than whitespace. */
int pdf_has_text(const char *text, size_t len);

/* s (UTF-8, NUL-terminated) as one line: tabs and line breaks become
 * spaces, other control characters go. New, caller frees; NULL when
 * memory runs out. */
char *pdf_one_line(const char *s);
/* Hand the text of an annotation or form field (s, borrowed, may be NULL)
 * to fn as one line (pdf_one_line), unless it is empty: the one way the
 * three bindings' pdf_doc_notes pass text on. QUIRE_OK, QUIRE_TOO_LARGE
 * when fn asked to stop, QUIRE_ERROR when memory ran out. */
enum quire_result pdf_note_text(const char *s, pdf_note_fn fn, void *ctx);
/* An annotation's text with its author (the markup annotation's /T,
 * borrowed, may be NULL) before it, "Author: text", as pdf_note_text; the
 * text alone when either is empty. */
enum quire_result pdf_note_by(const char *author, const char *s, pdf_note_fn fn, void *ctx);

#ifdef __cplusplus
}
#endif

#endif
