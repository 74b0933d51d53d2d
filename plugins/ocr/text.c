/* text.c: Tesseract's recognised text to sink paragraphs. Tesseract ends
 * every line with '\n' and leaves a blank line after each paragraph; the
 * lines of a paragraph are joined with one space, since the line breaks of
 * a scan are the layout's, not the author's. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdlib.h>
#include <string.h>

#include "ocr.h"
#include "text.h"

struct para {
	char *buf;
	size_t len;
	const struct quire_host *host;
	int *wrote;
};

static int blank(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r' && s[i] != '\f')
			return 0;
	return 1;
}

static enum quire_result flush(struct para *p)
{
	int stop;

	if (p->len == 0)
		return QUIRE_OK;
	stop = p->host->sink->paragraph(p->host->sink_ctx, p->buf, p->len);
	p->len = 0;
	*p->wrote = 1;
	return stop ? QUIRE_TOO_LARGE : QUIRE_OK;
}

/* Append one line (no '\n'), its surrounding white space trimmed. */
static void add_line(struct para *p, const char *s, size_t n)
{
	while (n > 0 && (*s == ' ' || *s == '\t' || *s == '\f'))
		s++, n--;
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\f'))
		n--;
	if (p->len > 0)
		p->buf[p->len++] = ' ';
	memcpy(p->buf + p->len, s, n);
	p->len += n;
}

enum quire_result ocr_text_emit(const struct quire_host *host, const char *text, int *wrote)
{
	size_t total = strlen(text);
	struct para p = { malloc(total + 1), 0, host, wrote };
	enum quire_result r = QUIRE_OK;
	const char *s = text, *end = text + total;

	if (!p.buf)
		return QUIRE_ERROR;
	while (s < end && r == QUIRE_OK) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		size_t n = nl ? (size_t)(nl - s) : (size_t)(end - s);

		if (blank(s, n))
			r = flush(&p);
		else
			add_line(&p, s, n);
		s += n + (nl != NULL);
	}
	if (r == QUIRE_OK)
		r = flush(&p);
	free(p.buf);
	return r;
}
