/* pdf_text.c: what the three poppler bindings share: lines and paragraphs
 * from a PDF page's glyphs (in the order the page draws them), paragraph
 * splitting of plain text, and the text of annotations as one line. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "pdf_text.h"

int pdf_has_text(const char *text, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (text[i] != ' ' && text[i] != '\t' && text[i] != '\n' && text[i] != '\r' &&
		    text[i] != '\f' && text[i] != '\v')
			return 1;
	return 0;
}

/* Is the line [p, end) blank (spaces, tabs, CR only)? */
static int blank_line(const char *p, const char *end)
{
	for (; p < end; p++)
		if (*p != ' ' && *p != '\t' && *p != '\r')
			return 0;
	return 1;
}

static enum quire_result flush(const struct quire_host *host, char *buf, size_t *n, int *wrote)
{
	size_t len = *n;

	while (len && (buf[len - 1] == ' ' || buf[len - 1] == '\t'))
		len--;
	*n = 0;
	if (!pdf_has_text(buf, len))
		return QUIRE_OK;
	*wrote = 1;
	return host->sink->paragraph(host->sink_ctx, buf, len) ? QUIRE_TOO_LARGE : QUIRE_OK;
}

enum quire_result pdf_emit_paragraphs(const struct quire_host *host, const char *text, size_t len,
				      int *wrote)
{
	/* The paragraph is never longer than the page text. */
	char *buf = malloc(len + 1);
	const char *p = text, *end = text + len;
	size_t n = 0;
	enum quire_result r = QUIRE_OK;

	if (!buf)
		return QUIRE_ERROR;
	while (p < end && r == QUIRE_OK) {
		const char *nl = p;

		while (nl < end && *nl != '\n' && *nl != '\f')
			nl++;
		if (blank_line(p, nl) || (nl < end && *nl == '\f')) {
			if (!blank_line(p, nl)) {
				if (n)
					buf[n++] = ' ';
				memcpy(buf + n, p, (size_t)(nl - p));
				n += (size_t)(nl - p);
			}
			r = flush(host, buf, &n, wrote);
		} else {
			const char *q = p;

			while (q < nl && (*q == ' ' || *q == '\t'))
				q++;  /* leading indentation of a continuation line */
			if (n)
				buf[n++] = ' ';
			else
				q = p;
			memcpy(buf + n, q, (size_t)(nl - q));
			n += (size_t)(nl - q);
			while (n && buf[n - 1] == '\r')
				n--;
		}
		p = nl < end ? nl + 1 : end;
	}
	if (r == QUIRE_OK)
		r = flush(host, buf, &n, wrote);
	free(buf);
	return r;
}

void pdf_para_init(struct pdf_para *p, const struct quire_host *host, int *wrote)
{
	memset(p, 0, sizeof *p);
	p->host = host;
	p->wrote = wrote;
	p->r = QUIRE_OK;
}

void pdf_para_free(struct pdf_para *p)
{
	free(p->buf);
	p->buf = NULL;
	p->len = p->cap = 0;
}

/* Write the paragraph so far (trailing spaces trimmed) and empty it. */
static void para_flush(struct pdf_para *p)
{
	size_t len = p->len;

	while (len && p->buf[len - 1] == ' ')
		len--;
	p->len = 0;
	if (p->r != QUIRE_OK || !pdf_has_text(p->buf, len))
		return;
	*p->wrote = 1;
	if (p->host->sink->paragraph(p->host->sink_ctx, p->buf, len))
		p->r = QUIRE_TOO_LARGE;
}

static void para_append(struct pdf_para *p, const char *s, size_t n)
{
	if (p->len + n > p->cap) {
		size_t cap = p->cap ? p->cap : 4096;
		char *b;

		while (cap < p->len + n)
			cap *= 2;
		b = realloc(p->buf, cap);
		if (!b) {
			p->r = QUIRE_ERROR;
			return;
		}
		p->buf = b;
		p->cap = cap;
	}
	memcpy(p->buf + p->len, s, n);
	p->len += n;
}

/* One space between words: never at the start, never two. */
static void para_space(struct pdf_para *p)
{
	if (p->len && p->buf[p->len - 1] != ' ')
		para_append(p, " ", 1);
}

/* Does g carry on line l? On success *gap is its distance past the line's
 * end along the baseline. Directions may differ a little (text set on a
 * curve turns from word to word). */
static int continues_line(const struct pdf_line *l, const struct pdf_glyph *g, double *gap)
{
	double size = l->size > g->size ? l->size : g->size;
	double vx = g->x - l->ex, vy = g->y - l->ey;
	double along = vx * l->tx + vy * l->ty;
	double across = vy * l->tx - vx * l->ty;

	if (g->dx * l->tx + g->dy * l->ty < 0.94)
		return 0;
	if (fabs(across) > 0.5 * size || along < -0.6 * size)
		return 0;
	*gap = along;
	return 1;
}

/* A list bullet (U+F0B7 is the Symbol font's, as Word writes it). */
static int bullet(const struct pdf_glyph *g)
{
	static const char *const marks[] = { "\u2022", "\u25e6", "\u25aa", "\u25cf", "\u2023",
					     "\u2043", "\uf0b7" };

	for (size_t i = 0; i < sizeof marks / sizeof *marks; i++)
		if (g->len == strlen(marks[i]) && memcmp(g->utf8, marks[i], g->len) == 0)
			return 1;
	return 0;
}

/* Does a line starting with g continue the paragraph whose last line is
 * l: the same direction and size, between 0.5 and 1.9 em below it (1.5
 * line spacing is 1.73 em; a blank line between paragraphs makes 2.3),
 * starting within its span (give or take indentation) and not with a list
 * bullet? */
static int continues_para(const struct pdf_line *l, const struct pdf_glyph *g)
{
	double big = l->size > g->size ? l->size : g->size;
	double small = l->size < g->size ? l->size : g->size;
	double vx = g->x - l->sx, vy = g->y - l->sy;
	double down = vy * l->dx - vx * l->dy;
	double along = vx * l->dx + vy * l->dy;
	double span = (l->ex - l->sx) * l->dx + (l->ey - l->sy) * l->dy;

	if (g->dx * l->dx + g->dy * l->dy < 0.995 || big > 1.3 * small)
		return 0;
	if (down < 0.5 * small || down > 1.9 * big)
		return 0;
	return along > -3 * big && along < span + big && !bullet(g);
}

static void line_start(struct pdf_line *l, const struct pdf_glyph *g)
{
	l->sx = g->x;
	l->sy = g->y;
	l->dx = l->tx = g->dx;
	l->dy = l->ty = g->dy;
	l->size = g->size;
}

/* The same glyph drawn again on top of itself (fake bold, shadows). */
static int overprint(const struct pdf_para *p, const struct pdf_glyph *g)
{
	if (!p->in_line || !g->len || g->len != p->last_len ||
	    fabs(g->x - p->last_x) + fabs(g->y - p->last_y) >= 0.1 * g->size)
		return 0;
	for (size_t i = 0; i < g->len; i++)   /* a byte or two: no memcmp call */
		if (g->utf8[i] != p->last[i])
			return 0;
	return 1;
}

int pdf_para_glyph(void *ctx, const struct pdf_glyph *g)
{
	struct pdf_para *p = ctx;
	double gap;

	if (p->r != QUIRE_OK)
		return 1;
	if (overprint(p, g))
		return 0;
	if (p->in_line && continues_line(&p->line, g, &gap)) {
		if (gap > 0.1 * (g->size < p->line.size ? g->size : p->line.size))
			para_space(p);
		if (g->size > p->line.size)
			p->line.size = g->size;
	} else if (g->len == 0 || (g->len == 1 && g->utf8[0] == ' ')) {
		/* White space alone does not make a line: blank lines drawn
		 * as spaces would otherwise bridge the gap between two
		 * paragraphs. */
		return 0;
	} else {
		if (p->in_line && continues_para(&p->line, g) && p->len < PDF_PARA_MAX)
			para_space(p);
		else
			para_flush(p);
		line_start(&p->line, g);
		p->in_line = 1;
	}
	if (g->len == 1 && g->utf8[0] == ' ')
		para_space(p);
	else if (g->len)
		para_append(p, g->utf8, g->len);
	if (p->len > PDF_PARA_MAX)
		para_flush(p);
	p->line.tx = g->dx;
	p->line.ty = g->dy;
	p->line.ex = g->x + g->advance * g->dx;
	p->line.ey = g->y + g->advance * g->dy;
	p->last_x = g->x;
	p->last_y = g->y;
	p->last_len = g->len < sizeof p->last ? g->len : 0;
	for (size_t i = 0; i < p->last_len; i++)
		p->last[i] = g->utf8[i];
	return p->r != QUIRE_OK;
}

enum quire_result pdf_para_end_page(struct pdf_para *p)
{
	para_flush(p);
	p->in_line = 0;
	p->last_len = 0;
	return p->r;
}

char *pdf_one_line(const char *s)
{
	size_t n = strlen(s), j = 0;
	char *out = malloc(n + 1);

	if (!out)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '\t' || c == '\n' || c == '\r')
			out[j++] = ' ';
		else if (c >= 0x20 && c != 0x7f)
			out[j++] = (char)c;
	}
	out[j] = 0;
	return out;
}

enum quire_result pdf_note_by(const char *author, const char *s, pdf_note_fn fn, void *ctx)
{
	enum quire_result r;
	size_t an, sn;
	char *both;

	if (!author || !pdf_has_text(author, strlen(author)) || !s || !pdf_has_text(s, strlen(s)))
		return pdf_note_text(s, fn, ctx);
	an = strlen(author);
	sn = strlen(s);
	both = malloc(an + sn + 3);
	if (!both)
		return QUIRE_ERROR;
	memcpy(both, author, an);
	memcpy(both + an, ": ", 2);
	memcpy(both + an + 2, s, sn + 1);
	r = pdf_note_text(both, fn, ctx);
	free(both);
	return r;
}

enum quire_result pdf_note_text(const char *s, pdf_note_fn fn, void *ctx)
{
	char *line;
	enum quire_result r = QUIRE_OK;

	if (!s || !*s)
		return QUIRE_OK;
	line = pdf_one_line(s);
	if (!line)
		r = QUIRE_ERROR;
	else if (*line && fn(ctx, line, strlen(line)))
		r = QUIRE_TOO_LARGE;
	free(line);
	return r;
}
